namespace SbeCore.Tests.Native;

/// <summary>Files of the source tree the tests read as text (the C header, the Python binding, docs).</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root: the first folder above the test binaries that holds SbeCore.sln.</summary>
    public static string Root
    {
        get
        {
            var d = new DirectoryInfo(AppContext.BaseDirectory);
            while (d is not null && !File.Exists(Path.Combine(d.FullName, "SbeCore.sln"))) d = d.Parent;
            Assert.NotNull(d);
            return d!.FullName;
        }
    }

    /// <summary>The text of a file given by its path from the root, '/'-separated.</summary>
    public static string Read(string relativePath) => File.ReadAllText(Path.Combine([Root, .. relativePath.Split('/')]));
}

using System.Reflection;
using System.Xml.Linq;

namespace SbeCore.Tests.Cli;

/// <summary>
/// One version everywhere: the repository's VERSION file is the library's assembly and package version and what
/// `sbe --version` prints (the C library's sbe_version() and Python's __version__ are checked by CTest and pytest).
/// </summary>
public class VersionTests
{
    private static string RepositoryVersion()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "SbeCore.sln"))) d = d.Parent;
        Assert.NotNull(d);
        return File.ReadAllText(Path.Combine(d!.FullName, "VERSION")).Trim();
    }

    [Fact]
    public void LibraryVersionIsTheVERSIONFile()
    {
        string version = RepositoryVersion();
        Assert.Matches(@"^\d+\.\d+\.\d+$", version);
        var assembly = typeof(SbeCore.Data.DataLoader).Assembly;
        Assert.Equal(version, assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion);
        Assert.Equal(new Version(version + ".0"), assembly.GetName().Version);
    }

    [Fact]
    public void SbeVersionPrintsTheVERSIONFile()
    {
        var (code, stdout, stderr) = SbeCli.Run("--version");
        Assert.True(code == 0, stderr);
        Assert.Equal(RepositoryVersion(), stdout.Trim());
    }

    [Fact]
    public void NoProjectPinsAnotherVersion()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(d!.FullName, "SbeCore.sln"))) d = d.Parent;
        foreach (var csproj in Directory.EnumerateFiles(Path.Combine(d.FullName, "src"), "*.csproj", SearchOption.AllDirectories)
                     .Concat(Directory.EnumerateFiles(Path.Combine(d.FullName, "native-abi"), "*.csproj", SearchOption.AllDirectories)))
        {
            var names = XDocument.Load(csproj).Descendants().Select(e => e.Name.LocalName);
            Assert.DoesNotContain("Version", names);
            Assert.DoesNotContain("VersionPrefix", names);
            Assert.DoesNotContain("PackageVersion", names);
        }
    }
}

/// <summary>The embedded data set: LoadDefault needs no folder (as from the NuGet package) and names no CLI flag.</summary>
public class EmbeddedDataTests
{
    [Fact]
    public void LoadDefaultReadsTheResourcesEmbeddedInTheLibrary()
    {
        var names = typeof(SbeCore.Data.DataLoader).Assembly.GetManifestResourceNames();
        Assert.Contains("SbeCore.Data.mnist-10k.images-idx3-ubyte.gz", names);
        Assert.Contains("SbeCore.Data.mnist-10k.labels-idx1-ubyte.gz", names);
        var split = SbeCore.Data.DataLoader.LoadDefault();     // no folder is looked up (see DataLoader.LoadDefault)
        Assert.Equal((8000, 2000), (split.Train.Count, split.Test.Count));
        Assert.Equal("mnist-10k", split.Name);
        Assert.Equal(split.Train.Images, SbeCore.Data.DataLoader.LoadDirectory(SbeCore.Data.DataLoader.FindDefaultFolder()!).Train.Images);
    }

    [Fact]
    public void LibraryMessagesNameNoCommandLineFlag()
    {
        var e = new SbeCore.Training.TrainingDivergedException(3, 7, double.NaN);
        Assert.DoesNotContain("--", e.Message);
        Assert.Contains("learning rate", e.Message);
    }
}

using SbeCore.Experiments;
using SbeCore.IO;

namespace SbeCore.Cli;

/// <summary>Checks an output folder before any work, so a bad -o fails in a second instead of after hours of training.</summary>
internal static class OutputFolder
{
    /// <summary>Creates <paramref name="dir"/> if needed and proves it writable by creating and removing a probe file.</summary>
    /// <exception cref="IOException">The path is not a folder, or nothing can be written there.</exception>
    public static void Prepare(string dir, string option = "--out")
    {
        string full = Path.GetFullPath(dir);
        var kind = SafeFile.KindOf(full);
        if (kind != FileKind.Missing && !Directory.Exists(full)) // a link to a folder is fine
            throw new IOException($"{option} '{dir}' is {kind.Describe()}, not a folder; give a folder for the results.");
        // Named like AtomicFile's temporary files, so a probe left by a kill is removed as stale.
        string probe = Path.Combine(full, $".write-probe.{Environment.ProcessId}.{Guid.NewGuid():N}{AtomicFile.TempSuffix}");
        try
        {
            Directory.CreateDirectory(full);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write results to {option} '{dir}': {e.Message}", e);
        }
    }

    /// <summary>Saves a plot as PNG through the same atomic, regular-file-only writer as every other output.</summary>
    public static void SavePng(ScottPlot.Plot plot, string path, int width, int height)
        => AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
}

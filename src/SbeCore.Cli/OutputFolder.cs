using SbeCore.Experiments;
using SbeCore.IO;

namespace SbeCore.Cli;

/// <summary>Checks an output folder before any work, so a bad -o fails in a second instead of after hours of training.</summary>
internal static class OutputFolder
{
    /// <summary>
    /// Proves results can be written to <paramref name="dir"/>: it must be a folder (or not exist yet, below a folder), and
    /// a probe file must be creatable in it (or in its nearest existing parent). Nothing is left behind.
    /// </summary>
    /// <exception cref="IOException">The path or a parent is not a folder, or nothing can be written there.</exception>
    public static void Prepare(string dir, string option = "--out")
    {
        string full = Path.GetFullPath(dir);
        string existing = full;
        while (SafeFile.KindOf(existing) == FileKind.Missing && Path.GetDirectoryName(existing) is string parent) existing = parent;
        if (!Directory.Exists(existing)) // a link to a folder is fine
        {
            string what = existing == full ? "" : $" (its parent '{existing}' is {SafeFile.KindOf(existing).Describe()})";
            throw new IOException($"{option} '{dir}' is not a folder{(existing == full ? $": it is {SafeFile.KindOf(full).Describe()}" : what)}; give a folder for the results.");
        }
        // Named like AtomicFile's temporary files, so a probe left by a kill is removed as stale.
        string probe = Path.Combine(existing, $".write-probe.{Environment.ProcessId}.{Guid.NewGuid():N}{AtomicFile.TempSuffix}");
        try
        {
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

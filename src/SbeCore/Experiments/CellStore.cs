using SbeCore.IO;
using System.Text.Json;

namespace SbeCore.Experiments;

/// <summary>
/// A folder of cell result files, one <c>{key}.json</c> per finished cell, each written atomically
/// (<see cref="AtomicFile"/>). A cell counts as finished only if its file parses, says <see cref="CellResult.Complete"/>
/// and carries its own key: leftover temporary files, truncated or foreign files are ignored, and the cell is redone.
/// </summary>
public sealed class CellStore
{
    /// <summary>Opens (and creates) the folder.</summary>
    public CellStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = System.IO.Directory.CreateDirectory(directory).FullName;
    }

    /// <summary>Full path of the folder.</summary>
    public string Directory { get; }

    /// <summary>The result file of <paramref name="cell"/>.</summary>
    public string PathOf(SweepCell cell) => System.IO.Path.Combine(Directory, cell.Key + ".json");

    /// <summary>The finished result of <paramref name="cell"/>, or null if it has none (missing, partial, corrupt, not complete).</summary>
    public CellResult? TryLoad(SweepCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        string path = PathOf(cell);
        if (!File.Exists(path)) return null;
        if (ReadText(path) is not string text) return null;
        var result = ExperimentsJson.ParseCell(text);
        return result is { Complete: true } && result.Key == cell.Key ? result : null;
    }

    /// <summary>True if <paramref name="cell"/> has a finished result.</summary>
    public bool IsFinished(SweepCell cell) => TryLoad(cell) is not null;

    /// <summary>Writes a finished result atomically (marks it complete; the key must be the cell's).</summary>
    /// <exception cref="ArgumentException">The result's key differs from the cell's.</exception>
    public void Save(SweepCell cell, CellResult result)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Key != cell.Key) throw new ArgumentException($"result key '{result.Key}' differs from cell key '{cell.Key}'.", nameof(result));
        AtomicFile.WriteAllText(PathOf(cell), JsonSerializer.Serialize(result with { Complete = true }, ExperimentsJson.Default.CellResult));
    }

    /// <summary>Removes temporary files of writers killed mid-save (their pid is gone); returns how many.</summary>
    public int RemoveStaleTempFiles() => AtomicFile.RemoveStaleTempFiles(Directory);

    // A cell file that is not a readable regular file of sane size counts as unfinished.
    private static string? ReadText(string path)
    {
        try { return SafeFile.ReadAllText(path, AtomicFile.MaxReadBytes, "cell result"); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Every finished result in the folder (any grid), sorted by key; unreadable or incomplete files are skipped.</summary>
    public List<CellResult> LoadAll()
    {
        var list = new List<CellResult>();
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            if (ReadText(path) is not string text) continue;
            var r = ExperimentsJson.ParseCell(text);
            if (r is { Complete: true } && r.Key + ".json" == System.IO.Path.GetFileName(path)) list.Add(r);
        }
        list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return list;
    }
}

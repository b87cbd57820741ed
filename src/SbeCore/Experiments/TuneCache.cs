using SbeCore.IO;
using System.Globalization;
using System.Text.Json;

namespace SbeCore.Experiments;

/// <summary>A tuned learning rate: what was tuned, under which settings, and every probe.</summary>
public sealed record TuneEntry
{
    /// <summary>Cache key (see <see cref="TuneCache.KeyOf"/>).</summary>
    public string Key { get; init; } = "";
    /// <summary>Method label (sgd, minibatch, svd-k, sbe-k).</summary>
    public string Method { get; init; } = "";
    /// <summary>Batch size.</summary>
    public int BatchSize { get; init; }
    /// <summary>Device preset.</summary>
    public string Device { get; init; } = "";
    /// <summary>Training data set name.</summary>
    public string Data { get; init; } = "";
    /// <summary>Layer sizes.</summary>
    public int[] Layers { get; init; } = [];
    /// <summary>Activation.</summary>
    public string Activation { get; init; } = "";
    /// <summary>Epochs per probe (the paper: 5).</summary>
    public int Epochs { get; init; }
    /// <summary>Seed of every probe.</summary>
    public ulong Seed { get; init; }
    /// <summary>The chosen learning rate (lowest training loss after <see cref="Epochs"/>).</summary>
    public float LearningRate { get; init; }
    /// <summary>Its training loss.</summary>
    public double Loss { get; init; }
    /// <summary>Every probe in call order.</summary>
    public List<LearningRateProbe> Probes { get; init; } = [];
}

/// <summary>
/// A folder of tuned learning rates, one JSON file per (method, rank, batch, device, data, network, tuning epochs),
/// written atomically, so sweeps (and other shards) reuse them and a rerun never repeats a finished search.
/// </summary>
public sealed class TuneCache
{
    /// <summary>Opens (and creates) the folder.</summary>
    public TuneCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = System.IO.Directory.CreateDirectory(directory).FullName;
        AtomicFile.RemoveStaleTempFiles(Directory);
    }

    /// <summary>Full path of the folder.</summary>
    public string Directory { get; }

    /// <summary>The cache key: everything the tuned value depends on except the seed.</summary>
    public static string KeyOf(SweepCell cell, ExperimentSettings settings, string dataName, int epochs)
        => SweepCell.Sanitize(string.Create(CultureInfo.InvariantCulture,
            $"{cell.MethodLabel}_b{cell.BatchSize:D5}_{cell.Device}_{dataName}_{NetKey(settings)}_{settings.Activation}_e{epochs}"));

    // The MLP's keys are unchanged; a layered network is keyed by its architecture text.
    private static string NetKey(ExperimentSettings s) => s.Architecture is null ? $"h{string.Join('x', s.Hidden)}" : $"a{s.Architecture.Trim().ToLowerInvariant()}";

    /// <summary>The cached entry for <paramref name="key"/>, or null (missing or unreadable).</summary>
    public TuneEntry? TryLoad(string key)
    {
        string path = Path.Combine(Directory, key + ".json");
        if (!File.Exists(path)) return null;
        try
        {
            var e = JsonSerializer.Deserialize(SafeFile.ReadAllText(path, AtomicFile.MaxReadBytes, "tuning entry"), ExperimentsJson.Default.TuneEntry);
            return e is not null && e.Key == key && float.IsFinite(e.LearningRate) && e.LearningRate > 0 ? e : null;
        }
        catch (JsonException) { return null; }
        catch (IOException) { return null; }
        catch (InvalidDataException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>Stores an entry atomically under its key.</summary>
    public void Save(TuneEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Key);
        AtomicFile.WriteAllText(Path.Combine(Directory, entry.Key + ".json"), JsonSerializer.Serialize(entry, ExperimentsJson.Default.TuneEntry));
    }

    /// <summary>Every readable entry, sorted by key.</summary>
    public List<TuneEntry> LoadAll()
    {
        var list = new List<TuneEntry>();
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
            if (TryLoad(Path.GetFileNameWithoutExtension(path)) is { } e) list.Add(e);
        list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return list;
    }
}

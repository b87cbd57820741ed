using SbeCore.Data;

namespace SbeCore.Experiments;

/// <summary>
/// Tunes the learning rate of a (method, rank, batch, device) with <see cref="LearningRateSearch"/>: each probe trains
/// the network from its seeded start for a fixed number of epochs and scores the whole training-set loss. Results are
/// cached in a <see cref="TuneCache"/>; a cached key is never searched again.
/// </summary>
public sealed class LearningRateTuner
{
    private readonly TuneCache _cache;
    private readonly ExperimentSettings _settings;
    private readonly DataSplit _data;

    /// <summary>Creates a tuner over a cache folder, network settings and data.</summary>
    public LearningRateTuner(TuneCache cache, ExperimentSettings settings, DataSplit data, int epochs, LearningRateSearch? search = null, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        if (epochs < 1) throw new ArgumentException($"epochs is {epochs}; it must be >= 1.", nameof(epochs));
        settings.Validate();
        _cache = cache; _settings = settings; _data = data; Epochs = epochs; Search = search ?? new LearningRateSearch(); Seed = seed;
    }

    /// <summary>Epochs per probe.</summary>
    public int Epochs { get; }
    /// <summary>The search procedure.</summary>
    public LearningRateSearch Search { get; }
    /// <summary>Seed of every probe (tuning is seed-independent by design: one value per configuration).</summary>
    public ulong Seed { get; }

    /// <summary>The cache key of <paramref name="cell"/> under this tuner.</summary>
    public string KeyOf(SweepCell cell) => TuneCache.KeyOf(cell, _settings, _data.Train.Name, Epochs);

    /// <summary>The cached entry for <paramref name="cell"/>, if any (no training).</summary>
    public TuneEntry? TryCached(SweepCell cell) => _cache.TryLoad(KeyOf(cell));

    /// <summary>The cached entry, or a fresh search (then cached). <paramref name="probed"/> is told each probe.</summary>
    public TuneEntry Tune(SweepCell cell, Action<LearningRateProbe>? probed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cell);
        string key = KeyOf(cell);
        if (_cache.TryLoad(key) is { } cached) return cached;
        var probeCell = cell with { Seed = Seed };
        var (best, probes) = Search.Run(lr =>
        {
            var r = CellRunner.Run(probeCell, _settings, _data, lr, "probe", Epochs, stopAtLoss: 0, cancellationToken);
            double loss = r.Diverged ? double.PositiveInfinity : r.TrainLoss;
            probed?.Invoke(new LearningRateProbe(lr, loss));
            return loss;
        });
        var entry = new TuneEntry
        {
            Key = key, Method = cell.MethodLabel, BatchSize = cell.BatchSize, Device = cell.Device, Data = _data.Train.Name,
            Layers = _settings.Architecture is null ? [_data.Train.Features, .. _settings.Hidden, _data.Train.ClassCount] : [_data.Train.Features, _data.Train.ClassCount], Activation = _settings.Activation.ToString().ToLowerInvariant(),
            Epochs = Epochs, Seed = Seed, LearningRate = best.LearningRate, Loss = best.Loss, Probes = [.. probes],
        };
        _cache.Save(entry);
        return entry;
    }
}

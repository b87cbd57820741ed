using System.Diagnostics;
using System.Reflection;
using SbeCore.Data;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Experiments;

/// <summary>Trains one cell (same seed, same result, bit for bit) and condenses its history into a <see cref="CellResult"/>
/// (with its matrix updates derived, see <see cref="MatrixUpdateCount"/>).</summary>
public static class CellRunner
{
    /// <summary>Untuned learning rates (per-sample SGD 0.01, batch methods 0.1), used only when no tuned value exists.</summary>
    public static float FallbackLearningRate(UpdateMethod method) => UpdateRules.Get(method).WritesPerSample ? 0.01f : 0.1f;

    /// <summary>Builds the network of <paramref name="cell"/> (784-hidden-10 from the data set's shape).</summary>
    public static Network BuildNetwork(SweepCell cell, ExperimentSettings settings, DataSplit data)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        settings.Validate();
        if (cell.Architecture != settings.Architecture)
            throw new ArgumentException($"cell {cell.Key} is for architecture '{cell.Architecture ?? "MLP"}', the settings build '{settings.Architecture ?? "MLP"}'.", nameof(cell));
        var tile = DeviceCatalog.Create(cell.Device);
        return new Network(new NetworkOptions
        {
            LayerSizes = settings.Architecture is null ? [data.Train.Features, .. settings.Hidden, data.Train.ClassCount] : [data.Train.Features, data.Train.ClassCount],
            Architecture = settings.Architecture,
            Activation = settings.Activation, Method = cell.Method, Rank = cell.Rank, TileConfig = tile, Seed = cell.Seed,
        });
    }

    /// <summary>
    /// Trains the cell for <paramref name="epochs"/> (default: the settings' budget) at <paramref name="learningRate"/>.
    /// A run that blows up (non-finite values rejected by the tiles) is returned with <see cref="CellResult.Diverged"/> set
    /// and infinite loss, so a tuner ranks it last and a sweep records it rather than crashing.
    /// </summary>
    public static CellResult Run(SweepCell cell, ExperimentSettings settings, DataSplit data, float learningRate, string learningRateSource,
        int? epochs = null, double? stopAtLoss = null, CancellationToken cancellationToken = default)
    {
        var wall = Stopwatch.StartNew();
        var network = BuildNetwork(cell, settings, data);
        var schedule = new TrainingSchedule
        {
            Epochs = epochs ?? settings.Epochs, BatchSize = cell.BatchSize, LearningRate = learningRate, ShuffleSeed = cell.Seed,
            EvaluationsPerEpoch = settings.EvaluationsPerEpoch(cell.BatchSize), StopAtLoss = stopAtLoss ?? settings.StopAtLoss,
        };
        TrainingHistory? history = null;
        bool diverged = false;
        try { history = new Trainer(network, data.Train, data.Test, schedule).Run(cancellationToken: cancellationToken); }
        catch (ArgumentException) { diverged = true; }
        catch (ArithmeticException) { diverged = true; }
        catch (InvalidOperationException) { diverged = true; } // the network reports a non-finite batch loss this way

        long pulses = 0, maxPulses = 0, devices = 0, transferWrites = 0, transferPulses = 0;
        for (int l = 0; l < network.LayerCount; l++)
        {
            var c = network.GetTile(l).Counters;
            transferWrites += network.GetTile(l).TransferWrites;
            transferPulses += network.GetTile(l).TransferPulses;
            pulses += c.TotalPulses;
            maxPulses = Math.Max(maxPulses, c.MaxPulsesPerDevice);
            devices += (long)network.GetTile(l).Rows * network.GetTile(l).Cols;
        }
        var points = history?.Records.Select(r => new HistoryPoint(r.Epoch, r.RankOneWrites, r.TrainLoss, r.TestAccuracy)).ToList() ?? [];
        bool blewUp = diverged || points.Count == 0 || !double.IsFinite(points[^1].TrainLoss);
        var final = history?.Final;
        return new CellResult
        {
            Key = cell.Key, Method = cell.MethodLabel, Rank = cell.Rank, BatchSize = cell.BatchSize, Device = cell.Device, Seed = cell.Seed,
            LearningRate = learningRate, LearningRateSource = learningRateSource,
            Data = data.Train.Name, TrainCount = data.Train.Count,
            Layers = [data.Train.Features, .. Enumerable.Range(0, network.LayerCount).Select(l => network.GetTile(l).Rows)],
            Architecture = settings.Architecture,
            Activation = settings.Activation.ToString().ToLowerInvariant(),
            EpochBudget = schedule.Epochs, StopAtLoss = schedule.StopAtLoss, Diverged = blewUp,
            Epochs = final?.Epoch ?? 0,
            TrainLoss = blewUp ? double.PositiveInfinity : final!.TrainLoss,
            TrainAccuracy = final?.TrainAccuracy ?? double.NaN,
            TestAccuracy = final?.TestAccuracy ?? double.NaN,
            BestTestAccuracy = points.Count == 0 ? double.NaN : points.Max(p => double.IsNaN(p.TestAccuracy) ? 0 : p.TestAccuracy),
            RankOneWrites = network.RankOneWrites,
            TotalPulses = pulses,
            TransferWrites = transferWrites,
            TransferPulses = transferPulses,
            MeanPulsesPerDevice = devices == 0 ? 0 : (double)pulses / devices,
            MaxPulsesPerDevice = maxPulses,
            PeripheralMemoryBytes = network.PeripheralMemoryBytes,
            LossBelow0_1 = Crossing(history, 0.1),
            LossBelow0_01 = Crossing(history, 0.01),
            TrainSeconds = final?.TrainSeconds ?? 0,
            WallSeconds = wall.Elapsed.TotalSeconds,
            Software = Build,
            History = points,
        }.WithMatrixUpdates();
    }

    /// <summary>"SbeCore 1.0.0+&lt;commit&gt;": this library's informational version.</summary>
    public static string Build { get; } = "SbeCore " + (typeof(CellRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    private static CrossingResult Crossing(TrainingHistory? history, double threshold)
    {
        if (history is null) return new CrossingResult();
        var c = history.Crossing(threshold);
        return new CrossingResult { Reached = c.Reached, Epoch = c.Epoch, RankOneWrites = c.RankOneWrites };
    }
}

using System.Diagnostics;
using SbeCore.Data;

namespace SbeCore.Training;

/// <summary>Progress of a running <see cref="Trainer"/>: fraction done in [0, 1] and the latest training loss seen.</summary>
/// <param name="Fraction">Samples trained / samples scheduled.</param>
/// <param name="Epoch">Fractional epochs done.</param>
/// <param name="LastTrainLoss">Full training-set loss at the latest evaluation point.</param>
public readonly record struct TrainingProgress(double Fraction, double Epoch, double LastTrainLoss);

/// <summary>
/// Runs a <see cref="TrainingSchedule"/> on a <see cref="Network"/>: per epoch a fresh shuffle (same for every method
/// with the same schedule), evaluation points at epoch ends (or more often), the whole training set's loss and
/// accuracy, test accuracy, cumulative rank-1 writes and training time; optional SBE diagnostics.
/// </summary>
public sealed class Trainer
{
    private readonly Network _network;
    private readonly Dataset _train;
    private readonly Dataset? _test;
    private readonly TrainingSchedule _schedule;

    /// <summary>Prepares a run; nothing is trained until <see cref="Run"/>.</summary>
    /// <exception cref="ArgumentException">The data does not fit the network or the schedule is invalid.</exception>
    public Trainer(Network network, Dataset train, Dataset? test, TrainingSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(schedule);
        schedule.Validate();
        foreach (var d in test is null ? new[] { train } : [train, test])
        {
            if (d.Features != network.InputSize) throw new ArgumentException($"data set '{d.Name}' has {d.Features} features, the network takes {network.InputSize}.", nameof(train));
            if (d.ClassCount > network.OutputSize) throw new ArgumentException($"data set '{d.Name}' has {d.ClassCount} classes, the network outputs {network.OutputSize}.", nameof(train));
        }
        if (train.Count == 0) throw new ArgumentException("the training set is empty.", nameof(train));
        _network = network; _train = train; _test = test; _schedule = schedule;
    }

    /// <summary>
    /// Called with the network after the last batch of every epoch, once <see cref="Network.CompletedEpochs"/> counts it
    /// and before that epoch's evaluation: the place to save a checkpoint, so a run resumed from it (evaluating first)
    /// repeats exactly what the uninterrupted run does next, read noise included.
    /// </summary>
    public Action<Network>? EpochTrained { get; set; }

    /// <summary>Trains and returns the history. <paramref name="progress"/> is called after every batch (keep it cheap).</summary>
    public TrainingHistory Run(Action<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var history = new TrainingHistory { PeripheralMemoryBytes = _network.PeripheralMemoryBytes };
        SbeDiagnostics? diagnostics = _schedule.Diagnostics ? new SbeDiagnostics(_network, history.Diagnostics) : null;
        var previousObserver = _network.BatchObserver;
        int n = _train.Count, batch = _schedule.BatchSize;
        int batchesPerEpoch = (n + batch - 1) / batch;
        int evals = Math.Min(_schedule.EvaluationsPerEpoch, batchesPerEpoch);
        var order = new int[n];
        long updates = (long)_schedule.FirstEpoch * batchesPerEpoch;
        double trainSeconds = 0;
        history.Records.Add(Evaluate(_schedule.FirstEpoch, updates, 0));
        try
        {
            if (diagnostics is not null) _network.BatchObserver = diagnostics;
            for (int epoch = _schedule.FirstEpoch; epoch < _schedule.Epochs; epoch++)
            {
                Network.ShuffledOrder(_schedule.EpochShuffleSeed(epoch), order);
                int nextEval = 1;
                for (int b = 0; b < batchesPerEpoch; b++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int first = b * batch, m = Math.Min(batch, n - first);
                    if (diagnostics is not null) diagnostics.Update = updates;
                    long t0 = Stopwatch.GetTimestamp();
                    TrainBatch(order.AsSpan(first, m), epoch, b);
                    trainSeconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
                    updates++;
                    double epochs = epoch + (double)(b + 1) / batchesPerEpoch;
                    if (b + 1 == batchesPerEpoch)
                    {
                        _network.CompletedEpochs = epoch + 1;
                        EpochTrained?.Invoke(_network);
                    }
                    if (b + 1 == (int)((long)batchesPerEpoch * nextEval / evals))
                    {
                        history.Records.Add(Evaluate(epochs, updates, trainSeconds));
                        nextEval++;
                    }
                    progress?.Invoke(new TrainingProgress(epochs / _schedule.Epochs, epochs, history.Final.TrainLoss));
                }
                if (_schedule.StopAtLoss > 0 && history.Final.TrainLoss <= _schedule.StopAtLoss) break;
            }
        }
        finally { _network.BatchObserver = previousObserver; }
        return history;
    }

    // The data was validated up front, so a batch that fails here has gone non-finite inside: report it as divergence.
    private void TrainBatch(Span<int> indices, int epoch, int batch)
    {
        try { _network.TrainBatch(_train.Images, _train.Labels, indices, _schedule.LearningRate); }
        catch (Exception e) when (e is ArgumentException or ArithmeticException or InvalidOperationException && IsNonFinite(e))
        {
            throw new TrainingDivergedException(epoch + 1, batch + 1, BatchLoss(indices), e);
        }
    }

    private static bool IsNonFinite(Exception e)
        => e.Message.Contains("NaN", StringComparison.Ordinal) || e.Message.Contains("Inf", StringComparison.OrdinalIgnoreCase)
           || e.Message.Contains("diverged", StringComparison.Ordinal) || e.Message.Contains("finite", StringComparison.Ordinal)
           || e.Message.Contains("overflow", StringComparison.OrdinalIgnoreCase) || e is ArithmeticException;

    private double BatchLoss(ReadOnlySpan<int> indices)
    {
        int features = _train.Features;
        var images = new float[indices.Length * features];
        var labels = new int[indices.Length];
        for (int j = 0; j < indices.Length; j++)
        {
            _train.Images.AsSpan(indices[j] * features, features).CopyTo(images.AsSpan(j * features));
            labels[j] = _train.Labels[indices[j]];
        }
        try { return _network.Evaluate(images, labels).Loss; }
        catch (ArgumentException) { return double.NaN; }
    }

    private TrainingRecord Evaluate(double epoch, long updates, double trainSeconds)
    {
        var train = _network.Evaluate(_train.Images, _train.Labels);
        var test = _test is null ? new Evaluation { Loss = double.NaN, Accuracy = double.NaN } : _network.Evaluate(_test.Images, _test.Labels);
        return new TrainingRecord
        {
            Epoch = epoch, Updates = updates, RankOneWrites = _network.RankOneWrites, Pulses = _network.TotalPulses,
            TrainLoss = train.Loss, TrainAccuracy = train.Accuracy, TestLoss = test.Loss, TestAccuracy = test.Accuracy,
            TrainSeconds = trainSeconds,
        };
    }
}

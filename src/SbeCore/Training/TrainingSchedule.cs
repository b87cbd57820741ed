namespace SbeCore.Training;

/// <summary>How a <see cref="Trainer"/> runs: epochs, batch size, constant learning rate, data order, evaluation points.</summary>
public sealed class TrainingSchedule
{
    /// <summary>Passes over the training set (>= 1).</summary>
    public int Epochs { get; init; } = 5;
    /// <summary>Samples per weight update (>= 1); the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Constant learning rate eta (no momentum), as in MBGD with a mean-reduced loss.</summary>
    public float LearningRate { get; init; } = 0.1f;
    /// <summary>Epoch e shuffles with a seed derived from this one, so every method sees the same data order.</summary>
    public ulong ShuffleSeed { get; init; }
    /// <summary>Evaluation points per epoch (>= 1): more for large batches, where an epoch holds few updates.</summary>
    public int EvaluationsPerEpoch { get; init; } = 1;
    /// <summary>Record SBE's singular-vector and singular-value errors against the exact SVD of every batch.</summary>
    public bool Diagnostics { get; init; }
    /// <summary>Epochs already trained (a run resumed from a checkpoint: <see cref="Network.CompletedEpochs"/>): the run
    /// trains epochs FirstEpoch..Epochs-1 with their own shuffles, so it continues an interrupted run exactly.</summary>
    public int FirstEpoch { get; init; }
    /// <summary>Stop early once the full training-set loss is at or below this (0 = never).</summary>
    public double StopAtLoss { get; init; }

    /// <summary>The shuffle seed of epoch <paramref name="epoch"/> (0-based).</summary>
    public ulong EpochShuffleSeed(int epoch)
    {
        ulong z = ShuffleSeed ^ (0xD1B54A32D192ED03UL * (ulong)(epoch + 1));
        z = (z ^ (z >> 32)) * 0xD6E8FEB86659FD93UL;
        return z ^ (z >> 32);
    }

    /// <summary>This schedule from <paramref name="firstEpoch"/> on (see <see cref="FirstEpoch"/>).</summary>
    public TrainingSchedule ResumingAt(int firstEpoch) => new()
    {
        Epochs = Epochs, BatchSize = BatchSize, LearningRate = LearningRate, ShuffleSeed = ShuffleSeed, EvaluationsPerEpoch = EvaluationsPerEpoch,
        Diagnostics = Diagnostics, FirstEpoch = firstEpoch, StopAtLoss = StopAtLoss,
    };

    internal void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs is {Epochs}; it must be >= 1.", nameof(Epochs));
        if (BatchSize < 1) throw new ArgumentException($"BatchSize is {BatchSize}; it must be >= 1.", nameof(BatchSize));
        if (!float.IsFinite(LearningRate) || LearningRate <= 0) throw new ArgumentException($"LearningRate is {LearningRate}; it must be finite and > 0.", nameof(LearningRate));
        if (FirstEpoch < 0 || FirstEpoch >= Epochs) throw new ArgumentException($"FirstEpoch is {FirstEpoch}; it must be in [0, Epochs = {Epochs}).", nameof(FirstEpoch));
        if (EvaluationsPerEpoch < 1) throw new ArgumentException($"EvaluationsPerEpoch is {EvaluationsPerEpoch}; it must be >= 1.", nameof(EvaluationsPerEpoch));
        if (!double.IsFinite(StopAtLoss) || StopAtLoss < 0) throw new ArgumentException($"StopAtLoss is {StopAtLoss}; it must be finite and >= 0.", nameof(StopAtLoss));
    }
}

using SbeCore.Training;

namespace SbeCore.Experiments;

/// <summary>What every cell of a sweep shares: the network shape, the epoch budget and when to evaluate or stop.</summary>
public sealed record ExperimentSettings
{
    /// <summary>Hidden layer sizes (784-100-10 by default: [100]).</summary>
    public int[] Hidden { get; init; } = [100];
    /// <summary>Layers instead of the MLP of <see cref="Hidden"/> (<see cref="NetworkOptions.Architecture"/>), or null.</summary>
    public string? Architecture { get; init; }
    /// <summary>Hidden activation.</summary>
    public Activation Activation { get; init; } = Activation.Relu;
    /// <summary>Epoch budget per cell.</summary>
    public int Epochs { get; init; } = 20;
    /// <summary>Stop a cell once the whole training-set loss is at or below this (0 = run the whole budget).</summary>
    public double StopAtLoss { get; init; } = 0.01;
    /// <summary>Most evaluation points per epoch; a batch size b gets min(this, max(1, b / 64)) (large batches have few updates per epoch).</summary>
    public int MaxEvaluationsPerEpoch { get; init; } = 4;

    /// <summary>Evaluation points per epoch at batch size <paramref name="batchSize"/>.</summary>
    public int EvaluationsPerEpoch(int batchSize) => Math.Clamp(batchSize / 64, 1, Math.Max(1, MaxEvaluationsPerEpoch));

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Validate()
    {
        if (Hidden is null) throw new ArgumentException("Hidden must not be null.", nameof(Hidden));
        foreach (int h in Hidden) if (h < 1) throw new ArgumentException($"hidden size {h} must be >= 1.", nameof(Hidden));
        if (Epochs < 1) throw new ArgumentException($"Epochs is {Epochs}; it must be >= 1.", nameof(Epochs));
        if (!double.IsFinite(StopAtLoss) || StopAtLoss < 0) throw new ArgumentException($"StopAtLoss is {StopAtLoss}; it must be >= 0.", nameof(StopAtLoss));
        if (MaxEvaluationsPerEpoch < 1) throw new ArgumentException($"MaxEvaluationsPerEpoch is {MaxEvaluationsPerEpoch}; it must be >= 1.", nameof(MaxEvaluationsPerEpoch));
    }
}

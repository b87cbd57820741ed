namespace SbeCore.Training;

/// <summary>What one call of <see cref="Network.TrainEpoch"/> did.</summary>
public readonly struct EpochMetrics
{
    /// <summary>Samples trained on.</summary>
    public int Samples { get; init; }
    /// <summary>Batches (weight updates) applied.</summary>
    public int Batches { get; init; }
    /// <summary>Mean cross-entropy of the samples as they were trained on (weights of their batch, before its update).</summary>
    public double MeanTrainingLoss { get; init; }
    /// <summary>Cumulative rank-1 writes of all tiles after the epoch.</summary>
    public long RankOneWrites { get; init; }
    /// <summary>Cumulative device pulses of all tiles after the epoch (0 on the ideal device).</summary>
    public long Pulses { get; init; }
    /// <summary>Wall time of the epoch in seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>One readable line: "8000 samples, 500 batches, train loss 0.2345, 1,000 rank-1 writes, 0 pulses, 0.41 s".</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Samples} samples, {Batches} batches, train loss {MeanTrainingLoss:0.0000}, {RankOneWrites:N0} rank-1 writes, {Pulses:N0} pulses, {Seconds:0.00} s");
}

/// <summary>Loss and accuracy of a network on a labelled set.</summary>
public readonly struct Evaluation
{
    /// <summary>Mean softmax cross-entropy (natural log).</summary>
    public double Loss { get; init; }
    /// <summary>Fraction of samples whose arg-max class equals the label, in [0, 1].</summary>
    public double Accuracy { get; init; }
    /// <summary>Samples evaluated.</summary>
    public int Samples { get; init; }

    /// <summary>One readable line: "accuracy 94.90%, loss 0.1712 on 2000 samples".</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"accuracy {Accuracy * 100:0.00}%, loss {Loss:0.0000} on {Samples} samples");
}

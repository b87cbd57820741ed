namespace SbeCore.Training;

/// <summary>One evaluation point of a run (epoch 0 is the initial network).</summary>
public sealed record TrainingRecord
{
    /// <summary>Epochs done, fractional between epoch ends.</summary>
    public double Epoch { get; init; }
    /// <summary>Weight updates (batches) applied so far.</summary>
    public long Updates { get; init; }
    /// <summary>Cumulative rank-1 writes to all tiles (a crossbar's cost; the paper's "matrix updates" count a dense mini-batch update as one, see SbeCore.Experiments.MatrixUpdateCount).</summary>
    public long RankOneWrites { get; init; }
    /// <summary>Cumulative device pulses of all tiles (0 on the ideal device).</summary>
    public long Pulses { get; init; }
    /// <summary>Mean cross-entropy over the whole training set at this point.</summary>
    public double TrainLoss { get; init; }
    /// <summary>Training-set accuracy in [0, 1].</summary>
    public double TrainAccuracy { get; init; }
    /// <summary>Test-set loss (NaN without a test set).</summary>
    public double TestLoss { get; init; }
    /// <summary>Test-set accuracy in [0, 1] (NaN without a test set).</summary>
    public double TestAccuracy { get; init; }
    /// <summary>Cumulative training wall time in seconds (evaluation and diagnostics excluded).</summary>
    public double TrainSeconds { get; init; }
}

/// <summary>First crossing of a training-loss threshold; censored (<see cref="Reached"/> false) if the run never got there.</summary>
public sealed record ThresholdCrossing
{
    /// <summary>The loss threshold.</summary>
    public double Threshold { get; init; }
    /// <summary>True if some evaluation point had training loss at or below the threshold.</summary>
    public bool Reached { get; init; }
    /// <summary>Epoch of the first crossing; if censored, the epochs run (a lower bound).</summary>
    public double Epoch { get; init; }
    /// <summary>Rank-1 writes at the first crossing; if censored, the writes issued (a lower bound).</summary>
    public long RankOneWrites { get; init; }
}

/// <summary>SBE estimate against the exact top singular triplet of one layer's batch-mean gradient.</summary>
public sealed record DiagnosticRecord
{
    /// <summary>Batch index (0-based, across epochs).</summary>
    public long Update { get; init; }
    /// <summary>Layer index.</summary>
    public int Layer { get; init; }
    /// <summary>1 - |cos(X, X_svd)| for the right (input-side) vector.</summary>
    public double RightVectorError { get; init; }
    /// <summary>1 - |cos(D, D_svd)| for the left (output-side) vector.</summary>
    public double LeftVectorError { get; init; }
    /// <summary>1 - s / s_svd.</summary>
    public double ValueError { get; init; }
}

/// <summary>Everything a run recorded.</summary>
public sealed class TrainingHistory
{
    /// <summary>Evaluation points in order, starting with the initial network at epoch 0.</summary>
    public List<TrainingRecord> Records { get; } = [];
    /// <summary>Per-batch SBE diagnostics (empty unless <see cref="TrainingSchedule.Diagnostics"/>).</summary>
    public List<DiagnosticRecord> Diagnostics { get; } = [];
    /// <summary>Peripheral memory of the network's rules, bytes.</summary>
    public long PeripheralMemoryBytes { get; set; }
    /// <summary>The last evaluation point.</summary>
    public TrainingRecord Final => Records[^1];

    /// <summary>First evaluation point with training loss at or below <paramref name="threshold"/>, else censored at the end.</summary>
    public ThresholdCrossing Crossing(double threshold)
    {
        foreach (var r in Records)
            if (r.TrainLoss <= threshold) return new ThresholdCrossing { Threshold = threshold, Reached = true, Epoch = r.Epoch, RankOneWrites = r.RankOneWrites };
        return new ThresholdCrossing { Threshold = threshold, Reached = false, Epoch = Final.Epoch, RankOneWrites = Final.RankOneWrites };
    }
}

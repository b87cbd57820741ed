using SbeCore.Crossbar;

namespace SbeCore.Updates;

/// <summary>
/// A per-layer, per-batch weight-update rule (SGD, MiniBatch, TruncatedSvd-k, Sbe-k). One instance per layer:
/// it may carry state across batches (SBE's warm start). Weights are frozen while a batch streams; the rule writes at its end.
/// </summary>
public interface IUpdateRule
{
    /// <summary>Short name, e.g. "sbe-1".</summary>
    string Name { get; }

    /// <summary>Rank-1 writes this rule has issued so far.</summary>
    long RankOneWrites { get; }

    /// <summary>Peripheral memory the rule needs beside the array, in bytes.</summary>
    long PeripheralMemoryBytes { get; }

    /// <summary>
    /// Applies one batch: deltas is n x tile.Rows (error at the layer's pre-activation), inputs is n x tile.Cols
    /// (layer input incl. the bias column). Effectively W -= learningRate * update(batch-mean gradient)
    /// (SGD: W -= learningRate * delta_j x_j^T for every sample). Allocation-free in steady state.
    /// </summary>
    void Apply(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate);

    /// <summary>
    /// Applies one batch of n samples that each contribute <paramref name="positions"/> rank-1 terms (a convolution's
    /// output positions): deltas is (n x positions) x Rows and inputs (n x positions) x Cols, sample-major. The gradient
    /// step of the mean loss is W -= lr (1/n) sum_j sum_p delta_jp x_jp^T, which is a batch-mean rule's mean over the
    /// n x positions pairs at lr x positions (this default). Per-sample rules override it (<see cref="SgdRule"/>).
    /// positions = 1 is <see cref="Apply"/>, bit for bit.
    /// </summary>
    void ApplyPositions(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, int positions, float learningRate)
    {
        Check.AtLeast(positions, 1);
        Apply(tile, deltas, inputs, checked(n * positions), positions == 1 ? learningRate : learningRate * positions);
    }
}

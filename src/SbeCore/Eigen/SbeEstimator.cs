namespace SbeCore.Eigen;

// FROZEN PUBLIC SIGNATURES (update rules and C ABI compile against them); bodies are placeholders
// that the estimator work replaces. Members may be added; these may not change.

/// <summary>
/// Streaming estimator of the top-k singular triplets of a batch-mean gradient M = (1/n) sum_j delta_j x_j^T,
/// fed one (delta, x) pair at a time in O(k(a+b)) memory (Hoskins et al. 2019, SBE).
/// A batch starts with the first Observe after construction, Reset or Estimate; Estimate closes it
/// (flushing a partial sub-batch) and returns the triplets. X, D and s are kept as the next batch's warm start.
/// </summary>
public sealed class SbeEstimator
{
    /// <summary>Creates an estimator for a rows (a, outputs) x cols (b, inputs) gradient.</summary>
    public SbeEstimator(int rows, int cols, EstimatorOptions? options = null, ulong seed = 0)
    {
        Rows = rows; Cols = cols; Options = options ?? new EstimatorOptions();
    }

    /// <summary>a: length of delta.</summary>
    public int Rows { get; }
    /// <summary>b: length of x.</summary>
    public int Cols { get; }
    /// <summary>k.</summary>
    public int Rank => Options.Rank;
    /// <summary>The options.</summary>
    public EstimatorOptions Options { get; }

    /// <summary>Feeds one sample (delta length Rows, x length Cols). Rejects NaN/Inf leaving state unchanged.</summary>
    public void Observe(ReadOnlySpan<float> delta, ReadOnlySpan<float> x) => throw new NotImplementedException();

    /// <summary>Feeds n samples: deltas n x Rows, xs n x Cols, row-major.</summary>
    public void ObserveBatch(ReadOnlySpan<float> deltas, ReadOnlySpan<float> xs, int n) => throw new NotImplementedException();

    /// <summary>Closes the batch and writes s (k), d (k x Rows, unit rows), x (k x Cols, unit rows): M ~ sum_c s_c d_c x_c^T.</summary>
    public void Estimate(Span<float> s, Span<float> d, Span<float> x) => throw new NotImplementedException();

    /// <summary>Back to the initial state drawn from the seed.</summary>
    public void Reset() => throw new NotImplementedException();
}

/// <summary>Estimator options (see docs: SBE.md sections 2 and 3).</summary>
public sealed class EstimatorOptions
{
    /// <summary>k, number of singular triplets.</summary>
    public int Rank { get; init; } = 1;
    /// <summary>m, samples per bi-iteration step for rank k (1 = fully streaming).</summary>
    public int SubBatch { get; init; } = 1;
}

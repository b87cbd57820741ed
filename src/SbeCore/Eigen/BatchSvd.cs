namespace SbeCore.Eigen;

// FROZEN PUBLIC SIGNATURE (the trainer's diagnostic mode uses it).

/// <summary>Exact top-k singular triplets of a batch-mean gradient without forming the a*b matrix (SBE.md section 4).</summary>
public static class BatchSvd
{
    /// <summary>
    /// Top k = s.Length singular triplets of M = (1/n) sum_j delta_j x_j^T; deltas n x rows, inputs n x cols.
    /// Writes s (descending, >= 0), d (k x rows, unit rows) and x (k x cols, unit rows).
    /// Allocates its scratch per call; use <see cref="BatchSvdSolver"/> to reuse it.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths, n &lt; 1, k outside 1..min(rows, cols), NaN/Inf.</exception>
    public static void TopK(ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, int rows, int cols,
        Span<float> s, Span<float> d, Span<float> x)
        => new BatchSvdSolver(rows, cols).TopK(deltas, inputs, n, s, d, x);
}

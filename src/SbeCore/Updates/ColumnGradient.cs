using SbeCore.Eigen;
using SbeCore.Kernels;

namespace SbeCore.Updates;

/// <summary>
/// The batch-mean gradient G = (1/(nP)) sum_j D_j X_j^T of a convolution's n x P pairs given as columns
/// (<see cref="IColumnPairsRule"/>): one product per sample, dot products along the positions. Its finiteness stands
/// for the pairs' (every non-finite delta or input reaches G: 0 times Inf is NaN), so the n x P pairs are scanned only
/// to name a culprit.
/// </summary>
internal sealed class ColumnGradient
{
    private readonly int _rows, _cols;
    private readonly float[] _sample; // one sample's sum over positions
    private readonly ParallelKernels _threaded = new(); // split by rows of G over the array's threads

    public ColumnGradient(int rows, int cols)
    {
        _rows = rows; _cols = cols;
        _sample = new float[(long)rows * cols];
    }

    /// <summary>G into rows of <paramref name="g"/> at <paramref name="stride"/>; shapes already checked, n &gt;= 1.</summary>
    /// <exception cref="ArgumentException">A non-finite delta or input (named), or a G that overflows float; the caller
    /// writes nothing then.</exception>
    public void Compute(ReadOnlySpan<float> deltaColumns, ReadOnlySpan<float> inputColumns, int n, int positions, Span<float> g, int stride, int threads)
    {
        int rows = _rows, cols = _cols;
        float weight = 1f / ((long)n * positions);
        for (int r = 0; r < rows; r++) g.Slice(r * stride, cols).Clear();
        _threaded.PairColumnSums(deltaColumns.Slice(0, n * rows * positions), inputColumns.Slice(0, n * cols * positions), n, positions, rows, cols,
                                 weight, _sample, g, stride, threads);
        for (int r = 0; r < rows; r++)
        {
            if (EstimatorKernels.AllFinite(g.Slice(r * stride, cols))) continue;
            RuleGuards.CheckFinite(deltaColumns, inputColumns);
            throw new ArgumentException("the batch gradient overflows float (finite deltas and inputs, too large); nothing was written.", nameof(deltaColumns));
        }
    }
}

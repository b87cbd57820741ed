using SbeCore.Crossbar;
using SbeCore.Kernels;

namespace SbeCore.Updates;

/// <summary>Mini-batch gradient descent: the batch-mean gradient accumulated densely in an a x b buffer beside the
/// array, then one dense write counted as min(n, a, b) rank-1 writes (docs/method.md section 4). The buffer's rows start on
/// 64-byte boundaries (<see cref="AlignedMatrix"/>): the per-sample accumulation measured 1.25x faster than at the
/// layer's odd stride (785), with the same bits.</summary>
public sealed class MiniBatchRule : IUpdateRule, IColumnPairsRule, IRuleState, ILayerLocalRule
{
    private readonly AlignedMatrix _gradient;
    private readonly ParallelKernels _threaded = new(); // the gradient split by rows over the array's threads
    private float[] _weights = []; // n copies of 1/n for the one-pass accumulation (grows once to the largest batch)
    private readonly ColumnGradient _columns; // a convolution's pairs given as columns

    /// <summary>Creates the rule for a rows x cols layer.</summary>
    public MiniBatchRule(int rows, int cols)
    {
        RuleGuards.CheckShape(rows, cols);
        Rows = rows; Cols = cols; _gradient = new AlignedMatrix(rows, cols);
        _columns = new ColumnGradient(rows, cols);
    }

    /// <summary>a.</summary>
    public int Rows { get; }
    /// <summary>b.</summary>
    public int Cols { get; }
    /// <inheritdoc />
    public string Name => "minibatch";
    /// <inheritdoc />
    public long RankOneWrites { get; private set; }
    /// <inheritdoc />
    public long PeripheralMemoryBytes => (long)Rows * Cols * sizeof(float);

    /// <summary>Adds one sample's contribution weight * delta x^T to the dense buffer (the per-sample cost of MBGD).</summary>
    internal void Accumulate(float weight, ReadOnlySpan<float> delta, ReadOnlySpan<float> x)
        => Blas.Ger(weight, delta, x, _gradient.Span, Rows, Cols, _gradient.Stride);

    /// <summary>Sets the buffer to the batch mean (1/n) sum_j delta_j x_j^T in one pass (bit-for-bit a cleared buffer and
    /// the n per-sample <see cref="Accumulate"/> calls, in order; measured in ObservePerSampleBenchmarks), split by rows over
    /// the array's threads, each clearing its own rows first (the same bits for any count).</summary>
    internal void AccumulateBatch(ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, IAnalogArray tile)
    {
        if (_weights.Length < n) _weights = new float[n];
        var w = _weights.AsSpan(0, n);
        w.Fill(1f / n);
        _threaded.RankK(deltas, w, inputs, _gradient.Span, Rows, Cols, _gradient.Stride, tile.Threads, clearFirst: true);
    }

    UpdateWork ILayerLocalRule.Work(int pairs, CrossbarTile tile) => new(0, UpdateWork.Product(pairs, Rows, Cols) + UpdateWork.Writes(1, tile)); // one dense write

    /// <inheritdoc />
    public void Apply(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        RuleGuards.CheckApply(tile, Rows, Cols, deltas, inputs, n, learningRate);
        if (n == 0) return;
        AccumulateBatch(deltas, inputs, n, tile); // clears the buffer first, each thread its rows
        long writes = Math.Min(n, Math.Min(Rows, Cols));
        tile.UpdateDense(learningRate, _gradient.Span, _gradient.Stride, writes);
        RankOneWrites += writes;
    }

    /// <summary>The batch as <see cref="IUpdateRule.ApplyPositions"/> takes it, with each sample's P pairs as columns: its
    /// P-term sum D_j X_j^T is one product of the Rows x P and Cols x P blocks (dot products along the positions, where
    /// the position-major pairs would take P rank-1 passes over the buffer).</summary>
    public void ApplyPositionColumns(IAnalogArray tile, ReadOnlySpan<float> deltaColumns, ReadOnlySpan<float> inputColumns, int n, int positions, float learningRate)
    {
        Check.AtLeast(positions, 1);
        int pairs = checked(n * positions);
        RuleGuards.CheckShapes(tile, Rows, Cols, deltaColumns, inputColumns, pairs, learningRate * positions);
        if (n == 0) return;
        var g = _gradient.Span;
        _columns.Compute(deltaColumns, inputColumns, n, positions, g, _gradient.Stride, tile.Threads);
        long writes = Math.Min(pairs, Math.Min(Rows, Cols));
        tile.UpdateDense(learningRate * positions, g, _gradient.Stride, writes);
        RankOneWrites += writes;
    }

    void IRuleState.WriteState(BinaryWriter w) => w.Write(RankOneWrites);
    void IRuleState.ReadState(BinaryReader r) => RankOneWrites = RuleStateCodec.ReadCount(r);
}

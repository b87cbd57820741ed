using SbeCore.Crossbar;
using SbeCore.Eigen;

namespace SbeCore.Updates;

/// <summary>SVD-k: the exact top-k singular triplets of the batch-mean gradient (computed without the a x b matrix,
/// <see cref="BatchSvdSolver"/>), applied as k rank-1 writes.</summary>
public sealed class TruncatedSvdRule : IUpdateRule, IColumnPairsRule, IRuleState, ILayerLocalRule
{
    private readonly BatchSvdSolver _solver;
    private readonly float[] _s, _d, _x;
    private ColumnGradient? _columns;          // a convolution's pairs as columns: G formed explicitly (made on first use)
    private float[] _gradient = [], _rowsEye = []; // G (rows x cols) and rows I: G as the rows pairs (rows e_i, G_i)

    /// <summary>Creates the rule for a rows x cols layer and rank k.</summary>
    public TruncatedSvdRule(int rows, int cols, int rank = 1)
    {
        RuleGuards.CheckShape(rows, cols);
        RuleGuards.CheckRank(rank, rows, cols);
        if ((long)rank * ((long)rows + cols) > EstimatorOptions.MaxBufferFloats)
            throw new ArgumentException($"rank x (rows + cols) = {(long)rank * ((long)rows + cols)} floats of output, more than {EstimatorOptions.MaxBufferFloats}.", nameof(rank));
        Rows = rows; Cols = cols; Rank = rank;
        _solver = new BatchSvdSolver(rows, cols);
        _s = new float[rank]; _d = new float[rank * rows]; _x = new float[rank * cols];
    }

    /// <summary>a.</summary>
    public int Rows { get; }
    /// <summary>b.</summary>
    public int Cols { get; }
    /// <summary>k.</summary>
    public int Rank { get; }
    /// <inheritdoc />
    public string Name => $"svd-{Rank}";
    /// <inheritdoc />
    public long RankOneWrites { get; private set; }
    /// <summary>a*b floats: the buffer a peripheral computing the exact SVD would need (docs/method.md section 4). The software
    /// solver itself works in O(n(a+b) + n^2) doubles for small batches, O(min(a,b)^2 + 64 max(a,b)) for large ones.</summary>
    public long PeripheralMemoryBytes => (long)Rows * Cols * sizeof(float);


    /// <summary>The last batch's singular values (descending).</summary>
    public ReadOnlySpan<float> LastS => _s;

    // The batch's Gram matrix and projections: pairs x min(pairs, a, b) x (a + b) serial multiply-adds.
    UpdateWork ILayerLocalRule.Work(int pairs, CrossbarTile tile)
        => new(UpdateWork.Product((long)pairs * Math.Min(pairs, Math.Min(Rows, Cols)), Rows + Cols, 1), UpdateWork.Writes(Rank, tile));

    /// <inheritdoc />
    public void Apply(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        RuleGuards.CheckApply(tile, Rows, Cols, deltas, inputs, n, learningRate);
        if (n == 0) return;
        _solver.TopK(deltas, inputs, n, _s, _d, _x);
        tile.UpdateRankK(learningRate, _s, _d, _x);
        RankOneWrites += Rank;
    }

    /// <summary>A convolution's pairs as columns: its n x P pairs far outnumber the tile's rows and columns, so G (a x b,
    /// the buffer this rule is counted with) is formed as one product per sample and its exact top-k taken from the
    /// a pairs (a e_i, G_i), whose mean is G: the same update as <see cref="IUpdateRule.ApplyPositions"/> on the pairs, up
    /// to float rounding, without solving over n x P of them.</summary>
    public void ApplyPositionColumns(IAnalogArray tile, ReadOnlySpan<float> deltaColumns, ReadOnlySpan<float> inputColumns, int n, int positions, float learningRate)
    {
        Check.AtLeast(positions, 1);
        int pairs = checked(n * positions);
        RuleGuards.CheckShapes(tile, Rows, Cols, deltaColumns, inputColumns, pairs, learningRate * positions);
        if (n == 0) return;
        if (_columns is null)
        {
            _columns = new ColumnGradient(Rows, Cols);
            _gradient = new float[(long)Rows * Cols];
            _rowsEye = new float[(long)Rows * Rows];
            for (int i = 0; i < Rows; i++) _rowsEye[i * Rows + i] = Rows; // an integer: exact
        }
        _columns.Compute(deltaColumns, inputColumns, n, positions, _gradient, Cols, tile.Threads);
        _solver.TopK(_rowsEye, _gradient, Rows, _s, _d, _x);
        tile.UpdateRankK(learningRate * positions, _s, _d, _x);
        RankOneWrites += Rank;
    }

    void IRuleState.WriteState(BinaryWriter w) => w.Write(RankOneWrites);
    void IRuleState.ReadState(BinaryReader r) => RankOneWrites = RuleStateCodec.ReadCount(r);
}

using SbeCore.Crossbar;
using SbeCore.Eigen;

namespace SbeCore.Updates;

/// <summary>SVD-k: the exact top-k singular triplets of the batch-mean gradient (computed without the a x b matrix,
/// <see cref="BatchSvdSolver"/>), applied as k rank-1 writes.</summary>
public sealed class TruncatedSvdRule : IUpdateRule, IRuleState
{
    private readonly BatchSvdSolver _solver;
    private readonly float[] _s, _d, _x;

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

    /// <inheritdoc />
    public void Apply(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        RuleGuards.CheckApply(tile, Rows, Cols, deltas, inputs, n, learningRate);
        if (n == 0) return;
        _solver.TopK(deltas, inputs, n, _s, _d, _x);
        tile.UpdateRankK(learningRate, _s, _d, _x);
        RankOneWrites += Rank;
    }

    void IRuleState.WriteState(BinaryWriter w) => w.Write(RankOneWrites);
    void IRuleState.ReadState(BinaryReader r) => RankOneWrites = RuleStateCodec.ReadCount(r);
}

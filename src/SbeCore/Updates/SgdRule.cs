using SbeCore.Crossbar;

namespace SbeCore.Updates;

/// <summary>Per-sample SGD: a rank-1 write W -= lr delta_j x_j^T for every sample (weights were frozen while the
/// deltas were computed, so with n &gt; 1 this is n sequential writes of a frozen-weight batch; n = 1 is the paper's SGD).</summary>
public sealed class SgdRule : IUpdateRule, IRuleState, ILayerLocalRule
{
    /// <summary>Creates the rule for a rows x cols layer.</summary>
    public SgdRule(int rows, int cols) { RuleGuards.CheckShape(rows, cols); Rows = rows; Cols = cols; }

    private float[] _ones = [];

    /// <summary>a.</summary>
    public int Rows { get; }
    /// <summary>b.</summary>
    public int Cols { get; }
    /// <inheritdoc />
    public string Name => "sgd";
    /// <inheritdoc />
    public long RankOneWrites { get; private set; }
    /// <inheritdoc />
    public long PeripheralMemoryBytes => 0;

    UpdateWork ILayerLocalRule.Work(int pairs, CrossbarTile tile) => new(0, UpdateWork.Writes(pairs, tile)); // one rank-n write

    /// <inheritdoc />
    public void Apply(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        RuleGuards.CheckApply(tile, Rows, Cols, deltas, inputs, n, learningRate);
        if (n == 0) return;
        if (_ones.Length < n) { _ones = new float[n]; Array.Fill(_ones, 1f); } // grows once to the largest batch
        // The n writes as one rank-n call: the same writes in the same order (lr x 1 each), checked and bounded once for
        // the batch, so a batch the tile refuses leaves it untouched (a loss of one call per sample, 56,000 a LeNet-5 batch).
        tile.UpdateRankK(learningRate, _ones.AsSpan(0, n), deltas, inputs);
        RankOneWrites += n;
    }

    /// <summary>
    /// A conv layer's sample: its P terms delta_jp x_jp^T go to the array as P rank-1 writes at lr each (together the
    /// sample's gradient step), counted as P writes. aihwkit's pulsed update of a conv tile does the same (its batched
    /// pulsed update draws one pulse train pair per unfolded row); one dense write of the sample's sum would hide up to
    /// min(P, Rows, Cols) rank-1 terms inside one count and is not what a rank-1 outer-product array can do.
    /// </summary>
    public void ApplyPositions(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, int positions, float learningRate)
    {
        Check.AtLeast(positions, 1);
        Apply(tile, deltas, inputs, checked(n * positions), learningRate);
    }

    void IRuleState.WriteState(BinaryWriter w) => w.Write(RankOneWrites);
    void IRuleState.ReadState(BinaryReader r) => RankOneWrites = RuleStateCodec.ReadCount(r);
}

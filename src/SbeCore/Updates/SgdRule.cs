using SbeCore.Crossbar;

namespace SbeCore.Updates;

/// <summary>Per-sample SGD: a rank-1 write W -= lr delta_j x_j^T for every sample (weights were frozen while the
/// deltas were computed, so with n &gt; 1 this is n sequential writes of a frozen-weight batch; n = 1 is the paper's SGD).</summary>
public sealed class SgdRule : IUpdateRule
{
    /// <summary>Creates the rule for a rows x cols layer.</summary>
    public SgdRule(int rows, int cols) { RuleGuards.CheckShape(rows, cols); Rows = rows; Cols = cols; }

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

    /// <inheritdoc />
    public void Apply(CrossbarTile tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        RuleGuards.CheckApply(tile, Rows, Cols, deltas, inputs, n, learningRate);
        for (int j = 0; j < n; j++) tile.Update(learningRate, deltas.Slice(j * Rows, Rows), inputs.Slice(j * Cols, Cols));
        RankOneWrites += n;
    }
}

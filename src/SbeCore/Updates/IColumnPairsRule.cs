using SbeCore.Crossbar;

namespace SbeCore.Updates;

/// <summary>
/// A rule that takes a convolution's n x P pairs in the layer's own layout, each sample's pairs as columns, so the layer
/// transposes nothing for it: the update of <see cref="IUpdateRule.ApplyPositions"/> on the same pairs (up to the order
/// of float summation).
/// </summary>
public interface IColumnPairsRule
{
    /// <summary>deltaColumns is n x tile.Rows x positions and inputColumns n x tile.Cols x positions: pair p of sample j
    /// is column p of block j of each. Allocation-free in steady state.</summary>
    void ApplyPositionColumns(IAnalogArray tile, ReadOnlySpan<float> deltaColumns, ReadOnlySpan<float> inputColumns, int n, int positions, float learningRate);
}

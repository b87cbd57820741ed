using SbeCore.Crossbar;
using SbeCore.Eigen;

namespace SbeCore.Updates;

/// <summary>Argument checks shared by the update rules: every check runs before anything is written.</summary>
internal static class RuleGuards
{
    public static void CheckApply(IAnalogArray tile, int rows, int cols, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        CheckShapes(tile, rows, cols, deltas, inputs, n, learningRate);
        CheckFinite(deltas, inputs);
    }

    /// <summary>Everything <see cref="CheckApply"/> checks but the finiteness of the elements.</summary>
    public static void CheckShapes(IAnalogArray tile, int rows, int cols, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(tile);
        if (tile.Rows != rows || tile.Cols != cols)
            throw new ArgumentException($"The tile is {tile.Rows} x {tile.Cols}, the rule was built for {rows} x {cols}.", nameof(tile));
        if (n < 0) throw new ArgumentException($"n must be >= 0 (got {n}).", nameof(n));
        if (deltas.Length != (long)n * rows) throw new ArgumentException($"deltas has {deltas.Length} elements, expected n*Rows = {(long)n * rows}.", nameof(deltas));
        if (inputs.Length != (long)n * cols) throw new ArgumentException($"inputs has {inputs.Length} elements, expected n*Cols = {(long)n * cols}.", nameof(inputs));
        if (!float.IsFinite(learningRate)) throw new ArgumentException($"learningRate must be finite (got {learningRate}).", nameof(learningRate));
    }

    public static void CheckFinite(ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs)
    {
        if (!EstimatorKernels.AllFinite(deltas)) throw new ArgumentException("deltas contains NaN or Inf.", nameof(deltas));
        if (!EstimatorKernels.AllFinite(inputs)) throw new ArgumentException("inputs contains NaN or Inf.", nameof(inputs));
    }

    public static void CheckShape(int rows, int cols)
    {
        if (rows < 1) throw new ArgumentException($"rows must be >= 1 (got {rows}).", nameof(rows));
        if (cols < 1) throw new ArgumentException($"cols must be >= 1 (got {cols}).", nameof(cols));
    }

    public static void CheckRank(int rank, int rows, int cols)
    {
        if (rank < 1 || rank > Math.Min(rows, cols))
            throw new ArgumentException($"rank must be in 1..min(rows, cols) = 1..{Math.Min(rows, cols)} (got {rank}).", nameof(rank));
    }
}

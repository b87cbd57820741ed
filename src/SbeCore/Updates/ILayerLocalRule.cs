using SbeCore.Crossbar;

namespace SbeCore.Updates;

/// <summary>
/// A built-in rule's promise that its state is its layer's own (nothing shared with another layer's rule), so a network
/// may run several layers' updates side by side, and its estimate of what one batch's update costs
/// (<see cref="UpdateWork"/>). Rules outside SbeCore do not implement it: a network with one of them updates its layers
/// in order.
/// </summary>
internal interface ILayerLocalRule
{
    /// <summary>The estimated cost of one batch of <paramref name="pairs"/> rank-1 terms on <paramref name="tile"/>.</summary>
    UpdateWork Work(int pairs, CrossbarTile tile);
}

/// <summary>
/// Estimated nanoseconds of one layer's batch update, split into the part that runs as one serial chain (an estimator
/// streaming the pairs one by one) and the part the tile splits over its threads (gradients, writes). Rough figures
/// measured on the development machine (Zen 4, one thread); a schedule only compares them with each other.
/// </summary>
internal readonly record struct UpdateWork(double SerialNanoseconds, double SplitNanoseconds)
{
    // A rank-1 streaming step (Oja / power-iteration over one pair): about 80 ns of dependent reductions and scalar
    // work whatever the shape, plus about 0.13 ns per element of the two vectors (SbeEstimator, 6x26: 82 ns, 512x785:
    // 243-255 ns).
    private const double StepNanoseconds = 80, StepNanosecondsPerElement = 0.13;
    // A blocked matrix product's multiply-add (the mini-batch gradient).
    private const double ProductNanoseconds = 0.03;

    /// <summary>Streaming <paramref name="pairs"/> through <paramref name="chains"/> rank-1 chains of a rows x cols layer.</summary>
    public static double Streaming(long pairs, int chains, int rows, int cols)
        => pairs * chains * (StepNanoseconds + StepNanosecondsPerElement * (rows + cols));

    /// <summary>A rows x cols matrix product over <paramref name="pairs"/> pairs.</summary>
    public static double Product(long pairs, int rows, int cols) => pairs * (double)rows * cols * ProductNanoseconds;

    /// <summary><paramref name="writes"/> rank-1 writes to <paramref name="tile"/>.</summary>
    public static double Writes(long writes, CrossbarTile tile) => writes * (double)tile.Rows * tile.Cols * tile.WriteNanosecondsPerDevice;
}

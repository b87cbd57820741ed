using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Training;

namespace SbeCore.Tests.Training;

// UpdateBounds first tries the batch-wide bound (largest |delta| times largest |x|) and falls back to the exact per-pair
// bound when that is not far inside the limits: the verdicts must be the exact bound's.
public class UpdateBoundsTests
{
    private const int Rows = 3, Cols = 4;

    // Two pairs: the largest |delta| in pair 0, the largest |x| in pair 1, so the batch-wide bound is far larger than
    // any pair's.
    private static (float[] Deltas, float[] Inputs) SplitMaxima(float big)
    {
        float[] deltas = [big, 0.5f, -0.25f, 1f, -1f, 0.5f];
        float[] inputs = [1f, -1f, 0.5f, 1f, 0.25f, -big, 1f, 0.5f];
        return (deltas, inputs);
    }

    [Fact]
    public void APairwiseSafeBatchPassesEvenWhenTheBatchWideBoundIsBeyondTheLimit()
    {
        var tile = new CrossbarTile(Rows, Cols);
        float big = (float)Math.Sqrt(SampleScale.Limit); // big * big * sqrt(12) is beyond the limit, big * 1 * sqrt(12) is not
        var (deltas, inputs) = SplitMaxima(big);
        UpdateBounds.Check(0, tile, deltas, inputs, pairs: 2, positions: 1, rank: 1, learningRate: 1e-30f);
    }

    [Fact]
    public void APairBeyondTheLimitIsReportedAsDivergence()
    {
        var tile = new CrossbarTile(Rows, Cols);
        float big = (float)Math.Sqrt(SampleScale.Limit);
        var (deltas, inputs) = SplitMaxima(big);
        inputs[0] = big; // pair 0 now holds both maxima
        var e = Assert.Throws<InvalidOperationException>(() => UpdateBounds.Check(0, tile, deltas, inputs, 2, 1, 1, 1e-30f));
        Assert.Contains("diverged", e.Message);
    }

    [Fact]
    public void ALearningRateThatCouldLeaveFloatRangeIsRefusedOnEitherPath()
    {
        var tile = new CrossbarTile(Rows, Cols);
        var (deltas, inputs) = SplitMaxima(2f);
        // Pair bounds sqrt(12) * 2 each: the weights can reach lr * 13.9. The batch-wide bound (sqrt(12) * 2 * 2 per pair)
        // clears lr 1e30 at once; at 1e37 it does not, and the exact bound (1.4e38) accepts; 1e38 is refused.
        UpdateBounds.Check(0, tile, deltas, inputs, 2, 1, 1, 1e30f);
        UpdateBounds.Check(0, tile, deltas, inputs, 2, 1, 1, 1e37f);
        var e = Assert.Throws<ArgumentException>(() => UpdateBounds.Check(0, tile, deltas, inputs, 2, 1, 1, 1e38f));
        Assert.Contains("too large", e.Message);
    }

    [Fact]
    public void NonFiniteValuesAreReportedAsDivergence()
    {
        var tile = new CrossbarTile(Rows, Cols);
        var (deltas, inputs) = SplitMaxima(2f);
        inputs[6] = float.NaN;
        Assert.Throws<InvalidOperationException>(() => UpdateBounds.Check(0, tile, deltas, inputs, 2, 1, 1, 0.1f));
    }
}

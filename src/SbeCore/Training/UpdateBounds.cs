using SbeCore.Kernels;
using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Training.Layers;

namespace SbeCore.Training;

// Before any layer is written: every rule's update of a weight is at most lr k sum_j |delta_j| |x_j| (a rank-1 term
// with unit vectors carries s <= max_j |delta_j| |x_j|; SGD applies the n terms one by one), bounded here through
// max |elements| (exact, cannot overflow). A learning rate that could push a weight past float is refused, and a
// gradient beyond what the update rules accept is reported as divergence, with nothing changed either way and no
// parameter named that the caller did not pass.
// Over a conv layer's n x P pairs the bound is P times larger (a mean rule divides the P-scaled rate by nP; SGD writes
// each pair at lr).
internal static class UpdateBounds
{
    /// <summary>A tile layer's last batch, whose pair inputs are elements of <paramref name="layerInput"/> (the n samples the
    /// layer read), zeros (padding) and ones (the bias): their largest |x| is at most max(1, max |layerInput|), a scan of
    /// the input instead of the unfolded pairs (26 and 15 times larger on LeNet-5's convolutions). The exact per-pair
    /// check runs only when that bound is not decisive (a convolution then transposes its pairs).</summary>
    public static void Check(int layer, ITileLayer t, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> layerInput, int n, int rank, float learningRate)
    {
        float inputs = Math.Max(1f, SimdReduce.AbsMax(layerInput)); // NaN stays NaN: the exact check then decides
        // The output gradient holds the pairs' deltas in either layout (a convolution's deltas are its elements).
        if (Loose(t.Tile, SimdReduce.AbsMax(gradOutput), inputs, n * t.Positions, t.Positions, rank, learningRate)) return;
        Exact(layer, t.Tile, t.PairDeltas(gradOutput, n), t.PairInputs(n), n * t.Positions, t.Positions, rank, learningRate);
    }

    public static void Check(int layer, CrossbarTile tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int pairs, int positions, int rank, float learningRate)
    {
        if (Loose(tile, SimdReduce.AbsMax(deltas.Slice(0, pairs * tile.Rows)), SimdReduce.AbsMax(inputs.Slice(0, pairs * tile.Cols)), pairs, positions, rank, learningRate)) return;
        Exact(layer, tile, deltas, inputs, pairs, positions, rank, learningRate);
    }

    // Every pair's own bound: the verdicts.
    private static void Exact(int layer, CrossbarTile tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int pairs, int positions, int rank, float learningRate)
    {
        int rows = tile.Rows, cols = tile.Cols;
        double root = Math.Sqrt((double)rows * cols), sum = 0;
        double weights = SimdReduce.AbsMax(tile.Weights), rate = Math.Abs((double)learningRate) * Math.Max(1, rank) * positions;
        for (int j = 0; j < pairs; j++)
        {
            double bound = root * SimdReduce.AbsMax(deltas.Slice(j * rows, rows)) * SimdReduce.AbsMax(inputs.Slice(j * cols, cols));
            if (!(bound < SampleScale.Limit))
                throw new InvalidOperationException($"training diverged: layer {layer}'s gradient (|delta| |x| up to {bound:g3}) is beyond float range; no weights were changed. Lower the learning rate.");
            sum += bound;
        }
        double reach = weights + rate * sum;
        if (!(reach <= float.MaxValue))
            throw new ArgumentException($"learningRate {learningRate} is too large: layer {layer}'s weights could reach {reach:g3}, beyond float range; no weights were changed. Lower the learning rate.", nameof(learningRate));
    }

    // The batch's largest |delta| and |x| bound every pair's term: two long scans instead of two short ones per pair
    // (a conv layer has n x P pairs of a few floats), and the tile's bound on max |W| (an ideal tile tracks one, so its
    // weights are not scanned every step). True when even that bound is far inside both limits, so every exact check
    // passes; otherwise the exact checks decide, so the verdicts are those of the exact bound. NaN is false.
    private static bool Loose(CrossbarTile tile, float maxDelta, float maxInput, int pairs, int positions, int rank, float learningRate)
    {
        double root = Math.Sqrt((double)tile.Rows * tile.Cols);
        double weights = tile.WeightMagnitudeBound, rate = Math.Abs((double)learningRate) * Math.Max(1, rank) * positions;
        double loose = root * maxDelta * maxInput;
        return loose < SampleScale.Limit && weights + rate * pairs * loose <= 0.5 * float.MaxValue;
    }
}

using SbeCore.Updates;

namespace SbeCore.Experiments;

/// <summary>
/// The paper's cost count (docs/method.md section 5, result 3), kept beside the crossbar's rank-1 writes: a <b>matrix update</b>
/// is one update of one layer's array, summed over the layers. Per-sample SGD updates every layer once per sample;
/// mini-batch once per batch (its dense a x b update is one matrix update, although a crossbar applies it as
/// min(n, a, b) rank-1 writes); svd-k and sbe-k once per batch (a rank-k write is one matrix update made of k rank-1
/// writes). The count follows from the training schedule alone, so it is derived from what every cell records (method,
/// batch size, training samples, layers, epochs) rather than counted while training: cells computed before it existed
/// get it too.
/// </summary>
public static class MatrixUpdateCount
{
    /// <summary>
    /// Matrix updates of a run after <paramref name="epochs"/> (fractional between epoch ends; the trainer evaluates at
    /// batch boundaries, so epochs x batches per epoch is a whole number of batches, rounded here against float error).
    /// </summary>
    /// <param name="method">The update method.</param>
    /// <param name="batchSize">Samples per batch (>= 1); the last batch of an epoch may be smaller.</param>
    /// <param name="trainCount">Training samples per epoch (>= 1).</param>
    /// <param name="layerCount">Weight layers (arrays), i.e. layer sizes minus one (>= 1).</param>
    /// <param name="epochs">Epochs done (finite, >= 0).</param>
    /// <exception cref="ArgumentException">A size is below 1 or <paramref name="epochs"/> is negative or not finite.</exception>
    public static long Count(UpdateMethod method, int batchSize, int trainCount, int layerCount, double epochs)
    {
        if (layerCount < 1) throw new ArgumentException($"layerCount is {layerCount}; it must be >= 1.", nameof(layerCount));
        long perLayer = UpdateRules.Get(method).WritesPerSample ? SamplesAfter(epochs, batchSize, trainCount) : BatchesAfter(epochs, batchSize, trainCount);
        return perLayer * layerCount;
    }

    /// <summary>Batches (weight updates of the whole network) applied after <paramref name="epochs"/>.</summary>
    /// <exception cref="ArgumentException">A size is below 1 or <paramref name="epochs"/> is negative or not finite.</exception>
    public static long BatchesAfter(double epochs, int batchSize, int trainCount)
    {
        Check(epochs, batchSize, trainCount);
        return (long)Math.Round(epochs * BatchesPerEpoch(batchSize, trainCount), MidpointRounding.AwayFromZero);
    }

    /// <summary>Samples trained after <paramref name="epochs"/> (whole epochs of <paramref name="trainCount"/>, then full batches).</summary>
    /// <exception cref="ArgumentException">A size is below 1 or <paramref name="epochs"/> is negative or not finite.</exception>
    public static long SamplesAfter(double epochs, int batchSize, int trainCount)
    {
        long batches = BatchesAfter(epochs, batchSize, trainCount), perEpoch = BatchesPerEpoch(batchSize, trainCount);
        return batches / perEpoch * trainCount + Math.Min(trainCount, batches % perEpoch * batchSize);
    }

    private static long BatchesPerEpoch(int batchSize, int trainCount) => ((long)trainCount + batchSize - 1) / batchSize;

    private static void Check(double epochs, int batchSize, int trainCount)
    {
        if (batchSize < 1) throw new ArgumentException($"batchSize is {batchSize}; it must be >= 1.", nameof(batchSize));
        if (trainCount < 1) throw new ArgumentException($"trainCount is {trainCount}; it must be >= 1.", nameof(trainCount));
        if (!double.IsFinite(epochs) || epochs < 0) throw new ArgumentException($"epochs is {epochs}; it must be finite and >= 0.", nameof(epochs));
    }
}

using SbeCore.Eigen;
using SbeCore.Numerics;

namespace SbeCore.Tests.Eigen;

/// <summary>SaveState/LoadState: a restored estimator continues bit-identically; bad blobs change nothing.</summary>
public class EstimatorSaveStateTests
{
    public static TheoryData<int, int, int, bool, bool, bool> Options() => new()
    {
        { 1, 1, 0, false, false, false },  // the fused rank-1 path
        { 3, 4, 0, false, false, false },  // sub-batches (saved with a partial one buffered)
        { 2, 1, 6, true, false, false },   // quantised, stochastic rounding
        { 1, 1, 0, false, true, false },   // division-free
        { 2, 3, 0, false, false, true },   // first-sample start
    };

    private static EstimatorOptions Make(int rank, int subBatch, int bits, bool stochastic, bool divisionFree, bool firstSample) => new()
    {
        Rank = rank, SubBatch = subBatch, QuantizationBits = bits, StochasticRounding = stochastic, DivisionFree = divisionFree,
        Initialization = firstSample ? InitialState.FirstSample : InitialState.Gaussian,
    };

    private static (float[] S, float[] D, float[] X) Run(SbeEstimator e, ref Xoshiro256 rng, int samples)
    {
        var delta = new float[e.Rows]; var x = new float[e.Cols];
        for (int j = 0; j < samples; j++)
        {
            rng.FillGaussian(delta); rng.FillGaussian(x);
            e.Observe(delta, x);
        }
        var s = new float[e.Rank]; var d = new float[e.Rank * e.Rows]; var v = new float[e.Rank * e.Cols];
        e.Estimate(s, d, v);
        return (s, d, v);
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void ARestoredEstimatorContinuesBitIdentically(int rank, int subBatch, int bits, bool stochastic, bool divisionFree, bool firstSample)
    {
        var options = Make(rank, subBatch, bits, stochastic, divisionFree, firstSample);
        var original = new SbeEstimator(9, 7, options, seed: 5);
        var rng = new Xoshiro256(11);
        Run(original, ref rng, 13);
        var delta = new float[9]; var x = new float[7];
        rng.FillGaussian(delta); rng.FillGaussian(x);
        original.Observe(delta, x); // mid-batch (and mid-sub-batch when m > 1)
        byte[] state = original.SaveState();

        var restored = new SbeEstimator(9, 7, options, seed: 5);
        var other = new Xoshiro256(99);
        Run(restored, ref other, 4); // a different history, overwritten by the load
        restored.LoadState(state);
        Assert.Equal(state, restored.SaveState());
        var rngA = rng; var rngB = rng;
        for (int batch = 0; batch < 3; batch++)
        {
            var a = Run(original, ref rngA, 6 + batch);
            var b = Run(restored, ref rngB, 6 + batch);
            Assert.Equal(a.S, b.S); Assert.Equal(a.D, b.D); Assert.Equal(a.X, b.X);
        }
    }

    [Fact]
    public void BadStatesAreRefusedAndChangeNothing()
    {
        var options = Make(2, 3, 0, false, false, false);
        var e = new SbeEstimator(6, 5, options, seed: 1);
        var rng = new Xoshiro256(3);
        Run(e, ref rng, 10);
        byte[] good = e.SaveState(), before = e.SaveState();
        var wrongShape = new SbeEstimator(6, 4, options, seed: 1).SaveState();
        var wrongOptions = new SbeEstimator(6, 5, Make(2, 1, 0, false, false, false), seed: 1).SaveState();
        var wrongSeed = new SbeEstimator(6, 5, options, seed: 2).SaveState();
        byte[] nan = (byte[])good.Clone();
        BitConverter.GetBytes(float.NaN).CopyTo(nan, 8 + 43); // the first element of X, after the header and shape
        foreach (var (blob, why) in new[]
        {
            (wrongShape, "shape"), (wrongOptions, "shape"), (wrongSeed, "shape"), (good[..^1], "truncated"), ([.. good, 0], "trailing"),
            (new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, "not an estimator state"), (nan, "non-finite"), (Array.Empty<byte>(), "truncated"),
        })
        {
            var ex = Assert.Throws<ArgumentException>(() => e.LoadState(blob));
            Assert.Contains(why, ex.Message);
            Assert.Equal(before, e.SaveState());
        }
    }
}

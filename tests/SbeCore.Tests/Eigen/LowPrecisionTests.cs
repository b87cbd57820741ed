using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

/// <summary>The division-free (Oja) form and the quantised storage mode.</summary>
public class LowPrecisionTests
{
    private const int A = 30, B = 80, N = 512;

    private static (float[] s, float[] d, float[] x, double cu, double cv, double sigma) Run(EstimatorOptions opts, int batches)
    {
        var stream = new PlantedStream(A, B, [4.0, 1.0], noise: 0.05, seed: 1);
        var est = new SbeEstimator(A, B, opts, seed: 7);
        var deltas = new float[N * A]; var xs = new float[N * B];
        var (s, d, x) = TestData.Outputs(1, A, B);
        for (int batch = 0; batch < batches; batch++)
        {
            stream.Next(N, deltas, xs);
            est.ObserveBatch(deltas, xs, N);
            est.Estimate(s, d, x);
        }
        var svd = Oracle.Svd(Oracle.MeanGradient(deltas, xs, N, A, B));
        return (s, d, x, Oracle.Cosine(d, svd.U.Column(0)), Oracle.Cosine(x, svd.VT.Row(0)), svd.S[0]);
    }

    [Fact]
    public void DivisionFreeFormConvergesToTopPair()
    {
        var (s, _, _, cu, cv, sigma) = Run(new EstimatorOptions { DivisionFree = true, OjaRate = 0.002f }, 6);
        Assert.True(Math.Abs(cu) > 0.99 && Math.Abs(cv) > 0.99, $"cos {cu} {cv}");
        Assert.True(s[0] * cu * cv > 0, "paired signs");
        Assert.InRange(s[0] / sigma, 0.85, 1.15); // s is an exponential average over the last ~1/xi samples, not this batch
    }

    [Fact]
    public void DivisionFreeStepIsTheHebbianUpdate()
    {
        var est = new SbeEstimator(5, 7, new EstimatorOptions { DivisionFree = true, OjaRate = 0.1f }, seed: 2);
        float[] x0 = est.RawX.ToArray(), d0 = est.RawD.ToArray();
        Assert.Equal(1.0, Math.Sqrt(Oracle.Dot(x0, x0)), 1e-6); // unit start
        var (delta, x) = TestData.Gaussian(1, 5, 7, 3);
        est.Observe(delta, x);
        double p = Oracle.Dot(delta, d0), q = Oracle.Dot(x, x0), xi = 0.1;
        for (int i = 0; i < 7; i++) Assert.Equal(x0[i] * (1 - xi * p * q) + xi * p * x[i], est.RawX[i], 1e-5);
        for (int i = 0; i < 5; i++) Assert.Equal(d0[i] * (1 - xi * p * q) + xi * q * delta[i], est.RawD[i], 1e-5);
        Assert.Equal(xi * p * q, est.RawS[0], 1e-5);
    }

    [Theory]
    [InlineData(8, false, 0.99)]
    [InlineData(12, false, 0.999)]
    [InlineData(6, true, 0.98)]
    [InlineData(8, true, 0.99)]
    public void QuantisedEstimatorStillFindsTopDirections(int bits, bool stochastic, double minCos)
    {
        var (_, _, _, cu, cv, _) = Run(new EstimatorOptions { QuantizationBits = bits, StochasticRounding = stochastic }, 4);
        Assert.True(Math.Abs(cu) > minCos && Math.Abs(cv) > minCos, $"{bits} bits: cos {cu} {cv}");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(10)]
    public void StochasticRoundingKeepsRunningMagnitudeUnbiased(int bits)
        // (below ~8 bits the per-step rounding noise random-walks s by ~2^-bits sqrt(n): see docs/estimator.md)
    {
        var (s, _, _, _, _, sigma) = Run(new EstimatorOptions { QuantizationBits = bits, StochasticRounding = true }, 4);
        Assert.InRange(s[0] / sigma, 0.9, 1.1);
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(6, 3)]
    public void QuantisedStateLiesOnItsGrid(int bits, int k)
    {
        var est = new SbeEstimator(A, B, new EstimatorOptions { QuantizationBits = bits, Rank = k, SubBatch = 2 }, seed: 3);
        var (deltas, xs) = TestData.Gaussian(7, A, B, 4);
        est.ObserveBatch(deltas, xs, 7);
        var (s, d, x) = TestData.Outputs(k, A, B);
        est.Estimate(s, d, x);
        int levels = (1 << (bits - 1)) - 1;
        for (int c = 0; c < k; c++)
        {
            AssertOnGrid(est.RawX.Slice(c * B, B), levels);
            AssertOnGrid(est.RawD.Slice(c * A, A), levels);
            int raw = BitConverter.SingleToInt32Bits(est.RawS[c]);
            Assert.Equal(0, raw & ((1 << (24 - bits)) - 1)); // at most `bits` significant bits
        }
    }

    private static void AssertOnGrid(ReadOnlySpan<float> v, int levels)
    {
        float max = 0; foreach (float e in v) max = Math.Max(max, Math.Abs(e));
        Assert.True(max > 0);
        double step = max / (double)levels;
        foreach (float e in v)
        {
            double t = e / step;
            Assert.True(Math.Abs(t - Math.Round(t)) < 1e-3, $"{e} is not a multiple of {step}");
        }
    }

    [Theory]
    [InlineData(1.0f, 4, 1.0f)]
    [InlineData(1.1f, 4, 1.125f)]
    [InlineData(-1.1f, 4, -1.125f)]
    [InlineData(1.0625f, 4, 1.0f)]   // tie: to even
    [InlineData(1.1875f, 4, 1.25f)]  // tie: to even
    [InlineData(3.3f, 2, 3.0f)]
    public void ScalarKeepsBitsSignificantBits(float value, int bits, float expected)
        => Assert.Equal(expected, Quantizer.QuantizeScalar(value, bits));

    [Fact]
    public void VectorUsesMaxAbsScaling()
    {
        float[] v = [1.0f, -0.5f, 0.26f, 0.1f];
        Quantizer.QuantizeVector(v, 3); // L = 3 levels: multiples of 1/3
        Assert.Equal([1.0f, -2f / 3f, 1f / 3f, 0f], v);
    }
}

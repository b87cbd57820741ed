using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

public class EstimatorStateTests
{
    private const int A = 10, B = 16;

    private static float[] RunTwoBatches(SbeEstimator est)
    {
        var (s, d, x) = TestData.Outputs(est.Rank, A, B);
        for (int batch = 0; batch < 2; batch++)
        {
            var (deltas, xs) = TestData.Gaussian(13, A, B, (ulong)(50 + batch));
            est.ObserveBatch(deltas, xs, 13);
            est.Estimate(s, d, x);
        }
        return [.. s, .. d, .. x];
    }

    public static TheoryData<EstimatorOptions> AllModes => new()
    {
        new EstimatorOptions(),
        new EstimatorOptions { Rank = 3, SubBatch = 4 },
        new EstimatorOptions { DivisionFree = true, OjaRate = 0.05f },
        new EstimatorOptions { Rank = 2, QuantizationBits = 6 },
        new EstimatorOptions { Initialization = InitialState.FirstSample, Rank = 2, SubBatch = 3 },
    };

    [Theory]
    [MemberData(nameof(AllModes))]
    public void SameSeedSameResultBitForBitAndResetRestarts(EstimatorOptions opts)
    {
        var a = new SbeEstimator(A, B, opts, seed: 42);
        var b = new SbeEstimator(A, B, opts, seed: 42);
        float[] ra = RunTwoBatches(a);
        Assert.Equal(ra, RunTwoBatches(b));
        a.Reset();
        Assert.Equal(ra, RunTwoBatches(a));
        Assert.NotEqual(ra, RunTwoBatches(new SbeEstimator(A, B, opts, seed: 43)));
    }

    [Fact]
    public void EstimateKeepsWarmStartAndRestartsRunningMean()
    {
        var est = new SbeEstimator(A, B, seed: 1);
        var (deltas, xs) = TestData.Gaussian(20, A, B, 3);
        est.ObserveBatch(deltas, xs, 20);
        var (s, d, x) = TestData.Outputs(1, A, B);
        est.Estimate(s, d, x);
        float[] state = [.. est.RawX, .. est.RawD, .. est.RawS];
        Assert.Equal(0, est.SamplesInBatch);
        var (s2, d2, x2) = TestData.Outputs(1, A, B);
        est.Estimate(s2, d2, x2); // an empty batch changes nothing
        Assert.Equal(state, (float[])[.. est.RawX, .. est.RawD, .. est.RawS]);
        Assert.Equal(s, s2); Assert.Equal(d, d2); Assert.Equal(x, x2);
    }

    [Fact]
    public void FirstSampleInitialisationSeedsFromTheSample()
    {
        var est = new SbeEstimator(A, B, new EstimatorOptions { Initialization = InitialState.FirstSample }, seed: 5);
        var (deltas, xs) = TestData.Gaussian(1, A, B, 6);
        est.Observe(deltas, xs);
        var (s, d, x) = TestData.Outputs(1, A, B);
        est.Estimate(s, d, x);
        // X0 = x, D0 = delta and every update adds multiples of x and delta: the estimate is exactly this sample's pair
        Assert.Equal(1.0, Math.Abs(Oracle.Dot(d, deltas)) / Math.Sqrt(Oracle.Dot(deltas, deltas)), 1e-6);
        Assert.Equal(1.0, Math.Abs(Oracle.Dot(x, xs)) / Math.Sqrt(Oracle.Dot(xs, xs)), 1e-6);
        double sigma = Math.Sqrt(Oracle.Dot(deltas, deltas) * Oracle.Dot(xs, xs));
        Assert.True(s[0] > 0 && s[0] < sigma * 1.0001);

        var gaussian = new SbeEstimator(A, B, seed: 5);
        gaussian.Observe(deltas, xs);
        gaussian.Estimate(s, d, x);
        Assert.True(Math.Abs(Oracle.Dot(x, xs)) / Math.Sqrt(Oracle.Dot(xs, xs)) < 0.999);
    }

    [Fact]
    public void FirstSampleWithZeroVectorKeepsGaussianDraw()
    {
        var seeded = new SbeEstimator(A, B, new EstimatorOptions { Initialization = InitialState.FirstSample }, seed: 5);
        var plain = new SbeEstimator(A, B, seed: 5);
        Assert.Equal(plain.RawX.ToArray(), seeded.RawX.ToArray());
        var (_, xs) = TestData.Gaussian(1, A, B, 6);
        seeded.Observe(new float[A], xs); plain.Observe(new float[A], xs);
        Assert.Equal(plain.RawX.ToArray(), seeded.RawX.ToArray());
        Assert.Equal(plain.RawD.ToArray(), seeded.RawD.ToArray());
    }
}

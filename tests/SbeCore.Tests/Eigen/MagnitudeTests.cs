using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

public class MagnitudeTests
{
    private const int A = 20, B = 50, N = 512;

    private static (SbeEstimator est, float[] s, float[] d, float[] x, float[] deltas, float[] xs) Run(EstimatorOptions opts, double[] planted, double noise)
    {
        var stream = new PlantedStream(A, B, planted, noise, seed: 17);
        var est = new SbeEstimator(A, B, opts, seed: 3);
        var deltas = new float[N * A]; var xs = new float[N * B];
        var (s, d, x) = TestData.Outputs(opts.Rank, A, B);
        for (int batch = 0; batch < 4; batch++)
        {
            stream.Next(N, deltas, xs);
            est.ObserveBatch(deltas, xs, N);
            est.Estimate(s, d, x);
        }
        return (est, s, d, x, deltas, xs);
    }

    [Fact]
    public void RightNormMatchesTopSingularValue()
    {
        var (_, s, _, _, deltas, xs) = Run(new EstimatorOptions { Magnitude = MagnitudeEstimate.RightNorm }, [4.0, 1.0], 0.05);
        var svd = Oracle.Svd(Oracle.MeanGradient(deltas, xs, N, A, B));
        Assert.InRange(s[0] / svd.S[0], 0.95, 1.05);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(3, 4)]
    public void RayleighReplayIsDTransposeMX(int k, int m)
    {
        var opts = new EstimatorOptions { Rank = k, SubBatch = m, Magnitude = MagnitudeEstimate.Rayleigh };
        var (est, s, d, x, deltas, xs) = Run(opts, [6.0, 3.5, 2.0, 0.3], 0.05);
        float[] running = (float[])s.Clone();
        float[] before = est.RawX.ToArray();
        est.ReplayMagnitudes(deltas, xs, N, s);
        Assert.Equal(before, est.RawX.ToArray()); // replay does not touch the state
        var mean = Oracle.MeanGradient(deltas, xs, N, A, B);
        var svd = Oracle.Svd(mean);
        for (int c = 0; c < k; c++)
        {
            var dv = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(A, i => d[c * A + i]);
            var xv = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(B, i => x[c * B + i]);
            double rq = dv * (mean * xv);
            Assert.Equal(rq, s[c], 1e-4 * Math.Abs(rq));
            // a quotient of accurate vectors has a second-order error; only sigma_1 is an upper bound
            Assert.InRange(s[c] / svd.S[c], 0.98, c == 0 ? 1.0001 : 1.02);
        }
        Assert.NotEqual(running, s);
    }

    [Fact]
    public void RunningMeanOverestimatesOnPureNoise()
    {
        // docs/method.md section 2, "known bias": on a batch that is mostly noise each sample is already inside X and D when
        // projected, so the running mean of q*r exceeds the Rayleigh quotient of the final vectors.
        var opts = new EstimatorOptions { Magnitude = MagnitudeEstimate.Rayleigh };
        var (est, s, _, _, deltas, xs) = Run(opts, [0.0], 1.0);
        float running = s[0];
        est.ReplayMagnitudes(deltas, xs, N, s);
        var svd = Oracle.Svd(Oracle.MeanGradient(deltas, xs, N, A, B));
        Assert.True(running > s[0], $"running {running} vs Rayleigh {s[0]}");
        Assert.True(s[0] <= svd.S[0] * (1 + 1e-5), "a Rayleigh quotient cannot exceed sigma_1");
    }
}

using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

/// <summary>The one-synchronisation rank-1 step (dots of the sample with the old state, norms expanded algebraically,
/// one write pass) against the chained three-pass form and against the paper's recurrence in double, on the paper's
/// first-layer shape so every SIMD width and the 64-vector flush blocks are exercised.</summary>
public class RankOneStepTests
{
    private const int A = 100, B = 785;

    [Fact]
    public void OneSyncStepMatchesChainedStepOverBatchesWithWarmStart()
    {
        var fast = new SbeEstimator(A, B, seed: 4) { UseOneSyncRankOne = true };
        var chained = new SbeEstimator(A, B, seed: 4);
        var (s1, d1, x1) = TestData.Outputs(1, A, B); var (s2, d2, x2) = TestData.Outputs(1, A, B);
        for (int batch = 0; batch < 3; batch++)
        {
            var (deltas, xs) = TestData.Gaussian(64, A, B, (ulong)(20 + batch));
            for (int j = 0; j < 64; j++)
            {
                fast.Observe(deltas.AsSpan(j * A, A), xs.AsSpan(j * B, B));
                chained.Observe(deltas.AsSpan(j * A, A), xs.AsSpan(j * B, B));
            }
            fast.Estimate(s1, d1, x1); chained.Estimate(s2, d2, x2);
            Assert.Equal(s2[0], s1[0], 1e-5 * Math.Abs(s2[0]));
            for (int i = 0; i < A; i++) Assert.Equal(d2[i], d1[i], 1e-5);
            for (int i = 0; i < B; i++) Assert.Equal(x2[i], x1[i], 1e-5);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RankOneStepIsThePapersRecurrenceOnTheFirstLayerShape(bool oneSync)
    {
        var est = new SbeEstimator(A, B, seed: 6) { UseOneSyncRankOne = oneSync };
        double[] x = est.RawX.ToArray().Select(v => (double)v).ToArray();
        double[] d = est.RawD.ToArray().Select(v => (double)v).ToArray();
        double s = 0;
        for (int batch = 0; batch < 3; batch++)
        {
            var (deltas, xs) = TestData.Gaussian(40, A, B, (ulong)(70 + batch));
            for (int j = 1; j <= 40; j++)
            {
                var dj = deltas.AsSpan((j - 1) * A, A); var xj = xs.AsSpan((j - 1) * B, B);
                double wo = j / (j + 1.0), wn = 1.0 / (j + 1.0);
                double p = Dot(dj, d) / Norm(d);
                for (int i = 0; i < B; i++) x[i] = wo * x[i] + wn * p * xj[i];
                double q = Dot(xj, x) / Norm(x);
                for (int i = 0; i < A; i++) d[i] = wo * d[i] + wn * q * dj[i];
                double r = Dot(dj, d) / Norm(d);
                s = wo * s + wn * q * r;
                est.Observe(dj, xj);
            }
            var (so, dout, xout) = TestData.Outputs(1, A, B);
            est.Estimate(so, dout, xout);
            for (int i = 0; i < B; i++) Assert.Equal(x[i], est.RawX[i], 1e-4 * Norm(x));
            for (int i = 0; i < A; i++) Assert.Equal(d[i], est.RawD[i], 1e-4 * Norm(d));
            Assert.Equal(s, est.RawS[0], 1e-4 * Math.Abs(s) + 1e-6);
        }
    }

    [Fact]
    public void CancellingUpdateTakesTheChainedFormExactly()
    {
        // First sample of a batch: X' = (X + p x)/2 with delta = D (p = |D|) and x = -0.999 X/|D|, so X' = 0.0005 X: the
        // expanded |X'|^2 would lose about three digits, so the step must be exactly the chained one.
        var fast = new SbeEstimator(A, B, seed: 8) { UseOneSyncRankOne = true };
        var chained = new SbeEstimator(A, B, seed: 8);
        float[] delta = fast.RawD.ToArray();
        double dNorm = Math.Sqrt(Oracle.Dot(delta, delta));
        float[] x = fast.RawX.ToArray().Select(v => (float)(-0.999 * v / dNorm)).ToArray();
        fast.Observe(delta, x); chained.Observe(delta, x);
        Assert.Equal(chained.RawX.ToArray(), fast.RawX.ToArray());
        Assert.Equal(chained.RawD.ToArray(), fast.RawD.ToArray());
        Assert.Equal(chained.RawS[0], fast.RawS[0]);
        double xNorm = Math.Sqrt(Oracle.Dot(fast.RawX, fast.RawX));
        Assert.True(xNorm > 0 && xNorm < 1e-2 * Math.Sqrt(B), $"|X'| = {xNorm}: the update did cancel");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectedSampleLeavesStateUnchanged(bool oneSync)
    {
        var est = new SbeEstimator(A, B, seed: 2) { UseOneSyncRankOne = oneSync };
        var (deltas, xs) = TestData.Gaussian(2, A, B, 1);
        est.Observe(deltas.AsSpan(0, A), xs.AsSpan(0, B));
        float[] x0 = est.RawX.ToArray(), d0 = est.RawD.ToArray(); float s0 = est.RawS[0];
        float[] bad = xs.AsSpan(B, B).ToArray(); bad[700] = float.NaN;
        Assert.Throws<ArgumentException>(() => est.Observe(deltas.AsSpan(A, A), bad));
        float[] badDelta = deltas.AsSpan(A, A).ToArray(); badDelta[3] = float.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => est.Observe(badDelta, xs.AsSpan(B, B)));
        Assert.Equal(x0, est.RawX.ToArray()); Assert.Equal(d0, est.RawD.ToArray()); Assert.Equal(s0, est.RawS[0]);
        Assert.Equal(1, est.SamplesInBatch);
    }

    private static double Dot(ReadOnlySpan<float> a, double[] b) { double t = 0; for (int i = 0; i < a.Length; i++) t += a[i] * b[i]; return t; }
    private static double Norm(double[] a) { double t = 0; foreach (double v in a) t += v * v; return Math.Sqrt(t); }
}

using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

/// <summary>The fused rank-1 step against the paper's recurrence in double, on the paper's first-layer shape so every
/// SIMD width and the 64-vector flush blocks are exercised.</summary>
public class RankOneStepTests
{
    private const int A = 100, B = 785;

    [Fact]
    public void RankOneStepIsThePapersRecurrenceOnTheFirstLayerShape()
    {
        var est = new SbeEstimator(A, B, seed: 6);
        double[] x = est.RawX.ToArray().Select(v => (double)v).ToArray();
        double[] d = est.RawD.ToArray().Select(v => (double)v).ToArray();
        double s = 0;
        for (int batch = 0; batch < 3; batch++)
        {
            var (deltas, xs) = TestData.Gaussian(40, A, B, (ulong)(70 + batch));
            if (batch == 0)
            {
                double start = TestData.StartScale(deltas.AsSpan(0, A), xs.AsSpan(0, B));
                for (int i = 0; i < B; i++) x[i] *= start;
                for (int i = 0; i < A; i++) d[i] *= start;
            }
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
            for (int i = 0; i < B; i++) Assert.Equal(x[i], est.StateX(i), 1e-4 * Norm(x));
            for (int i = 0; i < A; i++) Assert.Equal(d[i], est.StateD(i), 1e-4 * Norm(d));
            Assert.Equal(s, est.RawS[0], 1e-4 * Math.Abs(s) + 1e-6);
        }
    }

    [Fact]
    public void RejectedSampleLeavesStateUnchanged()
    {
        var est = new SbeEstimator(A, B, seed: 2);
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

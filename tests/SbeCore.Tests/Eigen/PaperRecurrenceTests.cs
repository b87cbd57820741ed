using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

/// <summary>Rank 1, m = 1 is the paper's recurrence (docs/method.md section 2): checked against a direct double-precision
/// transcription of the pseudo-code, for both the fused fast path and the general rank-k path.</summary>
public class PaperRecurrenceTests
{
    private const int A = 13, B = 29;

    // The pseudo-code of docs/method.md section 2, literally, in double.
    private static void PaperBatch(double[] x, double[] d, ref double s, float[] deltas, float[] xs, int n)
    {
        for (int j = 1; j <= n; j++)
        {
            var dj = deltas.AsSpan((j - 1) * A, A); var xj = xs.AsSpan((j - 1) * B, B);
            double wo = j / (j + 1.0), wn = 1.0 / (j + 1.0);
            double p = Dot(dj, d) / Norm(d);
            for (int i = 0; i < B; i++) x[i] = wo * x[i] + wn * p * xj[i];
            double q = Dot(xj, x) / Norm(x);
            for (int i = 0; i < A; i++) d[i] = wo * d[i] + wn * q * dj[i];
            double r = Dot(dj, d) / Norm(d);
            s = wo * s + wn * q * r;
        }
    }

    private static double Dot(ReadOnlySpan<float> a, double[] b) { double t = 0; for (int i = 0; i < a.Length; i++) t += a[i] * b[i]; return t; }
    private static void Scale(double[] x, double[] d, double f) { for (int i = 0; i < x.Length; i++) x[i] *= f; for (int i = 0; i < d.Length; i++) d[i] *= f; }
    private static double Norm(double[] a) { double t = 0; foreach (double v in a) t += v * v; return Math.Sqrt(t); }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RankOneStreamingIsThePapersRecurrenceWithWarmStart(bool generalPath)
    {
        var est = new SbeEstimator(A, B, seed: 3) { ForceGeneralPath = generalPath };
        double[] x = est.RawX.ToArray().Select(v => (double)v).ToArray();
        double[] d = est.RawD.ToArray().Select(v => (double)v).ToArray();
        double s = 0;
        Assert.Equal(0f, est.RawS[0]);
        var (so, dout, xout) = TestData.Outputs(1, A, B);
        for (int batch = 0; batch < 3; batch++)
        {
            int n = 17 + 5 * batch;
            var (deltas, xs) = TestData.Gaussian(n, A, B, (ulong)(100 + batch));
            if (batch == 0) Scale(x, d, TestData.StartScale(deltas.AsSpan(0, A), xs.AsSpan(0, B)));
            PaperBatch(x, d, ref s, deltas, xs, n); // j restarts at 1 every batch: running-mean weights restart
            if (batch == 1) for (int j = 0; j < n; j++) est.Observe(deltas.AsSpan(j * A, A), xs.AsSpan(j * B, B));
            else est.ObserveBatch(deltas, xs, n);
            est.Estimate(so, dout, xout);
            // state kept unnormalised (warm start), exactly as the paper carries X, D, s
            for (int i = 0; i < B; i++) Assert.Equal(x[i], est.StateX(i), 1e-4 * Norm(x));
            for (int i = 0; i < A; i++) Assert.Equal(d[i], est.StateD(i), 1e-4 * Norm(d));
            Assert.Equal(s, est.RawS[0], 1e-4 * Math.Abs(s) + 1e-6);
            Assert.Equal(s, so[0], 1e-4 * Math.Abs(s) + 1e-6);
            for (int i = 0; i < B; i++) Assert.Equal(x[i] / Norm(x), xout[i], 1e-5);
            for (int i = 0; i < A; i++) Assert.Equal(d[i] / Norm(d), dout[i], 1e-5);
        }
    }

    [Fact]
    public void FusedAndGeneralPathsAgree()
    {
        var fast = new SbeEstimator(A, B, seed: 9);
        var general = new SbeEstimator(A, B, seed: 9) { ForceGeneralPath = true };
        var (deltas, xs) = TestData.Gaussian(200, A, B, 5);
        fast.ObserveBatch(deltas, xs, 200); general.ObserveBatch(deltas, xs, 200);
        var (s1, d1, x1) = TestData.Outputs(1, A, B); var (s2, d2, x2) = TestData.Outputs(1, A, B);
        fast.Estimate(s1, d1, x1); general.Estimate(s2, d2, x2);
        Assert.Equal(s1[0], s2[0], 1e-4 * Math.Abs(s1[0]));
        for (int i = 0; i < A; i++) Assert.Equal(d1[i], d2[i], 1e-4);
        for (int i = 0; i < B; i++) Assert.Equal(x1[i], x2[i], 1e-4);
    }

    [Fact]
    public void FirstBatchStartsFromZeroSingularValue()
    {
        var est = new SbeEstimator(A, B, seed: 1);
        var (s, d, x) = TestData.Outputs(1, A, B);
        est.Estimate(s, d, x);
        Assert.Equal(0f, s[0]);
        Assert.Equal(1.0, Math.Sqrt(Oracle.Dot(d, d)), 1e-6);
        Assert.Equal(1.0, Math.Sqrt(Oracle.Dot(x, x)), 1e-6);
    }
}

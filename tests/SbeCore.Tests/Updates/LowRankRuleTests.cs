using MathNet.Numerics.LinearAlgebra;
using SbeCore.Crossbar;
using SbeCore.Numerics;
using SbeCore.Tests.Eigen;
using SbeCore.Updates;

namespace SbeCore.Tests.Updates;

// The other low-rank methods (SBPCA, LRT), checked against their definitions.
public class LowRankRuleTests
{
    private const int A = 12, B = 20;

    private static (float[] d, float[] x) Stream(int n, ulong seed, double noise = 0.05, params double[] sigma)
    {
        var s = new PlantedStream(A, B, sigma.Length == 0 ? [4.0, 1.0] : sigma, noise, seed);
        var d = new float[n * A]; var x = new float[n * B];
        s.Next(n, d, x);
        return (d, x);
    }

    private static Matrix<double> Written(CrossbarTile tile, float lr)
    {
        var m = Matrix<double>.Build.Dense(A, B);
        for (int i = 0; i < A; i++) for (int j = 0; j < B; j++) m[i, j] = -tile.Weights[i * B + j] / lr;
        return m;
    }

    // SBPCA's recurrence transcribed from the paper's published code, in double, from the rule's own start.
    private static (double[][] D, double[][] X, double[] S) PublishedSbpca(double[][] D, double[][] X, double[] S, float[] d, float[] x, int n, int m)
    {
        int k = S.Length;
        for (int i = 0; i < n / m; i++)
        {
            double w = (i + 1.0) / (i + 2.0), div = (i + 2.0) * m;
            var y = new double[m, k];
            for (int j = 0; j < m; j++) for (int c = 0; c < k; c++) y[j, c] = Dot(d, (i * m + j) * A, D[c]) / div;
            for (int c = 0; c < k; c++)
                for (int e = 0; e < B; e++)
                {
                    double acc = 0; for (int j = 0; j < m; j++) acc += x[(i * m + j) * B + e] * y[j, c];
                    X[c][e] = X[c][e] * w + acc / S[c];
                }
            X = Qr(X);
            var z = new double[m, k];
            for (int j = 0; j < m; j++) for (int c = 0; c < k; c++) z[j, c] = Dot(x, (i * m + j) * B, X[c]) / div;
            for (int c = 0; c < k; c++)
                for (int e = 0; e < A; e++)
                {
                    double acc = 0; for (int j = 0; j < m; j++) acc += d[(i * m + j) * A + e] * z[j, c];
                    D[c][e] = D[c][e] * w + acc / S[c];
                }
            D = Qr(D);
            for (int c = 0; c < k; c++)
            {
                double acc = 0;
                for (int j = 0; j < m; j++) acc += Dot(d, (i * m + j) * A, D[c]) * Dot(x, (i * m + j) * B, X[c]);
                S[c] = S[c] * w + acc / div;
            }
        }
        return (D, X, S);
    }

    private static double Dot(float[] v, int offset, double[] u) { double s = 0; for (int i = 0; i < u.Length; i++) s += v[offset + i] * u[i]; return s; }

    // Q of a QR with R's diagonal made positive (the published sign fix).
    private static double[][] Qr(double[][] cols)
    {
        var q = cols.Select(c => (double[])c.Clone()).ToArray();
        for (int c = 0; c < q.Length; c++)
        {
            for (int e = 0; e < c; e++) { double dot = q[c].Zip(q[e], (a, b) => a * b).Sum(); for (int i = 0; i < q[c].Length; i++) q[c][i] -= dot * q[e][i]; }
            double norm = Math.Sqrt(q[c].Sum(v => v * v)); for (int i = 0; i < q[c].Length; i++) q[c][i] /= norm;
        }
        return q;
    }

    private static double[][] Columns(ReadOnlySpan<float> f, int k, int len)
    {
        var all = f.ToArray();
        return Enumerable.Range(0, k).Select(c => all.Skip(c * len).Take(len).Select(v => (double)v).ToArray()).ToArray();
    }

    [Theory]
    [InlineData(1, 8, 64)]
    [InlineData(2, 16, 64)]
    [InlineData(3, 32, 96)]
    public void SbpcaFollowsThePublishedRecurrence(int k, int m, int n)
    {
        var rule = new SbpcaRule(A, B, k, m, publishedSchedule: true, seed: 3);
        var (d, x) = Stream(n, 5);
        var (D, X, S) = PublishedSbpca(Columns(rule.D, k, A), Columns(rule.X, k, B), rule.Sigma.ToArray().Select(v => (double)v).ToArray(), d, x, n, m);
        var tile = new CrossbarTile(A, B);
        rule.Apply(tile, d, x, n, 0.1f);
        for (int c = 0; c < k; c++)
        {
            Assert.Equal(S[c], rule.Sigma[c], 1e-4 * Math.Max(1, Math.Abs(S[c])));
            for (int e = 0; e < A; e++) Assert.Equal(D[c][e], rule.D[c * A + e], 2e-4);
            for (int e = 0; e < B; e++) Assert.Equal(X[c][e], rule.X[c * B + e], 2e-4);
        }
        // The write is the rank-k estimate: W -= lr sum_c sigma_c D_c X_c^T.
        var written = Written(tile, 0.1f);
        for (int i = 0; i < A; i++)
            for (int j = 0; j < B; j++)
            {
                double expected = 0; for (int c = 0; c < k; c++) expected += S[c] * D[c][i] * X[c][j];
                Assert.Equal(expected, written[i, j], 1e-4 * Math.Max(1, S[0]));
            }
    }

    [Fact]
    public void SbpcaPublishedScheduleDropsTheTailAndSmallBatchesButTheDefaultUsesEverySample()
    {
        var (d, x) = Stream(40, 7);
        var published = new SbpcaRule(A, B, 1, 32, publishedSchedule: true, seed: 1);
        var sane = new SbpcaRule(A, B, 1, 32, publishedSchedule: false, seed: 1);
        var before = published.X.ToArray();
        // A batch of 16 < 32: the published schedule keeps its state (and rewrites the stale estimate).
        var t1 = new CrossbarTile(A, B);
        published.Apply(t1, d.AsSpan(0, 16 * A), x.AsSpan(0, 16 * B), 16, 1f);
        Assert.Equal(before, published.X.ToArray());
        Assert.Equal(1, published.RankOneWrites);
        sane.Apply(new CrossbarTile(A, B), d.AsSpan(0, 16 * A), x.AsSpan(0, 16 * B), 16, 1f);
        Assert.NotEqual(before, sane.X.ToArray());
        // 40 = 32 + 8: the published schedule ignores the last 8 samples.
        var a = new SbpcaRule(A, B, 1, 32, publishedSchedule: true, seed: 2);
        var b = new SbpcaRule(A, B, 1, 32, publishedSchedule: true, seed: 2);
        a.Apply(new CrossbarTile(A, B), d, x, 40, 1f);
        b.Apply(new CrossbarTile(A, B), d.AsSpan(0, 32 * A), x.AsSpan(0, 32 * B), 32, 1f);
        Assert.Equal(a.X.ToArray(), b.X.ToArray());
    }

    [Fact]
    public void SbpcaFindsAPlantedTopDirectionOverWarmStartedBatches()
    {
        var rule = new SbpcaRule(A, B, 1, 8, seed: 9);
        var stream = new PlantedStream(A, B, [4.0, 1.0], 0.05, 11);
        var d = new float[64 * A]; var x = new float[64 * B];
        for (int t = 0; t < 20; t++) { stream.Next(64, d, x); rule.Apply(new CrossbarTile(A, B), d, x, 64, 0f); }
        var svd = Oracle.Svd(Oracle.MeanGradient(d, x, 64, A, B));
        Assert.True(Math.Abs(Oracle.Cosine(rule.D, svd.U.Column(0))) > 0.99);
        Assert.True(Math.Abs(Oracle.Cosine(rule.X, svd.VT.Row(0))) > 0.99);
    }

    // With rank >= the number of samples nothing is truncated: LRT holds the exact batch-mean gradient.
    [Fact]
    public void LrtIsExactWhenTheRankCoversTheBatch()
    {
        const int n = 5;
        var (d, x) = Stream(n, 13, 0.3, 3.0, 2.0, 1.0);
        var rule = new LrtRule(A, B, rank: n);
        var tile = new CrossbarTile(A, B);
        rule.Apply(tile, d, x, n, 0.5f);
        var exact = Oracle.MeanGradient(d, x, n, A, B);
        var written = Written(tile, 0.5f);
        Assert.True((written - exact).FrobeniusNorm() <= 1e-5 * exact.FrobeniusNorm(), $"error {(written - exact).FrobeniusNorm()}");
        // The singular values it writes are the exact ones, descending.
        var s = Oracle.Svd(exact).S;
        for (int c = 0; c < n; c++) Assert.Equal(s[c], rule.LastS[c], 1e-5 * s[0]);
    }

    // Truncating after every sample is what LRT does: rank r of (rank-r approximation + next sample), each time.
    [Fact]
    public void LrtTruncatesAfterEverySample()
    {
        const int n = 6, r = 2;
        var (d, x) = Stream(n, 17, 0.5, 2.0, 1.5, 1.0);
        var rule = new LrtRule(A, B, r);
        var tile = new CrossbarTile(A, B);
        rule.Apply(tile, d, x, n, 1f);
        var approx = Matrix<double>.Build.Dense(A, B);
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < A; i++) for (int e = 0; e < B; e++) approx[i, e] += d[j * A + i] * (double)x[j * B + e] / n;
            var svd = approx.Svd(true);
            approx = Matrix<double>.Build.Dense(A, B);
            for (int c = 0; c < Math.Min(r, svd.S.Count); c++) approx += svd.S[c] * svd.U.Column(c).OuterProduct(svd.VT.Row(c));
        }
        var written = Written(tile, 1f);
        Assert.True((written - approx).FrobeniusNorm() <= 1e-4 * approx.FrobeniusNorm(), $"error {(written - approx).FrobeniusNorm()}");
        Assert.Equal(r, rule.RankOneWrites);
    }

    [Theory]
    [InlineData("sbpca-1", UpdateMethod.Sbpca)]
    [InlineData("sbpca-12", UpdateMethod.Sbpca)]
    [InlineData("lrt-4", UpdateMethod.Lrt)]
    public void LabelsRoundTrip(string label, UpdateMethod method)
    {
        Assert.True(SbeCore.Experiments.SweepCell.TryParseLabel(label, out var parsed));
        Assert.Equal(method, parsed);
        Assert.Equal(label, SbeCore.Experiments.SweepCell.LabelOf(method, int.Parse(label[(label.IndexOf('-') + 1)..])));
    }
}

using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Numerics;
using SbeCore.Updates;

namespace SbeCore.Tests.Training.Conv;

/// <summary>
/// Every rule fed a conv layer's n x P pairs (<see cref="IUpdateRule.ApplyPositions"/>) against its dense definition
/// on G = (1/n) sum_j sum_p delta_jp x_jp^T, the gradient of the batch-mean loss. Ideal device: writes are exact.
/// </summary>
public class ConvRuleTests
{
    private const int Rows = 6, Cols = 26, N = 5, P = 36;
    private const float Lr = 0.05f;

    private static (float[] D, float[] X, float[] W0) Pairs(ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var d = new float[N * P * Rows]; var x = new float[N * P * Cols]; var w = new float[Rows * Cols];
        rng.FillGaussian(d, 0.3); rng.FillGaussian(x, 1.0); rng.FillGaussian(w, 0.2);
        return (d, x, w);
    }

    private static double[] MeanGradient(float[] d, float[] x)
    {
        var g = new double[Rows * Cols];
        for (int t = 0; t < N * P; t++)
            for (int r = 0; r < Rows; r++)
                for (int c = 0; c < Cols; c++) g[r * Cols + c] += (double)d[t * Rows + r] * x[t * Cols + c] / N;
        return g;
    }

    private static float[] Applied(IUpdateRule rule, float[] d, float[] x, float[] w0)
    {
        var tile = new CrossbarTile(Rows, Cols);
        tile.SetWeights(w0);
        rule.ApplyPositions(tile, d, x, N, P, Lr);
        return tile.Weights.ToArray();
    }

    private static void AssertStep(float[] w0, float[] w1, double[] step, double tol, string what)
    {
        for (int i = 0; i < w0.Length; i++)
        {
            double expected = w0[i] - Lr * step[i];
            Assert.True(Math.Abs(w1[i] - expected) <= tol * (1 + Math.Abs(expected)), $"{what}: W[{i}] = {w1[i]}, expected {expected}");
        }
    }

    // Sample j's P x a pairs as its a x P block of columns (the conv layer's own layout).
    private static float[] Columns(float[] pairs, int a)
    {
        var columns = new float[pairs.Length];
        for (int j = 0; j < N; j++)
            for (int q = 0; q < P; q++)
                for (int i = 0; i < a; i++) columns[(j * a + i) * P + q] = pairs[(j * P + q) * a + i];
        return columns;
    }

    [Fact]
    public void MiniBatchTakesThePairsAsColumnsToo()
    {
        var (d, x, w0) = Pairs(4);
        var rule = new MiniBatchRule(Rows, Cols);
        var tile = new CrossbarTile(Rows, Cols);
        tile.SetWeights(w0);
        rule.ApplyPositionColumns(tile, Columns(d, Rows), Columns(x, Cols), N, P, Lr);
        AssertStep(w0, tile.Weights.ToArray(), MeanGradient(d, x), 1e-5, "minibatch by columns");
        Assert.Equal(Math.Min(N * P, Math.Min(Rows, Cols)), rule.RankOneWrites);
        var other = Applied(new MiniBatchRule(Rows, Cols), d, x, w0); // the position-major path, to float rounding
        for (int i = 0; i < other.Length; i++) Assert.Equal(other[i], tile.Weights[i], 1e-6f);
    }

    [Fact]
    public void MiniBatchRefusesBadColumnsAndChangesNothing()
    {
        var (d, x, w0) = Pairs(5);
        var rule = new MiniBatchRule(Rows, Cols);
        var tile = new CrossbarTile(Rows, Cols);
        tile.SetWeights(w0);
        float[] dc = Columns(d, Rows), xc = Columns(x, Cols);
        Assert.Throws<ArgumentException>(() => rule.ApplyPositionColumns(tile, dc.AsSpan(1), xc, N, P, Lr));
        Assert.Throws<ArgumentException>(() => rule.ApplyPositionColumns(tile, dc, xc, N, P + 1, Lr));
        Assert.ThrowsAny<ArgumentException>(() => rule.ApplyPositionColumns(tile, dc, xc, N, 0, Lr));
        Assert.Throws<ArgumentException>(() => rule.ApplyPositionColumns(new CrossbarTile(Rows + 1, Cols), dc, xc, N, P, Lr));
        float[] huge = (float[])xc.Clone(), hugeD = (float[])dc.Clone();
        huge[3] = 1e30f; hugeD[3] = 1e30f; // finite pairs whose gradient overflows float
        Assert.Contains("overflows", Assert.Throws<ArgumentException>(() => rule.ApplyPositionColumns(tile, hugeD, huge, N, P, Lr)).Message);
        xc[11] = float.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => rule.ApplyPositionColumns(tile, dc, xc, N, P, Lr)).Message);
        xc[11] = 0f; dc[7] = float.NegativeInfinity;
        Assert.Contains("NaN or Inf", Assert.Throws<ArgumentException>(() => rule.ApplyPositionColumns(tile, dc, xc, N, P, Lr)).Message);
        Assert.Equal(w0, tile.Weights.ToArray());
        Assert.Equal(0, rule.RankOneWrites);
    }

    [Fact]
    public void MiniBatchWritesTheMeanOfTheOuterProducts()
    {
        var (d, x, w0) = Pairs(1);
        var rule = new MiniBatchRule(Rows, Cols);
        AssertStep(w0, Applied(rule, d, x, w0), MeanGradient(d, x), 1e-5, "minibatch");
        Assert.Equal(Math.Min(N * P, Math.Min(Rows, Cols)), rule.RankOneWrites); // a dense write of rank <= min(nP, a, b)
    }

    [Fact]
    public void SgdWritesEveryPairAtTheFullRateSoEachSampleTakesItsGradientStep()
    {
        var (d, x, w0) = Pairs(2);
        var rule = new SgdRule(Rows, Cols);
        double[] sum = MeanGradient(d, x);
        for (int i = 0; i < sum.Length; i++) sum[i] *= N; // n per-sample steps: lr sum_j sum_p delta x^T
        AssertStep(w0, Applied(rule, d, x, w0), sum, 1e-4, "sgd");
        Assert.Equal(N * P, rule.RankOneWrites);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TruncatedSvdWritesTheTopKOfTheMean(int k)
    {
        var (d, x, w0) = Pairs(3);
        var rule = new TruncatedSvdRule(Rows, Cols, k);
        AssertStep(w0, Applied(rule, d, x, w0), TopK(MeanGradient(d, x), k), 1e-4, $"svd-{k}");
        Assert.Equal(k, rule.RankOneWrites);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TruncatedSvdTakesThePairsAsColumnsToo(int k)
    {
        var (d, x, w0) = Pairs(6);
        var rule = new TruncatedSvdRule(Rows, Cols, k);
        var tile = new CrossbarTile(Rows, Cols);
        tile.SetWeights(w0);
        rule.ApplyPositionColumns(tile, Columns(d, Rows), Columns(x, Cols), N, P, Lr);
        AssertStep(w0, tile.Weights.ToArray(), TopK(MeanGradient(d, x), k), 1e-4, $"svd-{k} by columns");
        Assert.Equal(k, rule.RankOneWrites);
        float[] xc = Columns(x, Cols);
        xc[17] = float.PositiveInfinity;
        float[] written = tile.Weights.ToArray();
        Assert.Contains("NaN or Inf", Assert.Throws<ArgumentException>(() => rule.ApplyPositionColumns(tile, Columns(d, Rows), xc, N, P, Lr)).Message);
        Assert.Equal(k, rule.RankOneWrites);
        Assert.Equal(written, tile.Weights.ToArray());
    }

    [Fact]
    public void SbeRecoversAnExactlyRankOneConvGradientInConstantMemory()
    {
        // delta_jp = a_jp u, x_jp = b_jp v: G = (1/n) sum a b u v^T has rank 1, which SBE-1 must find from the stream.
        var rng = new Xoshiro256(4);
        var u = new float[Rows]; var v = new float[Cols]; var a = new float[N * P]; var b = new float[N * P];
        rng.FillGaussian(u, 1.0); rng.FillGaussian(v, 1.0); rng.FillGaussian(a, 1.0);
        for (int t = 0; t < b.Length; t++) b[t] = a[t] + 0.1f * (float)rng.NextDouble(); // a b > 0 mostly: no cancellation
        var d = new float[N * P * Rows]; var x = new float[N * P * Cols]; var w0 = new float[Rows * Cols];
        for (int t = 0; t < N * P; t++)
        {
            for (int r = 0; r < Rows; r++) d[t * Rows + r] = a[t] * u[r];
            for (int c = 0; c < Cols; c++) x[t * Cols + c] = b[t] * v[c];
        }
        // Started from the first pair (no random initial state mixed into the mean) and with the Rayleigh magnitude
        // d^T G x from a replay of the pairs, the estimate is exact for a rank-1 stream.
        var rule = new SbeRule(Rows, Cols, new EstimatorOptions { Rank = 1, Magnitude = MagnitudeEstimate.Rayleigh, Initialization = InitialState.FirstSample }, seed: 9);
        AssertStep(w0, Applied(rule, d, x, w0), MeanGradient(d, x), 1e-3, "sbe-1");
        Assert.Equal(1, rule.RankOneWrites);
        Assert.Equal((1L * (Rows + Cols) + 1) * sizeof(float), rule.PeripheralMemoryBytes); // k(a+b)+k, whatever nP is
    }

    [Fact]
    public void SbeOnPairsIsSbeOnTheSameStreamAtTheScaledRate()
    {
        var (d, x, w0) = Pairs(5);
        var viaPositions = Applied(new SbeRule(Rows, Cols, new EstimatorOptions { Rank = 2 }, seed: 3), d, x, w0);
        var tile = new CrossbarTile(Rows, Cols);
        tile.SetWeights(w0);
        new SbeRule(Rows, Cols, new EstimatorOptions { Rank = 2 }, seed: 3).Apply(tile, d, x, N * P, Lr * P);
        Assert.True(viaPositions.AsSpan().SequenceEqual(tile.Weights));
    }

    // Top-k of a small dense matrix by deflated power iteration on G^T G, in double.
    private static double[] TopK(double[] g, int k)
    {
        var m = (double[])g.Clone();
        var result = new double[g.Length];
        var rng = new Xoshiro256(17);
        for (int c = 0; c < k; c++)
        {
            var v = new double[Cols];
            for (int i = 0; i < Cols; i++) v[i] = rng.NextDouble() - 0.5;
            var u = new double[Rows];
            double s = 0;
            for (int it = 0; it < 2000; it++)
            {
                for (int r = 0; r < Rows; r++) { double acc = 0; for (int i = 0; i < Cols; i++) acc += m[r * Cols + i] * v[i]; u[r] = acc; }
                for (int i = 0; i < Cols; i++) { double acc = 0; for (int r = 0; r < Rows; r++) acc += m[r * Cols + i] * u[r]; v[i] = acc; }
                double norm = Math.Sqrt(v.Sum(t => t * t));
                for (int i = 0; i < Cols; i++) v[i] /= norm;
            }
            for (int r = 0; r < Rows; r++) { double acc = 0; for (int i = 0; i < Cols; i++) acc += m[r * Cols + i] * v[i]; u[r] = acc; }
            s = Math.Sqrt(u.Sum(t => t * t));
            for (int r = 0; r < Rows; r++)
                for (int i = 0; i < Cols; i++)
                {
                    double term = u[r] * v[i]; // = s (u/s) v^T
                    result[r * Cols + i] += term; m[r * Cols + i] -= term;
                }
        }
        return result;
    }
}

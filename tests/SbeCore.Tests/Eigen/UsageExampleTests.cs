using MathNet.Numerics.LinearAlgebra;
using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Updates;

namespace SbeCore.Tests.Eigen;

/// <summary>The usage section of docs/estimator.md, line for line (with random data), so the example stays true: each
/// step is checked against what the document says it computes (exact SVD of M = (1/n) sum delta_j x_j^T by MathNet).</summary>
public class UsageExampleTests
{
    private const int Rows = 100, Cols = 785, N = 32;

    [Fact]
    public void DocumentedUsageComputesWhatTheDocumentSays()
    {
        var (deltas, xs) = TestData.Gaussian(N, Rows, Cols, 1);
        var tile = new CrossbarTile(Rows, Cols);
        var exact = Matrix<double>.Build.Dense(Rows, Cols, (i, j) =>
        {
            double sum = 0;
            for (int k = 0; k < N; k++) sum += deltas[k * Rows + i] * xs[k * Cols + j];
            return sum / N;
        }).Svd();

        // The streamed estimate: k = 2 unit left and right vectors, non-negative magnitudes in descending order.
        var est = new SbeEstimator(rows: Rows, cols: Cols, new EstimatorOptions { Rank = 2, SubBatch = 8 }, seed: 42);
        est.ObserveBatch(deltas, xs, N);
        float[] s = new float[2], d = new float[2 * Rows], x = new float[2 * Cols];
        est.Estimate(s, d, x);
        Assert.True(s[0] > 0 && s[0] >= s[1] && s[1] >= 0, $"s = [{s[0]}, {s[1]}]");
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(1.0, Norm(d.AsSpan(c * Rows, Rows)), 1e-5);
            Assert.Equal(1.0, Norm(x.AsSpan(c * Cols, Cols)), 1e-5);
        }

        // The exact top-k: MathNet's singular values and (up to sign) vectors.
        var svd = new BatchSvdSolver(Rows, Cols);
        svd.TopK(deltas, xs, N, s, d, x);
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(exact.S[c], s[c], 1e-5 * exact.S[0]);
            Assert.Equal(1.0, Math.Abs(Dot(d.AsSpan(c * Rows, Rows), exact.U.Column(c))), 1e-4);
            Assert.Equal(1.0, Math.Abs(Dot(x.AsSpan(c * Cols, Cols), exact.VT.Row(c))), 1e-4);
        }

        // The rule writes W -= lr s d x^T once (an ideal tile applies it exactly up to float rounding).
        float[] before = tile.Weights.ToArray();
        IUpdateRule rule = UpdateRuleFactory.Create(UpdateMethod.Sbe, Rows, Cols, rank: 1, seed: 42);
        rule.Apply(tile, deltas, xs, N, learningRate: 0.1f);
        Assert.Equal("sbe-1: 1 writes, 3544 bytes", $"{rule.Name}: {rule.RankOneWrites} writes, {rule.PeripheralMemoryBytes} bytes");
        var sbe = (SbeRule)rule;
        float[] after = tile.Weights.ToArray();
        double largest = 0;
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++)
            {
                double expected = before[i * Cols + j] - 0.1 * sbe.LastS[0] * sbe.LastD[i] * sbe.LastX[j];
                Assert.Equal(expected, after[i * Cols + j], 1e-6 + 1e-5 * Math.Abs(expected));
                largest = Math.Max(largest, Math.Abs(after[i * Cols + j] - before[i * Cols + j]));
            }
        Assert.True(largest > 0, "the write changed nothing");
    }

    private static double Norm(ReadOnlySpan<float> v) { double t = 0; foreach (float a in v) t += a * (double)a; return Math.Sqrt(t); }

    private static double Dot(ReadOnlySpan<float> a, Vector<double> b) { double t = 0; for (int i = 0; i < a.Length; i++) t += a[i] * b[i]; return t; }
}

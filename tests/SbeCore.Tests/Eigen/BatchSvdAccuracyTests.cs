using SbeCore.Eigen;
using Xunit.Abstractions;

namespace SbeCore.Tests.Eigen;

/// <summary>The exact SVD against MathNet's dense SVD of the double-precision mean gradient on the layers of
/// `sbe compare` (Gaussian batches, deltas scaled 0.01, top 3 pairs): errors at the float output's rounding, whatever
/// width the kernels run at. Each case logs its figures as a Markdown row (the table in docs/estimator.md).</summary>
public class BatchSvdAccuracyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(100, 785, 1)]
    [InlineData(100, 785, 16)]
    [InlineData(100, 785, 64)]
    [InlineData(100, 785, 256)]
    [InlineData(10, 101, 16)]
    [InlineData(10, 101, 64)]
    [InlineData(10, 101, 1024)]
    public void TopThreePairsAreAtFloatRounding(int a, int b, int n)
    {
        const int k = 3;
        var (deltas, xs) = TestData.Gaussian(n, a, b, (ulong)(7 * n + a));
        for (int i = 0; i < deltas.Length; i++) deltas[i] *= 0.01f;
        var (s, d, x) = TestData.Outputs(k, a, b);
        new BatchSvdSolver(a, b).TopK(deltas, xs, n, s, d, x);
        var svd = Oracle.Svd(Oracle.MeanGradient(deltas, xs, n, a, b));
        int pairs = Math.Min(k, n);
        double sErr = 0, uErr = 0, vErr = 0;
        for (int c = 0; c < pairs; c++)
        {
            sErr = Math.Max(sErr, Math.Abs(s[c] - svd.S[c]) / svd.S[0]);
            uErr = Math.Max(uErr, Angle(d.AsSpan(c * a, a), svd.U.Column(c)));
            vErr = Math.Max(vErr, Angle(x.AsSpan(c * b, b), svd.VT.Row(c)));
        }
        output.WriteLine($"| {a} x {b} | {n} | {sErr:0.0e0} | {uErr:0.0e0} / {vErr:0.0e0} |");
        // s is a float (relative rounding 6e-8), and so is each vector entry (an angle of about 6e-8 from rounding alone).
        Assert.True(sErr < 2e-7, $"s err {sErr:E2}");
        Assert.True(uErr < 1e-6 && vErr < 1e-6, $"angle u {uErr:E2}, v {vErr:E2}");
    }

    // The angle between the directions of a and b up to sign, as the distance between the unit vectors (exact to double
    // rounding, where 1 - |cos| would lose everything below 1e-8 of angle to cancellation).
    private static double Angle(ReadOnlySpan<float> a, MathNet.Numerics.LinearAlgebra.Vector<double> b)
    {
        double na = 0, nb = 0, dot = 0;
        for (int i = 0; i < a.Length; i++) { na += (double)a[i] * a[i]; nb += b[i] * b[i]; dot += a[i] * b[i]; }
        double sa = 1 / Math.Sqrt(na), sb = Math.Sign(dot) / Math.Sqrt(nb), d2 = 0;
        for (int i = 0; i < a.Length; i++) { double e = a[i] * sa - b[i] * sb; d2 += e * e; }
        return Math.Sqrt(d2);
    }
}

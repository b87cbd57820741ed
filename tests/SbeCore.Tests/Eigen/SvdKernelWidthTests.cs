using SbeCore.Eigen;
using SbeCore.Numerics;
using SbeCore.Tests.Kernels;
using P = SbeCore.Tests.Eigen.SvdKernelPaths;
using R = SbeCore.Tests.Eigen.DoubleReference;

namespace SbeCore.Tests.Eigen;

/// <summary>Every width entry point of the exact SVD's double kernels (<see cref="SvdKernels"/>, <see cref="DoubleOps"/>)
/// against double-double references with bounds scaled by length and magnitude, on odd sizes (rows not a multiple of
/// the 4 x 4 block, lengths not a multiple of a vector); the guard cells after each output; widths against each other;
/// the public methods against the width they pick; 0 bytes allocated per call.</summary>
public class SvdKernelWidthTests
{
    public static TheoryData<Width> Widths => Paths.Supported();

    private static Width[] AcceleratedWidths() => Enum.GetValues<Width>().Where(Paths.IsAccelerated).OrderByDescending(w => (int)w).ToArray();

    private static readonly int[] RowCounts = [1, 2, 3, 4, 5, 7, 8, 9, 12, 13];
    private static readonly int[] Lengths = [1, 3, 8, 17, 31, 32, 33, 100, 129];

    private static double[] Guarded(int used, int guard = 7)
    {
        var g = new double[used + guard];
        Array.Fill(g, R.Sentinel);
        return g;
    }

    [Fact]
    public void StridePadsToFourOfTheWidestVectors()
    {
        for (int len = 0; len <= 300; len++)
        {
            int s = SvdKernels.Stride(len);
            Assert.True(s % 32 == 0 && s >= len && s < len + 32, $"len {len}: stride {s}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void WidenConvertsExactlyAndZeroPads(Width width)
    {
        var rng = new Xoshiro256(31);
        for (int len = 0; len <= 70; len++)
            foreach (int rows in new[] { 1, 3 })
                foreach (bool padded in new[] { true, false })
                {
                    int srcStride = len + 5, stride = padded ? SvdKernels.Stride(len) : len;
                    float[] src = new float[rows * srcStride];
                    for (int i = 0; i < src.Length; i++) src[i] = i % srcStride < len ? (2f * rng.NextSingle() - 1f) * (1 + i) : float.NaN;
                    double[] dst = Guarded(rows * stride);
                    Array.Fill(dst, 12345.0, 0, rows * stride); // stale values the padding must overwrite
                    P.Widen(width, src, rows, srcStride, len, dst, stride);
                    for (int j = 0; j < rows; j++)
                        for (int i = 0; i < stride; i++)
                        {
                            double expected = i < len ? src[j * srcStride + i] : 0.0;
                            Assert.True(R.SameBits(expected, dst[j * stride + i]), $"{width} len={len} rows={rows} stride={stride} [{j},{i}]: {dst[j * stride + i]} != {expected}");
                        }
                    for (int i = rows * stride; i < dst.Length; i++) R.AssertSentinel(dst[i], $"{width} Widen len={len} [{i}]");
                }
    }

    [Theory, MemberData(nameof(Widths))]
    public void GramMatchesReferenceBothTrianglesAndAccumulates(Width width)
    {
        var rng = new Xoshiro256(32);
        foreach (int m in RowCounts)
            foreach (int len in Lengths)
                foreach (bool accumulate in new[] { false, true })
                {
                    int stride = SvdKernels.Stride(len), gs = m + 3;
                    double[] a = R.PaddedRows(ref rng, m, len, stride);
                    double[] g = Guarded(m * gs);
                    double[] init = R.Random(ref rng, m * gs, 2, floats: false);
                    if (accumulate)
                        for (int i = 0; i < m; i++)
                            for (int l = 0; l < m; l++) g[i * gs + l] = init[i * gs + l];
                    P.Gram(width, a, m, stride, g, gs, accumulate);
                    for (int i = 0; i < m; i++)
                    {
                        for (int l = 0; l < m; l++)
                        {
                            var (value, abs) = R.Dot(a.AsSpan(i * stride, len), a.AsSpan(l * stride, len), accumulate ? init[i * gs + l] : 0);
                            Reference.AssertClose(value, g[i * gs + l], R.SumBound(len + 1, abs), $"{width} Gram m={m} len={len} acc={accumulate} [{i},{l}]");
                            if (!accumulate) Assert.Equal(g[i * gs + l], g[l * gs + i]); // the same sum written twice
                        }
                        for (int l = m; l < gs; l++) // row padding: cleared when overwriting, untouched when accumulating
                            if (accumulate) R.AssertSentinel(g[i * gs + l], $"{width} Gram acc pad [{i},{l}]");
                            else Assert.Equal(0.0, g[i * gs + l]);
                    }
                    for (int i = m * gs; i < g.Length; i++) R.AssertSentinel(g[i], $"{width} Gram m={m} len={len} guard {i}");
                }
    }

    [Theory, MemberData(nameof(Widths))]
    public void CrossMatchesReferenceAndWritesOnlyM1ByM2(Width width)
    {
        var rng = new Xoshiro256(33);
        foreach (int m1 in RowCounts)
            foreach (int m2 in new[] { 1, 4, 6, 9, 13 })
                foreach (int len in Lengths)
                {
                    int stride = SvdKernels.Stride(len), gs = m2 + 2;
                    double[] a = R.PaddedRows(ref rng, m1, len, stride), b = R.PaddedRows(ref rng, m2, len, stride, floats: false);
                    double[] g = Guarded(m1 * gs);
                    P.Cross(width, a, m1, b, m2, stride, g, gs);
                    for (int i = 0; i < m1; i++)
                    {
                        for (int l = 0; l < m2; l++)
                        {
                            var (value, abs) = R.Dot(a.AsSpan(i * stride, len), b.AsSpan(l * stride, len));
                            Reference.AssertClose(value, g[i * gs + l], R.SumBound(len, abs), $"{width} Cross {m1}x{m2} len={len} [{i},{l}]");
                        }
                        for (int l = m2; l < gs; l++) R.AssertSentinel(g[i * gs + l], $"{width} Cross pad [{i},{l}]");
                    }
                    for (int i = m1 * gs; i < g.Length; i++) R.AssertSentinel(g[i], $"{width} Cross guard {i}");
                }
    }

    [Theory, MemberData(nameof(Widths))]
    public void AddTransposedProductMatchesReference(Width width)
    {
        var rng = new Xoshiro256(34);
        foreach (int s in new[] { 1, 2, 3, 4, 5, 6, 9, 13 })
            foreach (int t in new[] { 1, 3, 64 })
                foreach (int len in new[] { 5, 32, 33, 128, 150 })
                {
                    int stride = SvdKernels.Stride(len);
                    double[] sMat = R.Random(ref rng, t * s, 1, floats: true);
                    double[] b = R.PaddedRows(ref rng, t, len, stride);
                    double[] init = R.PaddedRows(ref rng, s, len, stride, floats: false);
                    double[] c = Guarded(s * stride);
                    init.CopyTo(c, 0);
                    P.AddTransposedProduct(width, sMat, s, b, stride, t, c);
                    var column = new double[t]; var weights = new double[t];
                    for (int i = 0; i < s; i++)
                    {
                        for (int j = 0; j < t; j++) weights[j] = sMat[j * s + i];
                        for (int l = 0; l < stride; l++)
                        {
                            for (int j = 0; j < t; j++) column[j] = b[j * stride + l];
                            var (value, abs) = R.Dot(weights, column, init[i * stride + l]);
                            Reference.AssertClose(value, c[i * stride + l], R.SumBound(t + 1, abs), $"{width} S^T B s={s} t={t} len={len} [{i},{l}]");
                        }
                    }
                    for (int i = s * stride; i < c.Length; i++) R.AssertSentinel(c[i], $"{width} S^T B guard {i}");
                }
    }

    [Theory, MemberData(nameof(Widths))]
    public void DotAndAxpyMatchReferenceAtEveryLength(Width width)
    {
        var rng = new Xoshiro256(35);
        for (int n = 0; n <= 1000; n = n < 80 ? n + 1 : n * 2 - 51)
        {
            double scale = Math.ScaleB(1, n % 9 - 4);
            double[] x = R.Random(ref rng, n, scale, floats: false), y = R.Random(ref rng, n, 1, floats: false);
            float[] xf = new float[n];
            for (int i = 0; i < n; i++) xf[i] = (float)x[i];
            var (dot, abs) = R.Dot(x, y);
            Reference.AssertClose(dot, P.Dot(width, x, y), R.SumBound(n, abs), $"{width} Dot n={n}");

            double a = 0.75 - rng.NextDouble();
            foreach (bool single in new[] { false, true })
            {
                double[] yy = Guarded(n);
                y.CopyTo(yy, 0);
                if (single) P.Axpy(width, a, xf, yy.AsSpan(0, n));
                else P.Axpy(width, a, x, yy.AsSpan(0, n));
                for (int i = 0; i < n; i++)
                {
                    double xi = single ? xf[i] : x[i];
                    var (value, mag) = R.Dot([a], [xi], y[i]);
                    // one fused multiply-add (one rounding), or a rounded product then an add (two)
                    Reference.AssertClose(value, yy[i], 2.01 * R.U * mag + 1e-300, $"{width} Axpy single={single} n={n} [{i}]");
                }
                for (int i = n; i < yy.Length; i++) R.AssertSentinel(yy[i], $"{width} Axpy guard {i}");
            }
        }
    }

    [Fact]
    public void WidthsAgreeWithEachOtherWithinRounding()
    {
        // Different widths sum in different orders, so they may differ, but only by rounding: each pair of widths
        // within the sum of both bounds of the exact value. All four widths run here, the ones this process does not
        // accelerate in the runtime's software fallback, so the comparison never shrinks to one width.
        var rng = new Xoshiro256(36);
        Width[] widths = [Width.V512, Width.V256, Width.V128, Width.Scalar];
        const int m = 13, len = 785;
        int stride = SvdKernels.Stride(len);
        double[] a = R.PaddedRows(ref rng, m, len, stride);
        var grams = widths.Select(w => { var g = new double[m * m]; P.Gram(w, a, m, stride, g, m, false); return g; }).ToArray();
        for (int i = 0; i < m; i++)
            for (int l = 0; l < m; l++)
            {
                double bound = 2 * R.SumBound(len, R.Dot(a.AsSpan(i * stride, len), a.AsSpan(l * stride, len)).SumAbs);
                for (int p = 1; p < widths.Length; p++)
                    Reference.AssertClose(grams[0][i * m + l], grams[p][i * m + l], bound, $"Gram {widths[0]} vs {widths[p]} [{i},{l}]");
            }
        const int s = 7, t = 64;
        double[] sMat = R.Random(ref rng, t * s, 1, floats: true), b = R.PaddedRows(ref rng, t, len, stride);
        var products = widths.Select(w => { var c = new double[s * stride]; P.AddTransposedProduct(w, sMat, s, b, stride, t, c); return c; }).ToArray();
        for (int i = 0; i < s; i++)
            for (int l = 0; l < len; l++)
            {
                double abs = 0;
                for (int j = 0; j < t; j++) abs += Math.Abs(sMat[j * s + i] * b[j * stride + l]);
                for (int p = 1; p < widths.Length; p++)
                    Reference.AssertClose(products[0][i * stride + l], products[p][i * stride + l], 2 * R.SumBound(t, abs), $"S^T B {widths[0]} vs {widths[p]} [{i},{l}]");
            }
    }

    [Fact]
    public void PublicMethodsEqualTheWidthTheyDispatchTo()
    {
        var rng = new Xoshiro256(37);
        Width widest = AcceleratedWidths()[0];
        const int m = 9, len = 101;
        int stride = SvdKernels.Stride(len);
        double[] a = R.PaddedRows(ref rng, m, len, stride), b = R.PaddedRows(ref rng, m, len, stride);
        double[] g1 = new double[m * m], g2 = new double[m * m];
        SvdKernels.Gram(a, m, stride, g1, m); P.Gram(widest, a, m, stride, g2, m, false);
        Assert.Equal(g2, g1);
        SvdKernels.Cross(a, m, b, m, stride, g1, m); P.Cross(widest, a, m, b, m, stride, g2, m);
        Assert.Equal(g2, g1);
        double[] c1 = new double[m * stride], c2 = new double[m * stride];
        SvdKernels.AddTransposedProduct(a.AsSpan(0, m * m), m, b, stride, m, c1); P.AddTransposedProduct(widest, a.AsSpan(0, m * m), m, b, stride, m, c2);
        Assert.Equal(c2, c1);
        float[] src = new float[m * len];
        for (int i = 0; i < src.Length; i++) src[i] = rng.NextSingle();
        SvdKernels.Widen(src, m, len, len, c1, stride); P.Widen(widest, src, m, len, len, c2, stride);
        Assert.Equal(c2, c1);

        // DoubleOps takes the widest accelerated width whose vector fits the length.
        foreach (int n in new[] { 0, 1, 2, 3, 4, 7, 8, 9, 33, 785 })
        {
            Width width = AcceleratedWidths().First(w => w == Width.Scalar || n >= (int)w / 64);
            double[] x = R.Random(ref rng, n, 1, floats: false), y = R.Random(ref rng, n, 1, floats: false);
            Assert.Equal(P.Dot(width, x, y), DoubleOps.Dot(x, y));
            double[] y1 = (double[])y.Clone(), y2 = (double[])y.Clone();
            DoubleOps.Axpy(0.3, x, y1); P.Axpy(width, 0.3, x, y2);
            Assert.Equal(y2, y1);
            float[] xf = x.Select(v => (float)v).ToArray();
            DoubleOps.Axpy(-0.7, xf, y1); P.Axpy(width, -0.7, xf, y2);
            Assert.Equal(y2, y1);
        }
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        var rng = new Xoshiro256(38);
        Width[] widths = AcceleratedWidths();
        const int m = 13, len = 785, t = 64;
        int stride = SvdKernels.Stride(len);
        double[] a = R.PaddedRows(ref rng, m, len, stride), g = new double[m * m], c = new double[m * stride];
        double[] sMat = R.Random(ref rng, t * m, 1, floats: true), b = R.PaddedRows(ref rng, t, len, stride);
        float[] src = new float[m * len];
        double sink = 0;
        void CallAll()
        {
            foreach (Width w in widths)
            {
                P.Widen(w, src, m, len, len, a, stride);
                P.Gram(w, a, m, stride, g, m, false);
                P.Cross(w, a, m, a, m, stride, g, m);
                P.AddTransposedProduct(w, sMat, m, b, stride, t, c);
                sink += P.Dot(w, a, c);
                P.Axpy(w, 1e-3, a.AsSpan(0, len), c);
                P.Axpy(w, 1e-3, src.AsSpan(0, len), c);
            }
            SvdKernels.Widen(src, m, len, len, a, stride);
            SvdKernels.Gram(a, m, stride, g, m);
            SvdKernels.Cross(a, m, a, m, stride, g, m);
            SvdKernels.AddTransposedProduct(sMat, m, b, stride, t, c);
            sink += DoubleOps.Dot(a, c);
            DoubleOps.Axpy(1e-3, a.AsSpan(0, len), c);
            DoubleOps.Axpy(1e-3, src.AsSpan(0, len), c);
        }
        for (int i = 0; i < 5; i++) CallAll();
        SteadyState.AssertAllocatesNothing(() => { for (int i = 0; i < 10; i++) CallAll(); });
        Assert.False(double.IsNaN(sink));
    }
}

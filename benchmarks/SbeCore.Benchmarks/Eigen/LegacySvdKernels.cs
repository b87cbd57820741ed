using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SbeCore.Benchmarks.Eigen;

/// <summary>
/// The previous version of SbeCore.Eigen.SvdKernels (System.Numerics.Vector&lt;double&gt;, kept here only as the
/// benchmark baseline for the width-generic rewrite). Register-blocked double-precision kernels for the exact SVD (BLAS-3 style: each loaded vector feeds four FMAs).
/// Operands are rows of doubles padded with zeros to <see cref="Stride"/> (a multiple of four vectors), so no kernel has
/// a ragged tail. float * float is exact in double, so sums of products of the float inputs lose only the additions'
/// rounding. System.Numerics.Vector (any width), with a scalar path when it is not hardware accelerated.
/// </summary>
internal static class LegacySvdKernels
{
    private static int Lanes => Vector<double>.Count;

    /// <summary>Row stride for a row of len doubles: len rounded up to a multiple of four vectors.</summary>
    public static int Stride(int len)
    {
        int q = 4 * Lanes;
        return (len + q - 1) / q * q;
    }

    /// <summary>rows rows of len floats (row j at src[j * srcStride]) -> rows rows of stride doubles, zero-padded.</summary>
    public static void Widen(ReadOnlySpan<float> src, int rows, int srcStride, int len, Span<double> dst, int stride)
    {
        for (int j = 0; j < rows; j++)
        {
            ReadOnlySpan<float> s = src.Slice(j * srcStride, len);
            Span<double> d = dst.Slice(j * stride, stride);
            for (int i = 0; i < len; i++) d[i] = s[i];
            d.Slice(len).Clear();
        }
    }

    /// <summary>
    /// g (m x m, row stride gs) = A A^T (or g += A A^T when accumulate) for m rows of A (stride doubles each):
    /// g[i, l] = A_i . A_l, both triangles written.
    /// </summary>
    public static void Gram(ReadOnlySpan<double> a, int m, int stride, Span<double> g, int gs, bool accumulate = false)
    {
        if (!accumulate) g.Slice(0, m * gs).Clear();
        if (!Vector.IsHardwareAccelerated)
        {
            for (int i = 0; i < m; i++)
                for (int l = i; l < m; l++) Add(g, gs, i, l, ScalarDot(a.Slice(i * stride, stride), a.Slice(l * stride, stride)));
            return;
        }
        int blocked = m - m % 4;
        Span<double> sums = stackalloc double[16];
        for (int i0 = 0; i0 < blocked; i0 += 4)
            for (int l0 = i0; l0 < blocked; l0 += 4)
            {
                Block(a, i0, a, l0, stride, sums);
                for (int r = 0; r < 4; r++)
                    for (int q = l0 == i0 ? r : 0; q < 4; q++) Add(g, gs, i0 + r, l0 + q, sums[4 * r + q]); // diagonal block: upper half
            }
        for (int i = blocked; i < m; i++) // the last m % 4 rows against everything
            for (int l = 0; l <= i; l++) Add(g, gs, l, i, LegacyDot(a.Slice(i * stride, stride), a.Slice(l * stride, stride)));
    }

    /// <summary>g (m1 x m2, row stride gs) = A B^T: g[i, l] = A_i . B_l for m1 rows of A and m2 rows of B (stride doubles each).</summary>
    public static void Cross(ReadOnlySpan<double> a, int m1, ReadOnlySpan<double> b, int m2, int stride, Span<double> g, int gs)
    {
        if (!Vector.IsHardwareAccelerated)
        {
            for (int i = 0; i < m1; i++)
                for (int l = 0; l < m2; l++) g[i * gs + l] = ScalarDot(a.Slice(i * stride, stride), b.Slice(l * stride, stride));
            return;
        }
        int bi = m1 - m1 % 4, bl = m2 - m2 % 4;
        Span<double> sums = stackalloc double[16];
        for (int i0 = 0; i0 < bi; i0 += 4)
            for (int l0 = 0; l0 < bl; l0 += 4)
            {
                Block(a, i0, b, l0, stride, sums);
                for (int r = 0; r < 4; r++)
                    for (int q = 0; q < 4; q++) g[(i0 + r) * gs + l0 + q] = sums[4 * r + q];
            }
        for (int i = 0; i < m1; i++)
            for (int l = i < bi ? bl : 0; l < m2; l++) g[i * gs + l] = LegacyDot(a.Slice(i * stride, stride), b.Slice(l * stride, stride));
    }

    // g[i, l] += v and, off the diagonal, g[l, i] += v
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(Span<double> g, int gs, int i, int l, double v)
    {
        g[i * gs + l] += v;
        if (i != l) g[l * gs + i] += v;
    }

    // sums[4 r + q] = A_{i0 + r} . B_{l0 + q}: 16 vector accumulators, 8 loads per 16 FMAs.
    private static void Block(ReadOnlySpan<double> a, int i0, ReadOnlySpan<double> b, int l0, int stride, Span<double> sums)
    {
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        nuint s = (nuint)stride;
        nuint pi = (nuint)i0 * s, pl = (nuint)l0 * s;
        Vector<double> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector<double> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector<double> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector<double> c30 = default, c31 = default, c32 = default, c33 = default;
        for (nuint k = 0; k < s; k += (nuint)Lanes)
        {
            Vector<double> a0 = Vector.LoadUnsafe(ref ra, pi + k), a1 = Vector.LoadUnsafe(ref ra, pi + s + k);
            Vector<double> a2 = Vector.LoadUnsafe(ref ra, pi + 2 * s + k), a3 = Vector.LoadUnsafe(ref ra, pi + 3 * s + k);
            Vector<double> b0 = Vector.LoadUnsafe(ref rb, pl + k), b1 = Vector.LoadUnsafe(ref rb, pl + s + k);
            Vector<double> b2 = Vector.LoadUnsafe(ref rb, pl + 2 * s + k), b3 = Vector.LoadUnsafe(ref rb, pl + 3 * s + k);
            c00 = Vector.FusedMultiplyAdd(a0, b0, c00); c01 = Vector.FusedMultiplyAdd(a0, b1, c01);
            c02 = Vector.FusedMultiplyAdd(a0, b2, c02); c03 = Vector.FusedMultiplyAdd(a0, b3, c03);
            c10 = Vector.FusedMultiplyAdd(a1, b0, c10); c11 = Vector.FusedMultiplyAdd(a1, b1, c11);
            c12 = Vector.FusedMultiplyAdd(a1, b2, c12); c13 = Vector.FusedMultiplyAdd(a1, b3, c13);
            c20 = Vector.FusedMultiplyAdd(a2, b0, c20); c21 = Vector.FusedMultiplyAdd(a2, b1, c21);
            c22 = Vector.FusedMultiplyAdd(a2, b2, c22); c23 = Vector.FusedMultiplyAdd(a2, b3, c23);
            c30 = Vector.FusedMultiplyAdd(a3, b0, c30); c31 = Vector.FusedMultiplyAdd(a3, b1, c31);
            c32 = Vector.FusedMultiplyAdd(a3, b2, c32); c33 = Vector.FusedMultiplyAdd(a3, b3, c33);
        }
        sums[0] = Vector.Sum(c00); sums[1] = Vector.Sum(c01); sums[2] = Vector.Sum(c02); sums[3] = Vector.Sum(c03);
        sums[4] = Vector.Sum(c10); sums[5] = Vector.Sum(c11); sums[6] = Vector.Sum(c12); sums[7] = Vector.Sum(c13);
        sums[8] = Vector.Sum(c20); sums[9] = Vector.Sum(c21); sums[10] = Vector.Sum(c22); sums[11] = Vector.Sum(c23);
        sums[12] = Vector.Sum(c30); sums[13] = Vector.Sum(c31); sums[14] = Vector.Sum(c32); sums[15] = Vector.Sum(c33);
    }

    /// <summary>
    /// c (s x stride) += S^T B over t rows: c[i, :] += sum_t S[t, i] B[t, :], S t x s (contiguous doubles), B t rows of
    /// stride doubles. Blocks of 4 rows of c by 4 vectors of columns: per sample 4 loads and 4 broadcasts feed 16 FMAs.
    /// </summary>
    public static void AddTransposedProduct(ReadOnlySpan<double> sMat, int s, ReadOnlySpan<double> b, int stride, int t, Span<double> c)
    {
        if (!Vector.IsHardwareAccelerated)
        {
            for (int j = 0; j < t; j++)
                for (int i = 0; i < s; i++)
                {
                    double w = sMat[j * s + i];
                    for (int l = 0; l < stride; l++) c[i * stride + l] += w * b[j * stride + l];
                }
            return;
        }
        int blocked = s - s % 4;
        int width = 4 * Lanes;
        for (int col = 0; col < stride; col += width)
        {
            for (int i0 = 0; i0 < blocked; i0 += 4) ProductBlock4(sMat, s, b, stride, t, c, i0, col);
            for (int i = blocked; i < s; i++) ProductBlock1(sMat, s, b, stride, t, c, i, col);
        }
    }

    private static void ProductBlock4(ReadOnlySpan<double> sMat, int s, ReadOnlySpan<double> b, int stride, int t, Span<double> c, int i0, int col)
    {
        ref double rs = ref MemoryMarshal.GetReference(sMat);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rc = ref MemoryMarshal.GetReference(c);
        nuint w = (nuint)Lanes, st = (nuint)stride;
        nuint p0 = (nuint)i0 * st + (nuint)col, p1 = p0 + st, p2 = p1 + st, p3 = p2 + st;
        Vector<double> c00 = Vector.LoadUnsafe(ref rc, p0), c01 = Vector.LoadUnsafe(ref rc, p0 + w), c02 = Vector.LoadUnsafe(ref rc, p0 + 2 * w), c03 = Vector.LoadUnsafe(ref rc, p0 + 3 * w);
        Vector<double> c10 = Vector.LoadUnsafe(ref rc, p1), c11 = Vector.LoadUnsafe(ref rc, p1 + w), c12 = Vector.LoadUnsafe(ref rc, p1 + 2 * w), c13 = Vector.LoadUnsafe(ref rc, p1 + 3 * w);
        Vector<double> c20 = Vector.LoadUnsafe(ref rc, p2), c21 = Vector.LoadUnsafe(ref rc, p2 + w), c22 = Vector.LoadUnsafe(ref rc, p2 + 2 * w), c23 = Vector.LoadUnsafe(ref rc, p2 + 3 * w);
        Vector<double> c30 = Vector.LoadUnsafe(ref rc, p3), c31 = Vector.LoadUnsafe(ref rc, p3 + w), c32 = Vector.LoadUnsafe(ref rc, p3 + 2 * w), c33 = Vector.LoadUnsafe(ref rc, p3 + 3 * w);
        nuint sb = (nuint)col, ss = (nuint)i0;
        for (int j = 0; j < t; j++, sb += st, ss += (nuint)s)
        {
            Vector<double> b0 = Vector.LoadUnsafe(ref rb, sb), b1 = Vector.LoadUnsafe(ref rb, sb + w);
            Vector<double> b2 = Vector.LoadUnsafe(ref rb, sb + 2 * w), b3 = Vector.LoadUnsafe(ref rb, sb + 3 * w);
            var a = new Vector<double>(Unsafe.Add(ref rs, ss));
            c00 = Vector.FusedMultiplyAdd(a, b0, c00); c01 = Vector.FusedMultiplyAdd(a, b1, c01);
            c02 = Vector.FusedMultiplyAdd(a, b2, c02); c03 = Vector.FusedMultiplyAdd(a, b3, c03);
            a = new Vector<double>(Unsafe.Add(ref rs, ss + 1));
            c10 = Vector.FusedMultiplyAdd(a, b0, c10); c11 = Vector.FusedMultiplyAdd(a, b1, c11);
            c12 = Vector.FusedMultiplyAdd(a, b2, c12); c13 = Vector.FusedMultiplyAdd(a, b3, c13);
            a = new Vector<double>(Unsafe.Add(ref rs, ss + 2));
            c20 = Vector.FusedMultiplyAdd(a, b0, c20); c21 = Vector.FusedMultiplyAdd(a, b1, c21);
            c22 = Vector.FusedMultiplyAdd(a, b2, c22); c23 = Vector.FusedMultiplyAdd(a, b3, c23);
            a = new Vector<double>(Unsafe.Add(ref rs, ss + 3));
            c30 = Vector.FusedMultiplyAdd(a, b0, c30); c31 = Vector.FusedMultiplyAdd(a, b1, c31);
            c32 = Vector.FusedMultiplyAdd(a, b2, c32); c33 = Vector.FusedMultiplyAdd(a, b3, c33);
        }
        c00.StoreUnsafe(ref rc, p0); c01.StoreUnsafe(ref rc, p0 + w); c02.StoreUnsafe(ref rc, p0 + 2 * w); c03.StoreUnsafe(ref rc, p0 + 3 * w);
        c10.StoreUnsafe(ref rc, p1); c11.StoreUnsafe(ref rc, p1 + w); c12.StoreUnsafe(ref rc, p1 + 2 * w); c13.StoreUnsafe(ref rc, p1 + 3 * w);
        c20.StoreUnsafe(ref rc, p2); c21.StoreUnsafe(ref rc, p2 + w); c22.StoreUnsafe(ref rc, p2 + 2 * w); c23.StoreUnsafe(ref rc, p2 + 3 * w);
        c30.StoreUnsafe(ref rc, p3); c31.StoreUnsafe(ref rc, p3 + w); c32.StoreUnsafe(ref rc, p3 + 2 * w); c33.StoreUnsafe(ref rc, p3 + 3 * w);
    }

    private static void ProductBlock1(ReadOnlySpan<double> sMat, int s, ReadOnlySpan<double> b, int stride, int t, Span<double> c, int i, int col)
    {
        ref double rs = ref MemoryMarshal.GetReference(sMat);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rc = ref MemoryMarshal.GetReference(c);
        nuint w = (nuint)Lanes, st = (nuint)stride;
        nuint p0 = (nuint)i * st + (nuint)col;
        Vector<double> c0 = Vector.LoadUnsafe(ref rc, p0), c1 = Vector.LoadUnsafe(ref rc, p0 + w);
        Vector<double> c2 = Vector.LoadUnsafe(ref rc, p0 + 2 * w), c3 = Vector.LoadUnsafe(ref rc, p0 + 3 * w);
        nuint sb = (nuint)col, ss = (nuint)i;
        for (int j = 0; j < t; j++, sb += st, ss += (nuint)s)
        {
            var a = new Vector<double>(Unsafe.Add(ref rs, ss));
            c0 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rb, sb), c0);
            c1 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rb, sb + w), c1);
            c2 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rb, sb + 2 * w), c2);
            c3 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rb, sb + 3 * w), c3);
        }
        c0.StoreUnsafe(ref rc, p0); c1.StoreUnsafe(ref rc, p0 + w); c2.StoreUnsafe(ref rc, p0 + 2 * w); c3.StoreUnsafe(ref rc, p0 + 3 * w);
    }

    private static double ScalarDot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    // the previous DoubleOps.Dot
    private static double LegacyDot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length, i = 0;
        y = y.Slice(0, n);
        double s = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            Vector<double> a0 = default, a1 = default;
            int v = 0;
            for (; v + 1 < xv.Length; v += 2) { a0 += xv[v] * yv[v]; a1 += xv[v + 1] * yv[v + 1]; }
            for (; v < xv.Length; v++) a0 += xv[v] * yv[v];
            s = Vector.Sum(a0 + a1);
            i = xv.Length * Vector<double>.Count;
        }
        for (; i < n; i++) s += x[i] * y[i];
        return s;
    }
}

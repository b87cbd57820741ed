using SbeCore.Kernels;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Eigen;

/// <summary>
/// Register-blocked double-precision kernels for the exact SVD (BLAS-3 style: each loaded vector feeds four FMAs).
/// Operands are rows of doubles padded with zeros to <see cref="Stride"/> (a multiple of four of the widest vectors),
/// so no kernel has a ragged tail. float * float is exact in double, so sums of products of the float inputs lose only
/// the additions' rounding. One generic body per kernel over <see cref="ISimdDoubleOps{TVec}"/>; each public method
/// picks the widest accelerated width once (every width divides the padding), scalar when none is.
/// </summary>
internal static class SvdKernels
{
    // Four vectors of the widest path (Vector512: 8 doubles); the narrower paths need a divisor of it.
    private const int Quantum = 4 * 8;

    /// <summary>Row stride for a row of len doubles: len rounded up to a multiple of 32 (four 512-bit vectors), the
    /// padding every width's kernels need.</summary>
    public static int Stride(int len) => checked((len + Quantum - 1) / Quantum * Quantum);

    /// <summary>rows rows of len floats (row j at src[j * srcStride]) -> rows rows of stride doubles, zero-padded.</summary>
    public static void Widen(ReadOnlySpan<float> src, int rows, int srcStride, int len, Span<double> dst, int stride)
    {
        switch (SimdDispatch.ForDouble(stride))
        {
            case SimdWidth.V512: Widen512(src, rows, srcStride, len, dst, stride); break;
            case SimdWidth.V256: Widen256(src, rows, srcStride, len, dst, stride); break;
            case SimdWidth.V128: Widen128(src, rows, srcStride, len, dst, stride); break;
            default: WidenScalar(src, rows, srcStride, len, dst, stride); break;
        }
    }

    /// <summary>
    /// g (m x m, row stride gs) = A A^T (or g += A A^T when accumulate) for m rows of A (stride doubles each):
    /// g[i, l] = A_i . A_l, both triangles written.
    /// </summary>
    public static void Gram(ReadOnlySpan<double> a, int m, int stride, Span<double> g, int gs, bool accumulate = false)
    {
        switch (SimdDispatch.ForDouble(stride))
        {
            case SimdWidth.V512: Gram512(a, m, stride, g, gs, accumulate); break;
            case SimdWidth.V256: Gram256(a, m, stride, g, gs, accumulate); break;
            case SimdWidth.V128: Gram128(a, m, stride, g, gs, accumulate); break;
            default: GramScalar(a, m, stride, g, gs, accumulate); break;
        }
    }

    /// <summary>g (m1 x m2, row stride gs) = A B^T: g[i, l] = A_i . B_l for m1 rows of A and m2 rows of B (stride doubles each).</summary>
    public static void Cross(ReadOnlySpan<double> a, int m1, ReadOnlySpan<double> b, int m2, int stride, Span<double> g, int gs)
    {
        switch (SimdDispatch.ForDouble(stride))
        {
            case SimdWidth.V512: Cross512(a, m1, b, m2, stride, g, gs); break;
            case SimdWidth.V256: Cross256(a, m1, b, m2, stride, g, gs); break;
            case SimdWidth.V128: Cross128(a, m1, b, m2, stride, g, gs); break;
            default: CrossScalar(a, m1, b, m2, stride, g, gs); break;
        }
    }

    /// <summary>
    /// c (s x stride) += S^T B over t rows: c[i, :] += sum_t S[t, i] B[t, :], S t x s (contiguous doubles), B t rows of
    /// stride doubles. Blocks of 4 rows of c by 4 vectors of columns: per sample 4 loads and 4 broadcasts feed 16 FMAs.
    /// </summary>
    public static void AddTransposedProduct(ReadOnlySpan<double> sMat, int s, ReadOnlySpan<double> b, int stride, int t, Span<double> c)
    {
        switch (SimdDispatch.ForDouble(stride))
        {
            case SimdWidth.V512: AddTransposedProduct512(sMat, s, b, stride, t, c); break;
            case SimdWidth.V256: AddTransposedProduct256(sMat, s, b, stride, t, c); break;
            case SimdWidth.V128: AddTransposedProduct128(sMat, s, b, stride, t, c); break;
            default: AddTransposedProductScalar(sMat, s, b, stride, t, c); break;
        }
    }

    // Width entry points (tests and benchmarks call them directly; every stride from Stride suits every width).

    internal static void Widen512(ReadOnlySpan<float> src, int rows, int srcStride, int len, Span<double> dst, int stride) => WidenCore<Simd512d, Vector512<double>>(src, rows, srcStride, len, dst, stride);
    internal static void Widen256(ReadOnlySpan<float> src, int rows, int srcStride, int len, Span<double> dst, int stride) => WidenCore<Simd256d, Vector256<double>>(src, rows, srcStride, len, dst, stride);
    internal static void Widen128(ReadOnlySpan<float> src, int rows, int srcStride, int len, Span<double> dst, int stride) => WidenCore<Simd128d, Vector128<double>>(src, rows, srcStride, len, dst, stride);

    internal static void Gram512(ReadOnlySpan<double> a, int m, int stride, Span<double> g, int gs, bool accumulate = false) => GramCore<Simd512d, Vector512<double>>(a, m, stride, g, gs, accumulate);
    internal static void Gram256(ReadOnlySpan<double> a, int m, int stride, Span<double> g, int gs, bool accumulate = false) => GramCore<Simd256d, Vector256<double>>(a, m, stride, g, gs, accumulate);
    internal static void Gram128(ReadOnlySpan<double> a, int m, int stride, Span<double> g, int gs, bool accumulate = false) => GramCore<Simd128d, Vector128<double>>(a, m, stride, g, gs, accumulate);

    internal static void Cross512(ReadOnlySpan<double> a, int m1, ReadOnlySpan<double> b, int m2, int stride, Span<double> g, int gs) => CrossCore<Simd512d, Vector512<double>>(a, m1, b, m2, stride, g, gs);
    internal static void Cross256(ReadOnlySpan<double> a, int m1, ReadOnlySpan<double> b, int m2, int stride, Span<double> g, int gs) => CrossCore<Simd256d, Vector256<double>>(a, m1, b, m2, stride, g, gs);
    internal static void Cross128(ReadOnlySpan<double> a, int m1, ReadOnlySpan<double> b, int m2, int stride, Span<double> g, int gs) => CrossCore<Simd128d, Vector128<double>>(a, m1, b, m2, stride, g, gs);

    internal static void AddTransposedProduct512(ReadOnlySpan<double> sMat, int s, ReadOnlySpan<double> b, int stride, int t, Span<double> c) => ProductCore<Simd512d, Vector512<double>>(sMat, s, b, stride, t, c);
    internal static void AddTransposedProduct256(ReadOnlySpan<double> sMat, int s, ReadOnlySpan<double> b, int stride, int t, Span<double> c) => ProductCore<Simd256d, Vector256<double>>(sMat, s, b, stride, t, c);
    internal static void AddTransposedProduct128(ReadOnlySpan<double> sMat, int s, ReadOnlySpan<double> b, int stride, int t, Span<double> c) => ProductCore<Simd128d, Vector128<double>>(sMat, s, b, stride, t, c);

    internal static void WidenScalar(ReadOnlySpan<float> src, int rows, int srcStride, int len, Span<double> dst, int stride)
    {
        for (int j = 0; j < rows; j++)
        {
            ReadOnlySpan<float> s = src.Slice(j * srcStride, len);
            Span<double> d = dst.Slice(j * stride, stride);
            for (int i = 0; i < len; i++) d[i] = s[i];
            d.Slice(len).Clear();
        }
    }

    internal static void GramScalar(ReadOnlySpan<double> a, int m, int stride, Span<double> g, int gs, bool accumulate = false)
    {
        if (!accumulate) g.Slice(0, m * gs).Clear();
        for (int i = 0; i < m; i++)
            for (int l = i; l < m; l++) Add(g, gs, i, l, DoubleOps.DotScalar(a.Slice(i * stride, stride), a.Slice(l * stride, stride)));
    }

    internal static void CrossScalar(ReadOnlySpan<double> a, int m1, ReadOnlySpan<double> b, int m2, int stride, Span<double> g, int gs)
    {
        for (int i = 0; i < m1; i++)
            for (int l = 0; l < m2; l++) g[i * gs + l] = DoubleOps.DotScalar(a.Slice(i * stride, stride), b.Slice(l * stride, stride));
    }

    internal static void AddTransposedProductScalar(ReadOnlySpan<double> sMat, int s, ReadOnlySpan<double> b, int stride, int t, Span<double> c)
    {
        for (int j = 0; j < t; j++)
            for (int i = 0; i < s; i++)
            {
                double w = sMat[j * s + i];
                for (int l = 0; l < stride; l++) c[i * stride + l] += w * b[j * stride + l];
            }
    }

    // Generic bodies.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WidenCore<TOps, TVec>(ReadOnlySpan<float> src, int rows, int srcStride, int len, Span<double> dst, int stride)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        nuint w = (nuint)TOps.Count, n = (nuint)len;
        for (int j = 0; j < rows; j++)
        {
            ReadOnlySpan<float> s = src.Slice(j * srcStride, len);
            Span<double> d = dst.Slice(j * stride, stride);
            ref float rs = ref MemoryMarshal.GetReference(s);
            ref double rd = ref MemoryMarshal.GetReference(d);
            nuint i = 0;
            for (; i + w <= n; i += w) TOps.Store(TOps.LoadWidened(ref rs, i), ref rd, i);
            for (; i < n; i++) Unsafe.Add(ref rd, i) = Unsafe.Add(ref rs, i);
            d.Slice(len).Clear();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GramCore<TOps, TVec>(ReadOnlySpan<double> a, int m, int stride, Span<double> g, int gs, bool accumulate)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        Debug.Assert(stride % (4 * TOps.Count) == 0 && a.Length >= m * stride);
        if (!accumulate) g.Slice(0, m * gs).Clear();
        ref double ra = ref MemoryMarshal.GetReference(a);
        nuint st = (nuint)stride;
        int blocked = m - m % 4;
        Span<double> sums = stackalloc double[16];
        for (int i0 = 0; i0 < blocked; i0 += 4)
            for (int l0 = i0; l0 < blocked; l0 += 4)
            {
                Block<TOps, TVec>(ref ra, i0, ref ra, l0, st, sums);
                for (int r = 0; r < 4; r++)
                    for (int q = l0 == i0 ? r : 0; q < 4; q++) Add(g, gs, i0 + r, l0 + q, sums[4 * r + q]); // diagonal block: upper half
            }
        for (int i = blocked; i < m; i++) // the last m % 4 rows against everything
            for (int l = 0; l <= i; l++)
                Add(g, gs, l, i, DoubleOps.DotWhole<TOps, TVec>(ref Unsafe.Add(ref ra, (nuint)i * st), ref Unsafe.Add(ref ra, (nuint)l * st), st));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CrossCore<TOps, TVec>(ReadOnlySpan<double> a, int m1, ReadOnlySpan<double> b, int m2, int stride, Span<double> g, int gs)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        Debug.Assert(stride % (4 * TOps.Count) == 0 && a.Length >= m1 * stride && b.Length >= m2 * stride);
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        nuint st = (nuint)stride;
        int bi = m1 - m1 % 4, bl = m2 - m2 % 4;
        Span<double> sums = stackalloc double[16];
        for (int i0 = 0; i0 < bi; i0 += 4)
            for (int l0 = 0; l0 < bl; l0 += 4)
            {
                Block<TOps, TVec>(ref ra, i0, ref rb, l0, st, sums);
                for (int r = 0; r < 4; r++)
                    for (int q = 0; q < 4; q++) g[(i0 + r) * gs + l0 + q] = sums[4 * r + q];
            }
        for (int i = 0; i < m1; i++)
            for (int l = i < bi ? bl : 0; l < m2; l++)
                g[i * gs + l] = DoubleOps.DotWhole<TOps, TVec>(ref Unsafe.Add(ref ra, (nuint)i * st), ref Unsafe.Add(ref rb, (nuint)l * st), st);
    }

    // g[i, l] += v and, off the diagonal, g[l, i] += v
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(Span<double> g, int gs, int i, int l, double v)
    {
        g[i * gs + l] += v;
        if (i != l) g[l * gs + i] += v;
    }

    // sums[4 r + q] = A_{i0 + r} . B_{l0 + q}: 16 vector accumulators, 8 loads per 16 FMAs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TOps, TVec>(ref double ra, int i0, ref double rb, int l0, nuint s, Span<double> sums)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        nuint w = (nuint)TOps.Count;
        nuint pi = (nuint)i0 * s, pl = (nuint)l0 * s;
        TVec c00 = TOps.Zero, c01 = c00, c02 = c00, c03 = c00;
        TVec c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        TVec c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        TVec c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (nuint k = 0; k < s; k += w)
        {
            TVec a0 = TOps.Load(ref ra, pi + k), a1 = TOps.Load(ref ra, pi + s + k);
            TVec a2 = TOps.Load(ref ra, pi + 2 * s + k), a3 = TOps.Load(ref ra, pi + 3 * s + k);
            TVec b0 = TOps.Load(ref rb, pl + k), b1 = TOps.Load(ref rb, pl + s + k);
            TVec b2 = TOps.Load(ref rb, pl + 2 * s + k), b3 = TOps.Load(ref rb, pl + 3 * s + k);
            c00 = TOps.MultiplyAdd(a0, b0, c00); c01 = TOps.MultiplyAdd(a0, b1, c01);
            c02 = TOps.MultiplyAdd(a0, b2, c02); c03 = TOps.MultiplyAdd(a0, b3, c03);
            c10 = TOps.MultiplyAdd(a1, b0, c10); c11 = TOps.MultiplyAdd(a1, b1, c11);
            c12 = TOps.MultiplyAdd(a1, b2, c12); c13 = TOps.MultiplyAdd(a1, b3, c13);
            c20 = TOps.MultiplyAdd(a2, b0, c20); c21 = TOps.MultiplyAdd(a2, b1, c21);
            c22 = TOps.MultiplyAdd(a2, b2, c22); c23 = TOps.MultiplyAdd(a2, b3, c23);
            c30 = TOps.MultiplyAdd(a3, b0, c30); c31 = TOps.MultiplyAdd(a3, b1, c31);
            c32 = TOps.MultiplyAdd(a3, b2, c32); c33 = TOps.MultiplyAdd(a3, b3, c33);
        }
        sums[0] = TOps.Sum(c00); sums[1] = TOps.Sum(c01); sums[2] = TOps.Sum(c02); sums[3] = TOps.Sum(c03);
        sums[4] = TOps.Sum(c10); sums[5] = TOps.Sum(c11); sums[6] = TOps.Sum(c12); sums[7] = TOps.Sum(c13);
        sums[8] = TOps.Sum(c20); sums[9] = TOps.Sum(c21); sums[10] = TOps.Sum(c22); sums[11] = TOps.Sum(c23);
        sums[12] = TOps.Sum(c30); sums[13] = TOps.Sum(c31); sums[14] = TOps.Sum(c32); sums[15] = TOps.Sum(c33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ProductCore<TOps, TVec>(ReadOnlySpan<double> sMat, int s, ReadOnlySpan<double> b, int stride, int t, Span<double> c)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        Debug.Assert(stride % (4 * TOps.Count) == 0 && sMat.Length >= t * s && b.Length >= t * stride && c.Length >= s * stride);
        int blocked = s - s % 4;
        int width = 4 * TOps.Count;
        for (int col = 0; col < stride; col += width)
        {
            for (int i0 = 0; i0 < blocked; i0 += 4) ProductBlock4<TOps, TVec>(sMat, s, b, stride, t, c, i0, col);
            for (int i = blocked; i < s; i++) ProductBlock1<TOps, TVec>(sMat, s, b, stride, t, c, i, col);
        }
    }

    private static void ProductBlock4<TOps, TVec>(ReadOnlySpan<double> sMat, int s, ReadOnlySpan<double> b, int stride, int t, Span<double> c, int i0, int col)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        ref double rs = ref MemoryMarshal.GetReference(sMat);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rc = ref MemoryMarshal.GetReference(c);
        nuint w = (nuint)TOps.Count, st = (nuint)stride;
        nuint p0 = (nuint)i0 * st + (nuint)col, p1 = p0 + st, p2 = p1 + st, p3 = p2 + st;
        TVec c00 = TOps.Load(ref rc, p0), c01 = TOps.Load(ref rc, p0 + w), c02 = TOps.Load(ref rc, p0 + 2 * w), c03 = TOps.Load(ref rc, p0 + 3 * w);
        TVec c10 = TOps.Load(ref rc, p1), c11 = TOps.Load(ref rc, p1 + w), c12 = TOps.Load(ref rc, p1 + 2 * w), c13 = TOps.Load(ref rc, p1 + 3 * w);
        TVec c20 = TOps.Load(ref rc, p2), c21 = TOps.Load(ref rc, p2 + w), c22 = TOps.Load(ref rc, p2 + 2 * w), c23 = TOps.Load(ref rc, p2 + 3 * w);
        TVec c30 = TOps.Load(ref rc, p3), c31 = TOps.Load(ref rc, p3 + w), c32 = TOps.Load(ref rc, p3 + 2 * w), c33 = TOps.Load(ref rc, p3 + 3 * w);
        nuint sb = (nuint)col, ss = (nuint)i0;
        for (int j = 0; j < t; j++, sb += st, ss += (nuint)s)
        {
            TVec b0 = TOps.Load(ref rb, sb), b1 = TOps.Load(ref rb, sb + w);
            TVec b2 = TOps.Load(ref rb, sb + 2 * w), b3 = TOps.Load(ref rb, sb + 3 * w);
            TVec a = TOps.Broadcast(Unsafe.Add(ref rs, ss));
            c00 = TOps.MultiplyAdd(a, b0, c00); c01 = TOps.MultiplyAdd(a, b1, c01);
            c02 = TOps.MultiplyAdd(a, b2, c02); c03 = TOps.MultiplyAdd(a, b3, c03);
            a = TOps.Broadcast(Unsafe.Add(ref rs, ss + 1));
            c10 = TOps.MultiplyAdd(a, b0, c10); c11 = TOps.MultiplyAdd(a, b1, c11);
            c12 = TOps.MultiplyAdd(a, b2, c12); c13 = TOps.MultiplyAdd(a, b3, c13);
            a = TOps.Broadcast(Unsafe.Add(ref rs, ss + 2));
            c20 = TOps.MultiplyAdd(a, b0, c20); c21 = TOps.MultiplyAdd(a, b1, c21);
            c22 = TOps.MultiplyAdd(a, b2, c22); c23 = TOps.MultiplyAdd(a, b3, c23);
            a = TOps.Broadcast(Unsafe.Add(ref rs, ss + 3));
            c30 = TOps.MultiplyAdd(a, b0, c30); c31 = TOps.MultiplyAdd(a, b1, c31);
            c32 = TOps.MultiplyAdd(a, b2, c32); c33 = TOps.MultiplyAdd(a, b3, c33);
        }
        TOps.Store(c00, ref rc, p0); TOps.Store(c01, ref rc, p0 + w); TOps.Store(c02, ref rc, p0 + 2 * w); TOps.Store(c03, ref rc, p0 + 3 * w);
        TOps.Store(c10, ref rc, p1); TOps.Store(c11, ref rc, p1 + w); TOps.Store(c12, ref rc, p1 + 2 * w); TOps.Store(c13, ref rc, p1 + 3 * w);
        TOps.Store(c20, ref rc, p2); TOps.Store(c21, ref rc, p2 + w); TOps.Store(c22, ref rc, p2 + 2 * w); TOps.Store(c23, ref rc, p2 + 3 * w);
        TOps.Store(c30, ref rc, p3); TOps.Store(c31, ref rc, p3 + w); TOps.Store(c32, ref rc, p3 + 2 * w); TOps.Store(c33, ref rc, p3 + 3 * w);
    }

    private static void ProductBlock1<TOps, TVec>(ReadOnlySpan<double> sMat, int s, ReadOnlySpan<double> b, int stride, int t, Span<double> c, int i, int col)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        ref double rs = ref MemoryMarshal.GetReference(sMat);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rc = ref MemoryMarshal.GetReference(c);
        nuint w = (nuint)TOps.Count, st = (nuint)stride;
        nuint p0 = (nuint)i * st + (nuint)col;
        TVec c0 = TOps.Load(ref rc, p0), c1 = TOps.Load(ref rc, p0 + w);
        TVec c2 = TOps.Load(ref rc, p0 + 2 * w), c3 = TOps.Load(ref rc, p0 + 3 * w);
        nuint sb = (nuint)col, ss = (nuint)i;
        for (int j = 0; j < t; j++, sb += st, ss += (nuint)s)
        {
            TVec a = TOps.Broadcast(Unsafe.Add(ref rs, ss));
            c0 = TOps.MultiplyAdd(a, TOps.Load(ref rb, sb), c0);
            c1 = TOps.MultiplyAdd(a, TOps.Load(ref rb, sb + w), c1);
            c2 = TOps.MultiplyAdd(a, TOps.Load(ref rb, sb + 2 * w), c2);
            c3 = TOps.MultiplyAdd(a, TOps.Load(ref rb, sb + 3 * w), c3);
        }
        TOps.Store(c0, ref rc, p0); TOps.Store(c1, ref rc, p0 + w); TOps.Store(c2, ref rc, p0 + 2 * w); TOps.Store(c3, ref rc, p0 + 3 * w);
    }
}

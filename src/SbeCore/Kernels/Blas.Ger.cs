using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

public static partial class Blas
{
    internal static void Ger512(float alpha, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride) => GerCore<Simd512, Vector512<float>>(alpha, u, v, w, rows, cols, stride);
    internal static void Ger256(float alpha, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride) => GerCore<Simd256, Vector256<float>>(alpha, u, v, w, rows, cols, stride);
    internal static void Ger128(float alpha, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride) => GerCore<Simd128, Vector128<float>>(alpha, u, v, w, rows, cols, stride);

    internal static void GerScalar(float alpha, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride)
    {
        if (cols == 0) return;
        for (int r = 0; r < rows; r++) AxpyScalar(alpha * u[r], v.Slice(0, cols), w.Slice(r * stride, cols));
    }

    internal static void RankK512(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride) => RankKCore<Simd512, Vector512<float>>(u, s, v, w, rows, cols, stride);
    internal static void RankK256(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride) => RankKCore<Simd256, Vector256<float>>(u, s, v, w, rows, cols, stride);
    internal static void RankK128(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride) => RankKCore<Simd128, Vector128<float>>(u, s, v, w, rows, cols, stride);

    /// <summary>Same arithmetic order as k successive Ger calls: w = (((w + a0 v0) + a1 v1) + ...).</summary>
    internal static void RankKScalar(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride)
    {
        int k = s.Length;
        if (cols == 0) return;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = w.Slice(r * stride, cols);
            for (int t = 0; t < k; t++) AxpyScalar(s[t] * u[t * rows + r], v.Slice(t * cols, cols), row);
        }
    }

    private static void GerCore<TOps, TVec>(float alpha, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        if (cols < TOps.Count) { GerScalar(alpha, u, v, w, rows, cols, stride); return; }
        ref float ur = ref MemoryMarshal.GetReference(u);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float wr = ref MemoryMarshal.GetReference(w);
        nuint c = (nuint)cols, s = (nuint)stride;
        for (int r = 0; r < rows; r++)
            AxpyRef<TOps, TVec>(TOps.Broadcast(alpha * Unsafe.Add(ref ur, r)), ref vr, ref Unsafe.Add(ref wr, (nuint)r * s), c);
    }

    private static void RankKCore<TOps, TVec>(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        if (cols < TOps.Count) { RankKScalar(u, s, v, w, rows, cols, stride); return; }
        ref float ur = ref MemoryMarshal.GetReference(u);
        ref float sr = ref MemoryMarshal.GetReference(s);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float wr = ref MemoryMarshal.GetReference(w);
        int k = s.Length;
        nuint c = (nuint)cols, st = (nuint)stride, ru = (nuint)rows;
        // Row by row; the terms go in groups of four (then one at a time), so a row of W is read from
        // memory once and the later groups find it in L1: one pass over W for any k.
        for (int r = 0; r < rows; r++)
        {
            ref float row = ref Unsafe.Add(ref wr, (nuint)r * st);
            int t = 0;
            for (; t + 4 <= k; t += 4)
            {
                TVec a0 = TOps.Broadcast(Unsafe.Add(ref sr, t) * Unsafe.Add(ref ur, (nuint)t * ru + (nuint)r));
                TVec a1 = TOps.Broadcast(Unsafe.Add(ref sr, t + 1) * Unsafe.Add(ref ur, (nuint)(t + 1) * ru + (nuint)r));
                TVec a2 = TOps.Broadcast(Unsafe.Add(ref sr, t + 2) * Unsafe.Add(ref ur, (nuint)(t + 2) * ru + (nuint)r));
                TVec a3 = TOps.Broadcast(Unsafe.Add(ref sr, t + 3) * Unsafe.Add(ref ur, (nuint)(t + 3) * ru + (nuint)r));
                ref float v0 = ref Unsafe.Add(ref vr, (nuint)t * c);
                Rank4Row<TOps, TVec>(a0, a1, a2, a3, ref v0, ref Unsafe.Add(ref v0, c), ref Unsafe.Add(ref v0, 2 * c), ref Unsafe.Add(ref v0, 3 * c), ref row, c);
            }
            for (; t < k; t++)
            {
                TVec a = TOps.Broadcast(Unsafe.Add(ref sr, t) * Unsafe.Add(ref ur, (nuint)t * ru + (nuint)r));
                AxpyRef<TOps, TVec>(a, ref Unsafe.Add(ref vr, (nuint)t * c), ref row, c);
            }
        }
    }

    /// <summary>row += a0 v0 + a1 v1 + a2 v2 + a3 v3 (in that order) with one load and store of each row vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rank4Row<TOps, TVec>(TVec a0, TVec a1, TVec a2, TVec a3, ref float v0, ref float v1, ref float v2, ref float v3, ref float row, nuint length)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        nuint n = (nuint)TOps.Count;
        nuint last = length - n;
        TVec end = TOps.MultiplyAdd(a3, TOps.Load(ref v3, last), TOps.MultiplyAdd(a2, TOps.Load(ref v2, last),
                   TOps.MultiplyAdd(a1, TOps.Load(ref v1, last), TOps.MultiplyAdd(a0, TOps.Load(ref v0, last), TOps.Load(ref row, last)))));
        nuint i = 0;
        for (; i + 2 * n <= length; i += 2 * n)
        {
            TVec p = TOps.MultiplyAdd(a0, TOps.Load(ref v0, i), TOps.Load(ref row, i));
            TVec q = TOps.MultiplyAdd(a0, TOps.Load(ref v0, i + n), TOps.Load(ref row, i + n));
            p = TOps.MultiplyAdd(a1, TOps.Load(ref v1, i), p);
            q = TOps.MultiplyAdd(a1, TOps.Load(ref v1, i + n), q);
            p = TOps.MultiplyAdd(a2, TOps.Load(ref v2, i), p);
            q = TOps.MultiplyAdd(a2, TOps.Load(ref v2, i + n), q);
            p = TOps.MultiplyAdd(a3, TOps.Load(ref v3, i), p);
            q = TOps.MultiplyAdd(a3, TOps.Load(ref v3, i + n), q);
            TOps.Store(p, ref row, i);
            TOps.Store(q, ref row, i + n);
        }
        if (i + n <= length)
        {
            TVec p = TOps.MultiplyAdd(a0, TOps.Load(ref v0, i), TOps.Load(ref row, i));
            p = TOps.MultiplyAdd(a1, TOps.Load(ref v1, i), p);
            p = TOps.MultiplyAdd(a2, TOps.Load(ref v2, i), p);
            p = TOps.MultiplyAdd(a3, TOps.Load(ref v3, i), p);
            TOps.Store(p, ref row, i);
        }
        TOps.Store(end, ref row, last);
    }
}

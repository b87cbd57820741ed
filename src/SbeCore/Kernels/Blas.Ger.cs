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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GerCore<TOps, TVec>(float alpha, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        if (cols < TOps.Count) { GerScalar(alpha, u, v, w, rows, cols, stride); return; }
        ref float ur = ref MemoryMarshal.GetReference(u);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float wr = ref MemoryMarshal.GetReference(w);
        nuint c = (nuint)cols, s = (nuint)stride;
        int r = 0;
        for (; r + 2 <= rows; r += 2) // two rows share each load of v
        {
            ref float row0 = ref Unsafe.Add(ref wr, (nuint)r * s);
            Rank1Rows2<TOps, TVec>(TOps.Broadcast(alpha * Unsafe.Add(ref ur, r)), TOps.Broadcast(alpha * Unsafe.Add(ref ur, r + 1)), ref vr, c, ref row0, ref Unsafe.Add(ref row0, s));
        }
        if (r < rows)
            AxpyRef<TOps, TVec>(TOps.Broadcast(alpha * Unsafe.Add(ref ur, r)), ref vr, ref Unsafe.Add(ref wr, (nuint)r * s), c);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        // Two rows at a time share each load of v: one 512-bit load per cycle is Zen 4's limit, and with one row
        // a 4-term update needs five loads per vector of W against four FMAs. Terms go in groups of four (then one
        // at a time), so a row of W is read from memory once and the later groups find it in L1: one pass over W.
        int r = 0;
        // With 32 vector registers (the 512-bit path) four rows share each load of v when k is a multiple of 4:
        // 16 coefficients, 4 row vectors and 4 tail vectors stay in registers (16 registers would spill).
        if (TOps.Count == Vector512<float>.Count && (k & 3) == 0)
        {
            for (; r + 4 <= rows; r += 4)
            {
                ref float row0 = ref Unsafe.Add(ref wr, (nuint)r * st);
                for (int t = 0; t < k; t += 4)
                {
                    ref float ut = ref Unsafe.Add(ref ur, (nuint)t * ru + (nuint)r);
                    Rank4Rows4<TOps, TVec>(ref ut, ru, ref Unsafe.Add(ref sr, t), ref Unsafe.Add(ref vr, (nuint)t * c), c, ref row0, st);
                }
            }
        }
        for (; r + 2 <= rows; r += 2)
        {
            ref float row0 = ref Unsafe.Add(ref wr, (nuint)r * st);
            ref float row1 = ref Unsafe.Add(ref row0, st);
            int t = 0;
            for (; t + 4 <= k; t += 4)
            {
                ref float ut = ref Unsafe.Add(ref ur, (nuint)t * ru + (nuint)r);
                float s0 = Unsafe.Add(ref sr, t), s1 = Unsafe.Add(ref sr, t + 1), s2 = Unsafe.Add(ref sr, t + 2), s3 = Unsafe.Add(ref sr, t + 3);
                var a = new Coefficients<TVec>(
                    TOps.Broadcast(s0 * ut), TOps.Broadcast(s1 * Unsafe.Add(ref ut, ru)), TOps.Broadcast(s2 * Unsafe.Add(ref ut, 2 * ru)), TOps.Broadcast(s3 * Unsafe.Add(ref ut, 3 * ru)),
                    TOps.Broadcast(s0 * Unsafe.Add(ref ut, 1)), TOps.Broadcast(s1 * Unsafe.Add(ref ut, ru + 1)), TOps.Broadcast(s2 * Unsafe.Add(ref ut, 2 * ru + 1)), TOps.Broadcast(s3 * Unsafe.Add(ref ut, 3 * ru + 1)));
                Rank4Rows2<TOps, TVec>(in a, ref Unsafe.Add(ref vr, (nuint)t * c), c, ref row0, ref row1);
            }
            if (t + 2 <= k)
            {
                ref float ut = ref Unsafe.Add(ref ur, (nuint)t * ru + (nuint)r);
                float s0 = Unsafe.Add(ref sr, t), s1 = Unsafe.Add(ref sr, t + 1);
                Rank2Rows2<TOps, TVec>(TOps.Broadcast(s0 * ut), TOps.Broadcast(s1 * Unsafe.Add(ref ut, ru)),
                                       TOps.Broadcast(s0 * Unsafe.Add(ref ut, 1)), TOps.Broadcast(s1 * Unsafe.Add(ref ut, ru + 1)),
                                       ref Unsafe.Add(ref vr, (nuint)t * c), c, ref row0, ref row1);
                t += 2;
            }
            if (t < k)
            {
                ref float ut = ref Unsafe.Add(ref ur, (nuint)t * ru + (nuint)r);
                float s0 = Unsafe.Add(ref sr, t);
                Rank1Rows2<TOps, TVec>(TOps.Broadcast(s0 * ut), TOps.Broadcast(s0 * Unsafe.Add(ref ut, 1)), ref Unsafe.Add(ref vr, (nuint)t * c), c, ref row0, ref row1);
            }
        }
        if (r < rows)
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

    /// <summary>Broadcast coefficients s_t u_t[r] of four terms for two rows (p: first row, q: second).</summary>
    private readonly struct Coefficients<TVec>(TVec p0, TVec p1, TVec p2, TVec p3, TVec q0, TVec q1, TVec q2, TVec q3) where TVec : struct
    {
        public readonly TVec P0 = p0, P1 = p1, P2 = p2, P3 = p3, Q0 = q0, Q1 = q1, Q2 = q2, Q3 = q3;
    }

    /// <summary>Two rows += four terms each, in term order (so bit-identical to four Ger calls); each v vector loaded once for both rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rank4Rows2<TOps, TVec>(in Coefficients<TVec> a, ref float v0, nuint length, ref float row0, ref float row1)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        nuint n = (nuint)TOps.Count;
        ref float v1 = ref Unsafe.Add(ref v0, length);
        ref float v2 = ref Unsafe.Add(ref v1, length);
        ref float v3 = ref Unsafe.Add(ref v2, length);
        TVec p0 = a.P0, p1 = a.P1, p2 = a.P2, p3 = a.P3, q0 = a.Q0, q1 = a.Q1, q2 = a.Q2, q3 = a.Q3;
        nuint last = length - n;
        TVec x0 = TOps.Load(ref v0, last), x1 = TOps.Load(ref v1, last), x2 = TOps.Load(ref v2, last), x3 = TOps.Load(ref v3, last);
        TVec end0 = TOps.MultiplyAdd(p3, x3, TOps.MultiplyAdd(p2, x2, TOps.MultiplyAdd(p1, x1, TOps.MultiplyAdd(p0, x0, TOps.Load(ref row0, last)))));
        TVec end1 = TOps.MultiplyAdd(q3, x3, TOps.MultiplyAdd(q2, x2, TOps.MultiplyAdd(q1, x1, TOps.MultiplyAdd(q0, x0, TOps.Load(ref row1, last)))));
        nuint i = 0;
        // Two vectors per row per step: four independent chains of four dependent FMAs keep the FMA pipe busy
        // (one vector per row leaves two 16-cycle chains, too few to hide the latency).
        for (; i + 2 * n <= length; i += 2 * n)
        {
            TVec e = TOps.Load(ref row0, i), g = TOps.Load(ref row0, i + n);
            TVec f = TOps.Load(ref row1, i), h = TOps.Load(ref row1, i + n);
            TVec y = TOps.Load(ref v0, i), z = TOps.Load(ref v0, i + n);
            e = TOps.MultiplyAdd(p0, y, e); f = TOps.MultiplyAdd(q0, y, f); g = TOps.MultiplyAdd(p0, z, g); h = TOps.MultiplyAdd(q0, z, h);
            y = TOps.Load(ref v1, i); z = TOps.Load(ref v1, i + n);
            e = TOps.MultiplyAdd(p1, y, e); f = TOps.MultiplyAdd(q1, y, f); g = TOps.MultiplyAdd(p1, z, g); h = TOps.MultiplyAdd(q1, z, h);
            y = TOps.Load(ref v2, i); z = TOps.Load(ref v2, i + n);
            e = TOps.MultiplyAdd(p2, y, e); f = TOps.MultiplyAdd(q2, y, f); g = TOps.MultiplyAdd(p2, z, g); h = TOps.MultiplyAdd(q2, z, h);
            y = TOps.Load(ref v3, i); z = TOps.Load(ref v3, i + n);
            e = TOps.MultiplyAdd(p3, y, e); f = TOps.MultiplyAdd(q3, y, f); g = TOps.MultiplyAdd(p3, z, g); h = TOps.MultiplyAdd(q3, z, h);
            TOps.Store(e, ref row0, i); TOps.Store(g, ref row0, i + n);
            TOps.Store(f, ref row1, i); TOps.Store(h, ref row1, i + n);
        }
        if (i + n <= length)
        {
            TVec y0 = TOps.Load(ref v0, i), y1 = TOps.Load(ref v1, i), y2 = TOps.Load(ref v2, i), y3 = TOps.Load(ref v3, i);
            TVec e = TOps.MultiplyAdd(p0, y0, TOps.Load(ref row0, i));
            TVec f = TOps.MultiplyAdd(q0, y0, TOps.Load(ref row1, i));
            e = TOps.MultiplyAdd(p1, y1, e); f = TOps.MultiplyAdd(q1, y1, f);
            e = TOps.MultiplyAdd(p2, y2, e); f = TOps.MultiplyAdd(q2, y2, f);
            e = TOps.MultiplyAdd(p3, y3, e); f = TOps.MultiplyAdd(q3, y3, f);
            TOps.Store(e, ref row0, i);
            TOps.Store(f, ref row1, i);
        }
        TOps.Store(end0, ref row0, last);
        TOps.Store(end1, ref row1, last);
    }

    /// <summary>Four rows (from row0 at stride st) += four terms each, in term order (bit-identical to four Ger calls);
    /// each v vector loaded once for the four rows. ut: u[t][r], ru: stride between the u rows; s: s[t..t+4].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // too large to inline: a call per 4 rows, compiled optimised at once
    private static void Rank4Rows4<TOps, TVec>(ref float ut, nuint ru, ref float s, ref float v0, nuint length, ref float row0, nuint st)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        nuint n = (nuint)TOps.Count, last = length - n;
        ref float u1 = ref Unsafe.Add(ref ut, ru);
        ref float u2 = ref Unsafe.Add(ref u1, ru);
        ref float u3 = ref Unsafe.Add(ref u2, ru);
        float s0 = s, s1 = Unsafe.Add(ref s, 1), s2 = Unsafe.Add(ref s, 2), s3 = Unsafe.Add(ref s, 3);
        // aRT: coefficient of term T for row R.
        TVec a00 = TOps.Broadcast(s0 * ut), a01 = TOps.Broadcast(s1 * u1), a02 = TOps.Broadcast(s2 * u2), a03 = TOps.Broadcast(s3 * u3);
        TVec a10 = TOps.Broadcast(s0 * Unsafe.Add(ref ut, 1)), a11 = TOps.Broadcast(s1 * Unsafe.Add(ref u1, 1)), a12 = TOps.Broadcast(s2 * Unsafe.Add(ref u2, 1)), a13 = TOps.Broadcast(s3 * Unsafe.Add(ref u3, 1));
        TVec a20 = TOps.Broadcast(s0 * Unsafe.Add(ref ut, 2)), a21 = TOps.Broadcast(s1 * Unsafe.Add(ref u1, 2)), a22 = TOps.Broadcast(s2 * Unsafe.Add(ref u2, 2)), a23 = TOps.Broadcast(s3 * Unsafe.Add(ref u3, 2));
        TVec a30 = TOps.Broadcast(s0 * Unsafe.Add(ref ut, 3)), a31 = TOps.Broadcast(s1 * Unsafe.Add(ref u1, 3)), a32 = TOps.Broadcast(s2 * Unsafe.Add(ref u2, 3)), a33 = TOps.Broadcast(s3 * Unsafe.Add(ref u3, 3));
        ref float v1 = ref Unsafe.Add(ref v0, length);
        ref float v2 = ref Unsafe.Add(ref v1, length);
        ref float v3 = ref Unsafe.Add(ref v2, length);
        ref float row1 = ref Unsafe.Add(ref row0, st);
        ref float row2 = ref Unsafe.Add(ref row1, st);
        ref float row3 = ref Unsafe.Add(ref row2, st);
        // Overlapping last vector of each row from the values before this call, stored after the loop (see AxpyRef).
        TVec y = TOps.Load(ref v0, last);
        TVec e0 = TOps.MultiplyAdd(a00, y, TOps.Load(ref row0, last)), e1 = TOps.MultiplyAdd(a10, y, TOps.Load(ref row1, last));
        TVec e2 = TOps.MultiplyAdd(a20, y, TOps.Load(ref row2, last)), e3 = TOps.MultiplyAdd(a30, y, TOps.Load(ref row3, last));
        y = TOps.Load(ref v1, last);
        e0 = TOps.MultiplyAdd(a01, y, e0); e1 = TOps.MultiplyAdd(a11, y, e1); e2 = TOps.MultiplyAdd(a21, y, e2); e3 = TOps.MultiplyAdd(a31, y, e3);
        y = TOps.Load(ref v2, last);
        e0 = TOps.MultiplyAdd(a02, y, e0); e1 = TOps.MultiplyAdd(a12, y, e1); e2 = TOps.MultiplyAdd(a22, y, e2); e3 = TOps.MultiplyAdd(a32, y, e3);
        y = TOps.Load(ref v3, last);
        e0 = TOps.MultiplyAdd(a03, y, e0); e1 = TOps.MultiplyAdd(a13, y, e1); e2 = TOps.MultiplyAdd(a23, y, e2); e3 = TOps.MultiplyAdd(a33, y, e3);
        for (nuint i = 0; i + n <= length; i += n)
        {
            // All four rows loaded before any is stored (rows at a 4 KiB stride would alias, see Rank2Rows2).
            TVec w0 = TOps.Load(ref row0, i), w1 = TOps.Load(ref row1, i), w2 = TOps.Load(ref row2, i), w3 = TOps.Load(ref row3, i);
            y = TOps.Load(ref v0, i);
            w0 = TOps.MultiplyAdd(a00, y, w0); w1 = TOps.MultiplyAdd(a10, y, w1); w2 = TOps.MultiplyAdd(a20, y, w2); w3 = TOps.MultiplyAdd(a30, y, w3);
            y = TOps.Load(ref v1, i);
            w0 = TOps.MultiplyAdd(a01, y, w0); w1 = TOps.MultiplyAdd(a11, y, w1); w2 = TOps.MultiplyAdd(a21, y, w2); w3 = TOps.MultiplyAdd(a31, y, w3);
            y = TOps.Load(ref v2, i);
            w0 = TOps.MultiplyAdd(a02, y, w0); w1 = TOps.MultiplyAdd(a12, y, w1); w2 = TOps.MultiplyAdd(a22, y, w2); w3 = TOps.MultiplyAdd(a32, y, w3);
            y = TOps.Load(ref v3, i);
            w0 = TOps.MultiplyAdd(a03, y, w0); w1 = TOps.MultiplyAdd(a13, y, w1); w2 = TOps.MultiplyAdd(a23, y, w2); w3 = TOps.MultiplyAdd(a33, y, w3);
            TOps.Store(w0, ref row0, i); TOps.Store(w1, ref row1, i); TOps.Store(w2, ref row2, i); TOps.Store(w3, ref row3, i);
        }
        TOps.Store(e0, ref row0, last); TOps.Store(e1, ref row1, last); TOps.Store(e2, ref row2, last); TOps.Store(e3, ref row3, last);
    }

    /// <summary>Two rows += two terms each (p: first row, q: second), each v vector loaded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rank2Rows2<TOps, TVec>(TVec p0, TVec p1, TVec q0, TVec q1, ref float v0, nuint length, ref float row0, ref float row1)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        nuint n = (nuint)TOps.Count, last = length - n;
        ref float v1 = ref Unsafe.Add(ref v0, length);
        TVec x0 = TOps.Load(ref v0, last), x1 = TOps.Load(ref v1, last);
        TVec end0 = TOps.MultiplyAdd(p1, x1, TOps.MultiplyAdd(p0, x0, TOps.Load(ref row0, last)));
        TVec end1 = TOps.MultiplyAdd(q1, x1, TOps.MultiplyAdd(q0, x0, TOps.Load(ref row1, last)));
        for (nuint i = 0; i + n <= length; i += n)
        {
            // Both rows loaded before either is stored: with a 4 KiB stride a store to row0 followed by a load
            // of row1 at the same offset would be a (false) 4K-aliasing dependency.
            TVec w0 = TOps.Load(ref row0, i), w1 = TOps.Load(ref row1, i);
            TVec y0 = TOps.Load(ref v0, i), y1 = TOps.Load(ref v1, i);
            TOps.Store(TOps.MultiplyAdd(p1, y1, TOps.MultiplyAdd(p0, y0, w0)), ref row0, i);
            TOps.Store(TOps.MultiplyAdd(q1, y1, TOps.MultiplyAdd(q0, y0, w1)), ref row1, i);
        }
        TOps.Store(end0, ref row0, last);
        TOps.Store(end1, ref row1, last);
    }

    /// <summary>Two rows += one term each, each v vector loaded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rank1Rows2<TOps, TVec>(TVec p0, TVec q0, ref float v0, nuint length, ref float row0, ref float row1)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        nuint n = (nuint)TOps.Count, last = length - n;
        TVec x0 = TOps.Load(ref v0, last);
        TVec end0 = TOps.MultiplyAdd(p0, x0, TOps.Load(ref row0, last));
        TVec end1 = TOps.MultiplyAdd(q0, x0, TOps.Load(ref row1, last));
        nuint i = 0;
        for (; i + 2 * n <= length; i += 2 * n)
        {
            TVec w0 = TOps.Load(ref row0, i), w1 = TOps.Load(ref row1, i); // all loads first (see Rank2Rows2)
            TVec w2 = TOps.Load(ref row0, i + n), w3 = TOps.Load(ref row1, i + n);
            TVec y0 = TOps.Load(ref v0, i), y1 = TOps.Load(ref v0, i + n);
            TOps.Store(TOps.MultiplyAdd(p0, y0, w0), ref row0, i);
            TOps.Store(TOps.MultiplyAdd(p0, y1, w2), ref row0, i + n);
            TOps.Store(TOps.MultiplyAdd(q0, y0, w1), ref row1, i);
            TOps.Store(TOps.MultiplyAdd(q0, y1, w3), ref row1, i + n);
        }
        if (i + n <= length)
        {
            TVec w0 = TOps.Load(ref row0, i), w1 = TOps.Load(ref row1, i);
            TVec y0 = TOps.Load(ref v0, i);
            TOps.Store(TOps.MultiplyAdd(p0, y0, w0), ref row0, i);
            TOps.Store(TOps.MultiplyAdd(q0, y0, w1), ref row1, i);
        }
        TOps.Store(end0, ref row0, last);
        TOps.Store(end1, ref row1, last);
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

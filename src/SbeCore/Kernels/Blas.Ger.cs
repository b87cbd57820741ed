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

    internal static void RankK512(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride) => RankKCore<Simd512, Vector512<float>>(u, s, v, w, rows, cols, stride, rows);
    internal static void RankK256(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride) => RankKCore<Simd256, Vector256<float>>(u, s, v, w, rows, cols, stride, rows);
    internal static void RankK128(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride) => RankKCore<Simd128, Vector128<float>>(u, s, v, w, rows, cols, stride, rows);

    /// <summary>Same arithmetic order as k successive Ger calls: w = (((w + a0 v0) + a1 v1) + ...).</summary>
    internal static void RankKScalar(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride)
        => RankKScalar(u, s, v, w, rows, cols, stride, rows);

    /// <summary>As above with term t's u at u[t * ldu] (a block of rows of a taller W).</summary>
    private static void RankKScalar(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride, int ldu)
    {
        int k = s.Length;
        if (cols == 0) return;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = w.Slice(r * stride, cols);
            for (int t = 0; t < k; t++) AxpyScalar(s[t] * u[t * ldu + r], v.Slice(t * cols, cols), row);
        }
    }

    /// <summary>Rows [r0, r1) of <see cref="RankK"/> (u's terms stay <paramref name="rows"/> apart). Each element gets its
    /// terms in order whatever the row grouping, so blocks of rows on any threads give the whole update's bits.</summary>
    internal static void RankKRowBlock(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride, int r0, int r1)
    {
        var ub = u.Slice(r0);
        var wb = w.Slice(r0 * stride);
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: RankKCore<Simd512, Vector512<float>>(ub, s, v, wb, r1 - r0, cols, stride, rows); break;
            case SimdWidth.V256: RankKCore<Simd256, Vector256<float>>(ub, s, v, wb, r1 - r0, cols, stride, rows); break;
            case SimdWidth.V128: RankKCore<Simd128, Vector128<float>>(ub, s, v, wb, r1 - r0, cols, stride, rows); break;
            default: RankKScalar(ub, s, v, wb, r1 - r0, cols, stride, rows); break;
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
        if (TOps.Count >= Vector256<float>.Count && (long)rows * cols > KernelTuning.GerStreamElements)
        {
            // W streamed from memory: a row at a time, 256-bit vectors (the same products, so the same bits).
            for (; r < rows; r++)
                AxpyRef<Simd256, Vector256<float>>(Vector256.Create(alpha * Unsafe.Add(ref ur, r)), ref vr, ref Unsafe.Add(ref wr, (nuint)r * s), c);
            return;
        }
        // W past the 1 MiB L2 (streamed from L3 or memory): blocks of 4 rows on the 512-bit path, the RankK kernel with
        // one term (coefficient alpha u[r], the same product as below, so the same bits). Four read and write streams at
        // a time measured faster there than two (4096x4096: about 3.5 against 4.0-4.9 ms; 1024x1024 no worse); in L2,
        // row pairs measured faster in most runs (512x512: 12.0 against 13.1 us).
        if (TOps.Count == Vector512<float>.Count && (long)rows * cols > KernelTuning.GerBlockElements)
            for (; r + 4 <= rows; r += 4)
                RankTerms<TOps, TVec, Four, One>(ref Unsafe.Add(ref ur, r), 0, ref alpha, ref vr, c, ref Unsafe.Add(ref wr, (nuint)r * s), s);
        for (; r + 2 <= rows; r += 2) // two rows share each load of v
        {
            ref float row0 = ref Unsafe.Add(ref wr, (nuint)r * s);
            Rank1Rows2<TOps, TVec>(TOps.Broadcast(alpha * Unsafe.Add(ref ur, r)), TOps.Broadcast(alpha * Unsafe.Add(ref ur, r + 1)), ref vr, c, ref row0, ref Unsafe.Add(ref row0, s));
        }
        if (r < rows)
            AxpyRef<TOps, TVec>(TOps.Broadcast(alpha * Unsafe.Add(ref ur, r)), ref vr, ref Unsafe.Add(ref wr, (nuint)r * s), c);
    }


    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RankKCore<TOps, TVec>(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride, int ldu)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        if (cols < TOps.Count) { RankKScalar(u, s, v, w, rows, cols, stride, ldu); return; }
        if (s.IsEmpty) return; // k = 0: nothing to add (and u, v are empty: no refs into them)
        ref float ur = ref MemoryMarshal.GetReference(u);
        ref float sr = ref MemoryMarshal.GetReference(s);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float wr = ref MemoryMarshal.GetReference(w);
        int k = s.Length;
        nuint c = (nuint)cols, st = (nuint)stride, ru = (nuint)ldu;
        // Several rows share each load of v: with one row, a 4-term update needs five loads per vector of W against
        // four FMAs (load-bound). With 32 vector registers (the 512-bit path) four rows (16 coefficients, 4 row vectors,
        // 4 tail vectors), else two. Terms go in groups of four, then one group of the remaining 1-3, each applied to
        // the rows while they are in L1: W crosses the memory hierarchy once for any k.
        int r = 0;
        if (TOps.Count == Vector512<float>.Count)
            for (; r + 4 <= rows; r += 4)
                RankKRows<TOps, TVec, Four>(ref Unsafe.Add(ref ur, r), ru, ref sr, k, ref vr, c, ref Unsafe.Add(ref wr, (nuint)r * st), st);
        for (; r + 2 <= rows; r += 2)
            RankKRows<TOps, TVec, Two>(ref Unsafe.Add(ref ur, r), ru, ref sr, k, ref vr, c, ref Unsafe.Add(ref wr, (nuint)r * st), st);
        if (r < rows)
            RankKRows<TOps, TVec, One>(ref Unsafe.Add(ref ur, r), ru, ref sr, k, ref vr, c, ref Unsafe.Add(ref wr, (nuint)r * st), st);
    }

    /// <summary>R = TRows.Value rows (from row0 at stride st) += all k terms: groups of 4 terms, then the remaining 1-3.
    /// ur: u[0][r], ru: stride between the rows of u (= rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RankKRows<TOps, TVec, TRows>(ref float ur, nuint ru, ref float sr, int k, ref float vr, nuint c, ref float row0, nuint st)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TRows : struct, ICount
    {
        int t = 0;
        for (; t + 4 <= k; t += 4)
            RankTerms<TOps, TVec, TRows, Four>(ref Unsafe.Add(ref ur, (nuint)t * ru), ru, ref Unsafe.Add(ref sr, t), ref Unsafe.Add(ref vr, (nuint)t * c), c, ref row0, st);
        switch (k - t)
        {
            case 1: RankTerms<TOps, TVec, TRows, One>(ref Unsafe.Add(ref ur, (nuint)t * ru), ru, ref Unsafe.Add(ref sr, t), ref Unsafe.Add(ref vr, (nuint)t * c), c, ref row0, st); break;
            case 2: RankTerms<TOps, TVec, TRows, Two>(ref Unsafe.Add(ref ur, (nuint)t * ru), ru, ref Unsafe.Add(ref sr, t), ref Unsafe.Add(ref vr, (nuint)t * c), c, ref row0, st); break;
            case 3: RankTerms<TOps, TVec, TRows, Three>(ref Unsafe.Add(ref ur, (nuint)t * ru), ru, ref Unsafe.Add(ref sr, t), ref Unsafe.Add(ref vr, (nuint)t * c), c, ref row0, st); break;
        }
    }

    /// <summary>R = TRows.Value rows (1, 2 or 4, from row0 at stride st) += T = TTerms.Value terms (1-4), each element in
    /// term order (so bit-identical to T Ger calls); each v vector is loaded once for the R rows. Four independent FMA
    /// chains per step (4 rows x 1 vector, 2 x 2, 1 x 4). ut: u[t][r], ru: stride between the rows of u; s: s[t..t+T].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // too large to inline: one call per row block and term group
    private static void RankTerms<TOps, TVec, TRows, TTerms>(ref float ut, nuint ru, ref float s, ref float v0, nuint length, ref float row0, nuint st)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TRows : struct, ICount where TTerms : struct, ICount
    {
        int rows = TRows.Value, terms = TTerms.Value;
        nuint n = (nuint)TOps.Count, last = length - n, step = (nuint)(4 / rows) * n;
        // aRT: coefficient s_T u_T[r + R] of term T for row R; only the ones in use are read.
        TVec a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        TVec a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        ref float u1 = ref Unsafe.Add(ref ut, terms > 1 ? ru : 0);
        ref float u2 = ref Unsafe.Add(ref u1, terms > 2 ? ru : 0);
        ref float u3 = ref Unsafe.Add(ref u2, terms > 3 ? ru : 0);
        float s0 = s, s1 = terms > 1 ? Unsafe.Add(ref s, 1) : 0, s2 = terms > 2 ? Unsafe.Add(ref s, 2) : 0, s3 = terms > 3 ? Unsafe.Add(ref s, 3) : 0;
        a00 = TOps.Broadcast(s0 * ut);
        if (terms > 1) a01 = TOps.Broadcast(s1 * u1);
        if (terms > 2) a02 = TOps.Broadcast(s2 * u2);
        if (terms > 3) a03 = TOps.Broadcast(s3 * u3);
        if (rows > 1)
        {
            a10 = TOps.Broadcast(s0 * Unsafe.Add(ref ut, 1));
            if (terms > 1) a11 = TOps.Broadcast(s1 * Unsafe.Add(ref u1, 1));
            if (terms > 2) a12 = TOps.Broadcast(s2 * Unsafe.Add(ref u2, 1));
            if (terms > 3) a13 = TOps.Broadcast(s3 * Unsafe.Add(ref u3, 1));
        }
        if (rows > 2)
        {
            a20 = TOps.Broadcast(s0 * Unsafe.Add(ref ut, 2)); a30 = TOps.Broadcast(s0 * Unsafe.Add(ref ut, 3));
            if (terms > 1) { a21 = TOps.Broadcast(s1 * Unsafe.Add(ref u1, 2)); a31 = TOps.Broadcast(s1 * Unsafe.Add(ref u1, 3)); }
            if (terms > 2) { a22 = TOps.Broadcast(s2 * Unsafe.Add(ref u2, 2)); a32 = TOps.Broadcast(s2 * Unsafe.Add(ref u2, 3)); }
            if (terms > 3) { a23 = TOps.Broadcast(s3 * Unsafe.Add(ref u3, 2)); a33 = TOps.Broadcast(s3 * Unsafe.Add(ref u3, 3)); }
        }
        ref float v1 = ref Unsafe.Add(ref v0, terms > 1 ? length : 0);
        ref float v2 = ref Unsafe.Add(ref v1, terms > 2 ? length : 0);
        ref float v3 = ref Unsafe.Add(ref v2, terms > 3 ? length : 0);
        ref float row1 = ref Unsafe.Add(ref row0, rows > 1 ? st : 0);
        ref float row2 = ref Unsafe.Add(ref row1, rows > 2 ? st : 0);
        ref float row3 = ref Unsafe.Add(ref row2, rows > 2 ? st : 0);

        // Overlapping last vector of each row from the values before this call, stored after the loop (see AxpyRef).
        TVec e0 = TOps.Load(ref row0, last), e1 = rows > 1 ? TOps.Load(ref row1, last) : default;
        TVec e2 = rows > 2 ? TOps.Load(ref row2, last) : default, e3 = rows > 2 ? TOps.Load(ref row3, last) : default;
        TVec y = TOps.Load(ref v0, last);
        e0 = TOps.MultiplyAdd(a00, y, e0);
        if (rows > 1) e1 = TOps.MultiplyAdd(a10, y, e1);
        if (rows > 2) { e2 = TOps.MultiplyAdd(a20, y, e2); e3 = TOps.MultiplyAdd(a30, y, e3); }
        if (terms > 1)
        {
            y = TOps.Load(ref v1, last);
            e0 = TOps.MultiplyAdd(a01, y, e0);
            if (rows > 1) e1 = TOps.MultiplyAdd(a11, y, e1);
            if (rows > 2) { e2 = TOps.MultiplyAdd(a21, y, e2); e3 = TOps.MultiplyAdd(a31, y, e3); }
        }
        if (terms > 2)
        {
            y = TOps.Load(ref v2, last);
            e0 = TOps.MultiplyAdd(a02, y, e0);
            if (rows > 1) e1 = TOps.MultiplyAdd(a12, y, e1);
            if (rows > 2) { e2 = TOps.MultiplyAdd(a22, y, e2); e3 = TOps.MultiplyAdd(a32, y, e3); }
        }
        if (terms > 3)
        {
            y = TOps.Load(ref v3, last);
            e0 = TOps.MultiplyAdd(a03, y, e0);
            if (rows > 1) e1 = TOps.MultiplyAdd(a13, y, e1);
            if (rows > 2) { e2 = TOps.MultiplyAdd(a23, y, e2); e3 = TOps.MultiplyAdd(a33, y, e3); }
        }

        // Four accumulators per step: q0..q3 are (row 0..3, vector i) for 4 rows, (row 0, i), (row 0, i+n), (row 1, i),
        // (row 1, i+n) for 2 rows, vectors i .. i+3n of row 0 for 1 row (AddTerm). All are loaded before any is stored (rows at a
        // 4 KiB stride: a store then a load at the same offset of the next row is a false 4K-aliasing dependency).
        ref float q1r = ref rows == 4 ? ref row1 : ref row0;
        ref float q2r = ref rows == 4 ? ref row2 : ref (rows == 2 ? ref row1 : ref row0);
        ref float q3r = ref rows == 4 ? ref row3 : ref (rows == 2 ? ref row1 : ref row0);
        nuint o1 = rows == 4 ? 0 : n, o2 = rows == 1 ? 2 * n : 0, o3 = rows == 4 ? 0 : rows == 2 ? n : 3 * n;
        TVec c00 = a00, c01 = a01, c02 = a02, c03 = a03; // coefficients of q0 (row 0)
        TVec c10 = rows == 4 ? a10 : a00, c11 = rows == 4 ? a11 : a01, c12 = rows == 4 ? a12 : a02, c13 = rows == 4 ? a13 : a03;
        TVec c20 = rows == 4 ? a20 : rows == 2 ? a10 : a00, c21 = rows == 4 ? a21 : rows == 2 ? a11 : a01;
        TVec c22 = rows == 4 ? a22 : rows == 2 ? a12 : a02, c23 = rows == 4 ? a23 : rows == 2 ? a13 : a03;
        TVec c30 = rows == 4 ? a30 : rows == 2 ? a10 : a00, c31 = rows == 4 ? a31 : rows == 2 ? a11 : a01;
        TVec c32 = rows == 4 ? a32 : rows == 2 ? a12 : a02, c33 = rows == 4 ? a33 : rows == 2 ? a13 : a03;
        nuint start = HeadBeforeBoundary<TOps, TVec>(ref row0), i = start;
        for (; i + step <= length; i += step)
        {
            TVec q0 = TOps.Load(ref row0, i), q1 = TOps.Load(ref q1r, i + o1), q2 = TOps.Load(ref q2r, i + o2), q3 = TOps.Load(ref q3r, i + o3);
            AddTerm<TOps, TVec, TRows>(ref v0, i, n, c00, c10, c20, c30, ref q0, ref q1, ref q2, ref q3);
            if (terms > 1) AddTerm<TOps, TVec, TRows>(ref v1, i, n, c01, c11, c21, c31, ref q0, ref q1, ref q2, ref q3);
            if (terms > 2) AddTerm<TOps, TVec, TRows>(ref v2, i, n, c02, c12, c22, c32, ref q0, ref q1, ref q2, ref q3);
            if (terms > 3) AddTerm<TOps, TVec, TRows>(ref v3, i, n, c03, c13, c23, c33, ref q0, ref q1, ref q2, ref q3);
            TOps.Store(q0, ref row0, i); TOps.Store(q1, ref q1r, i + o1); TOps.Store(q2, ref q2r, i + o2); TOps.Store(q3, ref q3r, i + o3);
        }
        // Whole vectors left over (fewer than a step): one vector per row at a time; then the head, the floats before
        // the loop's start, in the first vector, whose lanes from the start on (updated by now) are stored back as they are.
        TVec keep = TOps.Zero;
        for (bool head = start != 0; ;)
        {
            nuint at;
            if (i + n <= length) { at = i; i += n; }
            else if (head) { at = 0; keep = TOps.TailMask((int)(n - start)); head = false; }
            else break;
            TVec w0 = TOps.Load(ref row0, at), w1 = rows > 1 ? TOps.Load(ref row1, at) : default;
            TVec w2 = rows > 2 ? TOps.Load(ref row2, at) : default, w3 = rows > 2 ? TOps.Load(ref row3, at) : default;
            TVec p0 = w0, p1 = w1, p2 = w2, p3 = w3;
            y = TOps.Load(ref v0, at);
            p0 = TOps.MultiplyAdd(a00, y, p0);
            if (rows > 1) p1 = TOps.MultiplyAdd(a10, y, p1);
            if (rows > 2) { p2 = TOps.MultiplyAdd(a20, y, p2); p3 = TOps.MultiplyAdd(a30, y, p3); }
            if (terms > 1)
            {
                y = TOps.Load(ref v1, at);
                p0 = TOps.MultiplyAdd(a01, y, p0);
                if (rows > 1) p1 = TOps.MultiplyAdd(a11, y, p1);
                if (rows > 2) { p2 = TOps.MultiplyAdd(a21, y, p2); p3 = TOps.MultiplyAdd(a31, y, p3); }
            }
            if (terms > 2)
            {
                y = TOps.Load(ref v2, at);
                p0 = TOps.MultiplyAdd(a02, y, p0);
                if (rows > 1) p1 = TOps.MultiplyAdd(a12, y, p1);
                if (rows > 2) { p2 = TOps.MultiplyAdd(a22, y, p2); p3 = TOps.MultiplyAdd(a32, y, p3); }
            }
            if (terms > 3)
            {
                y = TOps.Load(ref v3, at);
                p0 = TOps.MultiplyAdd(a03, y, p0);
                if (rows > 1) p1 = TOps.MultiplyAdd(a13, y, p1);
                if (rows > 2) { p2 = TOps.MultiplyAdd(a23, y, p2); p3 = TOps.MultiplyAdd(a33, y, p3); }
            }
            TOps.Store(TOps.Select(keep, w0, p0), ref row0, at);
            if (rows > 1) TOps.Store(TOps.Select(keep, w1, p1), ref row1, at);
            if (rows > 2) { TOps.Store(TOps.Select(keep, w2, p2), ref row2, at); TOps.Store(TOps.Select(keep, w3, p3), ref row3, at); }
        }
        TOps.Store(e0, ref row0, last);
        if (rows > 1) TOps.Store(e1, ref row1, last);
        if (rows > 2) { TOps.Store(e2, ref row2, last); TOps.Store(e3, ref row3, last); }
    }

    /// <summary>One term of a step of <see cref="RankTerms"/>: q_j += c_j * (the vector of v at accumulator j's column):
    /// all at column i for 4 rows; i, i+n, i, i+n for 2 rows; i .. i+3n for 1 row. Each vector of v is loaded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTerm<TOps, TVec, TRows>(ref float v, nuint i, nuint n, TVec c0, TVec c1, TVec c2, TVec c3, ref TVec q0, ref TVec q1, ref TVec q2, ref TVec q3)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TRows : struct, ICount
    {
        TVec y = TOps.Load(ref v, i);
        q0 = TOps.MultiplyAdd(c0, y, q0);
        if (TRows.Value == 4)
        {
            q1 = TOps.MultiplyAdd(c1, y, q1); q2 = TOps.MultiplyAdd(c2, y, q2); q3 = TOps.MultiplyAdd(c3, y, q3);
        }
        else if (TRows.Value == 2)
        {
            q2 = TOps.MultiplyAdd(c2, y, q2);
            TVec z = TOps.Load(ref v, i + n);
            q1 = TOps.MultiplyAdd(c1, z, q1); q3 = TOps.MultiplyAdd(c3, z, q3);
        }
        else
        {
            q1 = TOps.MultiplyAdd(c1, TOps.Load(ref v, i + n), q1);
            q2 = TOps.MultiplyAdd(c2, TOps.Load(ref v, i + 2 * n), q2);
            q3 = TOps.MultiplyAdd(c3, TOps.Load(ref v, i + 3 * n), q3);
        }
    }

    /// <summary>Where a row update's loops start: the floats before <paramref name="row"/>'s first boundary of a vector's
    /// size (of a 64-byte line for 512-bit vectors), which the update takes last in a vector of its own. A store that
    /// straddles two cache lines costs two: W 16 bytes off a line made a 1024 x 1024 Ger 35 % slower. Each element gets
    /// the same operations wherever the vectors start, so the bits do not depend on it. 128-bit vectors: 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint HeadBeforeBoundary<TOps, TVec>(ref float row) where TOps : struct, ISimdOps<TVec> where TVec : struct =>
        TOps.Count >= 8 ? (nuint)(CacheLine.FloatsToBoundary(ref row) % TOps.Count) : 0;

    /// <summary>Two rows += one term each, each v vector loaded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rank1Rows2<TOps, TVec>(TVec p0, TVec q0, ref float v0, nuint length, ref float row0, ref float row1)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        nuint n = (nuint)TOps.Count, last = length - n;
        TVec x0 = TOps.Load(ref v0, last);
        TVec end0 = TOps.MultiplyAdd(p0, x0, TOps.Load(ref row0, last));
        TVec end1 = TOps.MultiplyAdd(q0, x0, TOps.Load(ref row1, last));
        nuint start = HeadBeforeBoundary<TOps, TVec>(ref row0), i = start;
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
        if (start != 0) // the head (see RankTerms)
        {
            TVec keep = TOps.TailMask((int)(n - start));
            TVec w0 = TOps.Load(ref row0, 0), w1 = TOps.Load(ref row1, 0);
            TVec y0 = TOps.Load(ref v0, 0);
            TOps.Store(TOps.Select(keep, w0, TOps.MultiplyAdd(p0, y0, w0)), ref row0, 0);
            TOps.Store(TOps.Select(keep, w1, TOps.MultiplyAdd(q0, y0, w1)), ref row1, 0);
        }
        TOps.Store(end0, ref row0, last);
        TOps.Store(end1, ref row1, last);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

public static partial class Blas
{
    // Y (n x rows) = X (n x cols) W^T is a matrix product whose both operands run along cols, so each
    // output is a dot product. A 4 x 4 register tile (4 rows of W by 4 inputs) keeps 16 accumulators
    // live: every loaded vector feeds four FMAs, which makes the loop FMA-bound instead of load-bound.
    // Long rows are cut into blocks of cols so the 4 + 4 rows of a tile stay in L1 while the tile moves on.
    // With 16 vector registers (x86 without AVX-512) 16 accumulators and 5 operands do not fit and the JIT spills
    // accumulators to the stack, so the tile there is 4 inputs by 3 rows (12 + 4). Each output's sum runs in the
    // same order in both tiles (Sum4 and Sum2x4 reduce each vector on its own, alike) and the 3-row tiles cover the same rows, so the
    // shape does not change the bits.


    internal static void BatchRead512(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, int n, Span<float> y) => BatchReadCore<Simd512, Vector512<float>>(w, rows, cols, stride, x, n, y, rows);
    internal static void BatchRead256(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, int n, Span<float> y) => BatchReadCore<Simd256, Vector256<float>>(w, rows, cols, stride, x, n, y, rows);
    internal static void BatchRead128(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, int n, Span<float> y) => BatchReadCore<Simd128, Vector128<float>>(w, rows, cols, stride, x, n, y, rows);

    internal static void BatchReadScalar(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, int n, Span<float> y) => BatchReadScalar(w, rows, cols, stride, x, n, y, rows);

    /// <summary>As above with output j at y[j * ldy] (a block of rows of a taller read).</summary>
    private static void BatchReadScalar(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, int n, Span<float> y, int ldy)
    {
        for (int j = 0; j < n; j++) GemvScalar(w, rows, cols, stride, x.Slice(j * cols, cols), y.Slice(j * ldy, rows));
    }

    /// <summary>Rows [r0, r1) of a batched read (y's rows stay <paramref name="rows"/> apart): the same operations on those
    /// outputs as the whole read on the same path, so blocks of rows on any threads give the whole read's bits.</summary>
    internal static void BatchReadRowBlock(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, int n, Span<float> y, int r0, int r1)
    {
        var wb = w.Slice(r0 * stride);
        var yb = y.Slice(r0);
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: BatchReadCore<Simd512, Vector512<float>>(wb, r1 - r0, cols, stride, x, n, yb, rows); break;
            case SimdWidth.V256: BatchReadCore<Simd256, Vector256<float>>(wb, r1 - r0, cols, stride, x, n, yb, rows); break;
            case SimdWidth.V128: BatchReadCore<Simd128, Vector128<float>>(wb, r1 - r0, cols, stride, x, n, yb, rows); break;
            default: BatchReadScalar(wb, r1 - r0, cols, stride, x, n, yb, rows); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BatchReadCore<TOps, TVec>(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, int n, Span<float> y, int ldy)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        if (cols < TOps.Count) { BatchReadScalar(w, rows, cols, stride, x, n, y, ldy); return; }
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int block = cols <= 2 * KernelTuning.BatchReadBlock ? cols : KernelTuning.BatchReadBlock;
        for (int k0 = 0; k0 < cols; k0 += block)
        {
            int klen = Math.Min(block, cols - k0);
            BatchReadPanel<TOps, TVec>(ref Unsafe.Add(ref wr, k0), (nuint)stride, rows, ref Unsafe.Add(ref xr, k0), (nuint)cols, n,
                                       ref yr, (nuint)ldy, klen, accumulate: k0 != 0);
        }
    }

    /// <summary>Y (+)= X[:, k0:k0+klen] W[:, k0:k0+klen]^T; the refs point at column k0 (which may be short of one vector
    /// only when it is the last block: its tail vector then reaches back into the previous block, masked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void BatchReadPanel<TOps, TVec>(ref float w, nuint ws, int rows, ref float x, nuint xs, int n, ref float y, nuint ys, int klen, bool accumulate)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        // The tail mask goes to the tiles by reference: a vector passed by value is stored to the stack before every
        // call and reloaded at once, and that reload stalled (512-bit: half of a 6-row read's leftover-row time).
        int fresh = klen % TOps.Count;
        TVec mask = fresh != 0 ? TOps.TailMask(fresh) : TOps.Zero;
        int r0 = 0;
        bool prefetch = (long)rows * (long)ws > KernelTuning.BatchReadPrefetchElements;
        if (FewVectorRegisters)
        {
            // Cover exactly the rows the 4 x 4 tiling covers (the rest take BlockDot on every machine), 3 rows at a time
            // and the last 1 or 2 as a narrower tile; each output keeps its 4 x 4 bits (Sum4 reduces each vector alone).
            int tiled = rows / 4 * 4;
            // At strides of 4 KiB the tile's 3 rows and 4 inputs load from the same L1 set at every step: the rows are
            // copied a line apart (same values, same bits) when enough inputs reuse them (v3 1024x1024 1.10-1.17 ->
            // 0.98-1.00x OpenBLAS's time, 4096x4096 1.10-1.18 -> 0.97-1.08x).
            bool pack = ws % KernelTuning.AliasingStrideFloats == 0 && klen >= TOps.Count && n >= 8;
            nuint ps = (nuint)klen + 16;
            Span<float> panel = pack ? stackalloc float[3 * (int)ps] : default;
            for (; r0 < tiled; r0 += 3)
            {
                int count = Math.Min(3, tiled - r0);
                scoped ref float wt = ref Unsafe.Add(ref w, (nuint)r0 * ws);
                PrefetchRows(ref wt, count, ws, prefetch ? Math.Min(3, rows - r0 - count) : 0, klen);
                nuint ts = ws;
                if (pack)
                {
                    ref float to = ref MemoryMarshal.GetReference(panel);
                    for (nuint r = 0; r < (nuint)count; r++)
                        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref wt, r * ws), klen).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref to, r * ps), klen));
                    wt = ref to;
                    ts = ps;
                }
                int j0 = 0;
                for (; j0 + 4 <= n; j0 += 4)
                {
                    ref float xj = ref Unsafe.Add(ref x, (nuint)j0 * xs);
                    ref float yj = ref Unsafe.Add(ref y, (nuint)j0 * ys + (nuint)r0);
                    if (count == 3) TileRowsBy4<TOps, TVec, Three>(ref wt, ts, ref xj, xs, ref yj, ys, klen, fresh, in mask, accumulate);
                    else if (count == 2) TileRowsBy4<TOps, TVec, Two>(ref wt, ts, ref xj, xs, ref yj, ys, klen, fresh, in mask, accumulate);
                    else TileRowsBy4<TOps, TVec, One>(ref wt, ts, ref xj, xs, ref yj, ys, klen, fresh, in mask, accumulate);
                }
                for (; j0 < n; j0++)
                    for (int r = r0; r < r0 + count; r++)
                        Accumulate(ref Unsafe.Add(ref y, (nuint)j0 * ys + (nuint)r), BlockDot<TOps, TVec>(ref Unsafe.Add(ref w, (nuint)r * ws), ref Unsafe.Add(ref x, (nuint)j0 * xs), klen, fresh, in mask), accumulate);
            }
            r0 = tiled;
        }
        for (; r0 + 4 <= rows; r0 += 4)
        {
            ref float wt = ref Unsafe.Add(ref w, (nuint)r0 * ws);
            PrefetchRows(ref wt, 4, ws, prefetch ? Math.Min(4, rows - r0 - 4) : 0, klen);
            int j0 = 0;
            for (; j0 + 4 <= n; j0 += 4)
                Tile4x4<TOps, TVec>(ref wt, ws, ref Unsafe.Add(ref x, (nuint)j0 * xs), xs, ref Unsafe.Add(ref y, (nuint)j0 * ys + (nuint)r0), ys, klen, fresh, in mask, accumulate);
            for (; j0 < n; j0++)
                for (int r = r0; r < r0 + 4; r++)
                    Accumulate(ref Unsafe.Add(ref y, (nuint)j0 * ys + (nuint)r), BlockDot<TOps, TVec>(ref Unsafe.Add(ref w, (nuint)r * ws), ref Unsafe.Add(ref x, (nuint)j0 * xs), klen, fresh, in mask), accumulate);
        }
        for (; r0 < rows; )
        {
            bool pair = !FewVectorRegisters && r0 + 2 <= rows;
            ref float wr = ref Unsafe.Add(ref w, (nuint)r0 * ws);
            int j = 0;
            for (; j + 4 <= n; j += 4)
            {
                ref float xj = ref Unsafe.Add(ref x, (nuint)j * xs);
                ref float yj = ref Unsafe.Add(ref y, (nuint)j * ys + (nuint)r0);
                if (pair) DotRowsBy4<TOps, TVec, Two>(ref wr, ws, ref xj, xs, ref yj, ys, klen, fresh, in mask, accumulate);
                else DotRowsBy4<TOps, TVec, One>(ref wr, ws, ref xj, xs, ref yj, ys, klen, fresh, in mask, accumulate);
            }
            int next = r0 + (pair ? 2 : 1);
            for (; j < n; j++)
                for (int r = r0; r < next; r++)
                    Accumulate(ref Unsafe.Add(ref y, (nuint)j * ys + (nuint)r), BlockDot<TOps, TVec>(ref Unsafe.Add(ref w, (nuint)r * ws), ref Unsafe.Add(ref x, (nuint)j * xs), klen, fresh, in mask), accumulate);
            r0 = next;
        }
    }

    /// <summary>Prefetches the block of <paramref name="count"/> rows from row <paramref name="from"/> of the tile at
    /// <paramref name="w"/> (the next tile's) into L2 while the inputs pass over this tile's: at large strides each row's
    /// block sits in its own page, where the hardware prefetchers start late.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchRows(ref float w, int from, nuint ws, int count, int klen)
    {
        for (int r = from; r < from + count; r++) CachePrefetch.ToL2(ref w, (nint)((nuint)r * ws), (nuint)klen);
    }

    /// <summary><see cref="BlockDot"/>s of one or two rows of W (<typeparamref name="TRows"/>, stride ws) with four inputs
    /// (stride xs), each summed in BlockDot's order (the same bits; four Sums in one network per row), sharing the rows' and
    /// the inputs' loads: the rows below a multiple of 4 (a 6-channel conv layer's last 2) ran one dependent dot at a time,
    /// then one row at a time (two rows share each input load: 12 loads per 16 multiply-adds instead of 20). Two rows take
    /// 16 accumulators, so only with 32 vector registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotRowsBy4<TOps, TVec, TRows>(ref float w, nuint ws, ref float x0, nuint xs, ref float y, nuint ys, int klen, int fresh, in TVec mask, bool accumulate)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TRows : struct, ICount
    {
        bool two = TRows.Value == 2;
        ref float v = ref Unsafe.Add(ref w, two ? ws : 0);
        ref float x1 = ref Unsafe.Add(ref x0, xs);
        ref float x2 = ref Unsafe.Add(ref x1, xs);
        ref float x3 = ref Unsafe.Add(ref x2, xs);
        nuint n = (nuint)TOps.Count, len = (nuint)klen;
        TVec a0 = TOps.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        TVec p0 = a0, p1 = a0, p2 = a0, p3 = a0, q0 = a0, q1 = a0, q2 = a0, q3 = a0; // the second row's a and b
        nuint i = 0;
        for (; i + 2 * n <= len; i += 2 * n)
        {
            TVec wa = TOps.Load(ref w, i), wb = TOps.Load(ref w, i + n);
            TVec va = two ? TOps.Load(ref v, i) : wa, vb = two ? TOps.Load(ref v, i + n) : wb;
            TVec xa = TOps.Load(ref x0, i), xb = TOps.Load(ref x0, i + n);
            a0 = TOps.MultiplyAdd(wa, xa, a0); b0 = TOps.MultiplyAdd(wb, xb, b0);
            if (two) { p0 = TOps.MultiplyAdd(va, xa, p0); q0 = TOps.MultiplyAdd(vb, xb, q0); }
            xa = TOps.Load(ref x1, i); xb = TOps.Load(ref x1, i + n);
            a1 = TOps.MultiplyAdd(wa, xa, a1); b1 = TOps.MultiplyAdd(wb, xb, b1);
            if (two) { p1 = TOps.MultiplyAdd(va, xa, p1); q1 = TOps.MultiplyAdd(vb, xb, q1); }
            xa = TOps.Load(ref x2, i); xb = TOps.Load(ref x2, i + n);
            a2 = TOps.MultiplyAdd(wa, xa, a2); b2 = TOps.MultiplyAdd(wb, xb, b2);
            if (two) { p2 = TOps.MultiplyAdd(va, xa, p2); q2 = TOps.MultiplyAdd(vb, xb, q2); }
            xa = TOps.Load(ref x3, i); xb = TOps.Load(ref x3, i + n);
            a3 = TOps.MultiplyAdd(wa, xa, a3); b3 = TOps.MultiplyAdd(wb, xb, b3);
            if (two) { p3 = TOps.MultiplyAdd(va, xa, p3); q3 = TOps.MultiplyAdd(vb, xb, q3); }
        }
        if (i + n <= len)
        {
            TVec wa = TOps.Load(ref w, i), va = two ? TOps.Load(ref v, i) : wa;
            TVec xv = TOps.Load(ref x0, i);
            a0 = TOps.MultiplyAdd(wa, xv, a0); if (two) p0 = TOps.MultiplyAdd(va, xv, p0);
            xv = TOps.Load(ref x1, i);
            a1 = TOps.MultiplyAdd(wa, xv, a1); if (two) p1 = TOps.MultiplyAdd(va, xv, p1);
            xv = TOps.Load(ref x2, i);
            a2 = TOps.MultiplyAdd(wa, xv, a2); if (two) p2 = TOps.MultiplyAdd(va, xv, p2);
            xv = TOps.Load(ref x3, i);
            a3 = TOps.MultiplyAdd(wa, xv, a3); if (two) p3 = TOps.MultiplyAdd(va, xv, p3);
        }
        if (fresh != 0)
        {
            nint tail = klen - TOps.Count;
            TVec wt = TOps.And(TOps.Load(ref Unsafe.Add(ref w, tail), 0), mask);
            TVec vt = two ? TOps.And(TOps.Load(ref Unsafe.Add(ref v, tail), 0), mask) : wt;
            TVec xv = TOps.And(TOps.Load(ref Unsafe.Add(ref x0, tail), 0), mask);
            b0 = TOps.MultiplyAdd(wt, xv, b0); if (two) q0 = TOps.MultiplyAdd(vt, xv, q0);
            xv = TOps.And(TOps.Load(ref Unsafe.Add(ref x1, tail), 0), mask);
            b1 = TOps.MultiplyAdd(wt, xv, b1); if (two) q1 = TOps.MultiplyAdd(vt, xv, q1);
            xv = TOps.And(TOps.Load(ref Unsafe.Add(ref x2, tail), 0), mask);
            b2 = TOps.MultiplyAdd(wt, xv, b2); if (two) q2 = TOps.MultiplyAdd(vt, xv, q2);
            xv = TOps.And(TOps.Load(ref Unsafe.Add(ref x3, tail), 0), mask);
            b3 = TOps.MultiplyAdd(wt, xv, b3); if (two) q3 = TOps.MultiplyAdd(vt, xv, q3);
        }
        StoreColumn(TOps.FourSums(TOps.Add(a0, b0), TOps.Add(a1, b1), TOps.Add(a2, b2), TOps.Add(a3, b3)), ref y, ys, accumulate);
        if (two) StoreColumn(TOps.FourSums(TOps.Add(p0, q0), TOps.Add(p1, q1), TOps.Add(p2, q2), TOps.Add(p3, q3)), ref Unsafe.Add(ref y, 1), ys, accumulate);
    }

    /// <summary>Four inputs' outputs of one row: Y[j .. j + 4, r] at stride ys.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreColumn(Vector128<float> sums, ref float y, nuint ys, bool accumulate)
    {
        Accumulate(ref y, sums.ToScalar(), accumulate);
        Accumulate(ref Unsafe.Add(ref y, ys), sums.GetElement(1), accumulate);
        Accumulate(ref Unsafe.Add(ref y, 2 * ys), sums.GetElement(2), accumulate);
        Accumulate(ref Unsafe.Add(ref y, 3 * ys), sums.GetElement(3), accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref float target, float value, bool accumulate)
    {
        if (accumulate) target += value; else target = value;
    }

    /// <summary>Dot of one block; the tail vector ends at klen and is masked to its <paramref name="fresh"/> last lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float BlockDot<TOps, TVec>(ref float a, ref float b, int klen, int fresh, in TVec mask)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        nuint n = (nuint)TOps.Count, len = (nuint)klen;
        TVec s0 = TOps.Zero, s1 = s0;
        nuint i = 0;
        for (; i + 2 * n <= len; i += 2 * n)
        {
            s0 = TOps.MultiplyAdd(TOps.Load(ref a, i), TOps.Load(ref b, i), s0);
            s1 = TOps.MultiplyAdd(TOps.Load(ref a, i + n), TOps.Load(ref b, i + n), s1);
        }
        if (i + n <= len) s0 = TOps.MultiplyAdd(TOps.Load(ref a, i), TOps.Load(ref b, i), s0);
        if (fresh != 0)
        {
            nint tail = klen - TOps.Count;
            s1 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref Unsafe.Add(ref a, tail), 0), mask), TOps.And(TOps.Load(ref Unsafe.Add(ref b, tail), 0), mask), s1);
        }
        return TOps.Sum(TOps.Add(s0, s1));
    }

    /// <summary>Y[j, r] (+)= dot(X[j], W[r]) for 4 rows of W (stride ws) by 4 inputs (stride xs); y points at Y[j0, r0].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4<TOps, TVec>(ref float w0, nuint ws, ref float x0, nuint xs, ref float y, nuint ys, int klen, int fresh, in TVec mask, bool accumulate)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        ref float w1 = ref Unsafe.Add(ref w0, ws);
        ref float w2 = ref Unsafe.Add(ref w1, ws);
        ref float w3 = ref Unsafe.Add(ref w2, ws);
        ref float x1 = ref Unsafe.Add(ref x0, xs);
        ref float x2 = ref Unsafe.Add(ref x1, xs);
        ref float x3 = ref Unsafe.Add(ref x2, xs);
        TVec c00 = TOps.Zero, c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        TVec c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        nuint n = (nuint)TOps.Count, len = (nuint)klen;
        for (nuint i = 0; i + n <= len; i += n)
        {
            TVec wa = TOps.Load(ref w0, i), wb = TOps.Load(ref w1, i), wc = TOps.Load(ref w2, i), wd = TOps.Load(ref w3, i);
            TVec xv = TOps.Load(ref x0, i);
            c00 = TOps.MultiplyAdd(wa, xv, c00); c01 = TOps.MultiplyAdd(wb, xv, c01); c02 = TOps.MultiplyAdd(wc, xv, c02); c03 = TOps.MultiplyAdd(wd, xv, c03);
            xv = TOps.Load(ref x1, i);
            c10 = TOps.MultiplyAdd(wa, xv, c10); c11 = TOps.MultiplyAdd(wb, xv, c11); c12 = TOps.MultiplyAdd(wc, xv, c12); c13 = TOps.MultiplyAdd(wd, xv, c13);
            xv = TOps.Load(ref x2, i);
            c20 = TOps.MultiplyAdd(wa, xv, c20); c21 = TOps.MultiplyAdd(wb, xv, c21); c22 = TOps.MultiplyAdd(wc, xv, c22); c23 = TOps.MultiplyAdd(wd, xv, c23);
            xv = TOps.Load(ref x3, i);
            c30 = TOps.MultiplyAdd(wa, xv, c30); c31 = TOps.MultiplyAdd(wb, xv, c31); c32 = TOps.MultiplyAdd(wc, xv, c32); c33 = TOps.MultiplyAdd(wd, xv, c33);
        }
        if (fresh != 0)
        {
            nint t = klen - TOps.Count;
            TVec wa = TOps.And(TOps.Load(ref Unsafe.Add(ref w0, t), 0), mask), wb = TOps.And(TOps.Load(ref Unsafe.Add(ref w1, t), 0), mask);
            TVec wc = TOps.And(TOps.Load(ref Unsafe.Add(ref w2, t), 0), mask), wd = TOps.And(TOps.Load(ref Unsafe.Add(ref w3, t), 0), mask);
            TVec xv = TOps.And(TOps.Load(ref Unsafe.Add(ref x0, t), 0), mask);
            c00 = TOps.MultiplyAdd(wa, xv, c00); c01 = TOps.MultiplyAdd(wb, xv, c01); c02 = TOps.MultiplyAdd(wc, xv, c02); c03 = TOps.MultiplyAdd(wd, xv, c03);
            xv = TOps.And(TOps.Load(ref Unsafe.Add(ref x1, t), 0), mask);
            c10 = TOps.MultiplyAdd(wa, xv, c10); c11 = TOps.MultiplyAdd(wb, xv, c11); c12 = TOps.MultiplyAdd(wc, xv, c12); c13 = TOps.MultiplyAdd(wd, xv, c13);
            xv = TOps.And(TOps.Load(ref Unsafe.Add(ref x2, t), 0), mask);
            c20 = TOps.MultiplyAdd(wa, xv, c20); c21 = TOps.MultiplyAdd(wb, xv, c21); c22 = TOps.MultiplyAdd(wc, xv, c22); c23 = TOps.MultiplyAdd(wd, xv, c23);
            xv = TOps.And(TOps.Load(ref Unsafe.Add(ref x3, t), 0), mask);
            c30 = TOps.MultiplyAdd(wa, xv, c30); c31 = TOps.MultiplyAdd(wb, xv, c31); c32 = TOps.MultiplyAdd(wc, xv, c32); c33 = TOps.MultiplyAdd(wd, xv, c33);
        }
        (Vector128<float> s0, Vector128<float> s1) = TOps.Sum2x4(c00, c01, c02, c03, c10, c11, c12, c13);
        Store4(s0, ref y, accumulate);
        Store4(s1, ref Unsafe.Add(ref y, ys), accumulate);
        (Vector128<float> s2, Vector128<float> s3) = TOps.Sum2x4(c20, c21, c22, c23, c30, c31, c32, c33);
        Store4(s2, ref Unsafe.Add(ref y, 2 * ys), accumulate);
        Store4(s3, ref Unsafe.Add(ref y, 3 * ys), accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(Vector128<float> sums, ref float y, bool accumulate)
    {
        if (accumulate) sums += Vector128.LoadUnsafe(ref y);
        sums.StoreUnsafe(ref y);
    }

    /// <summary>Y[j, r] (+)= dot(X[j], W[r]) for 1 to 3 rows of W (<typeparamref name="TRows"/>) by 4 inputs
    /// (<see cref="Tile4x4{TOps, TVec}"/> for 16 registers, and the 1 or 2 rows left after the 3-row tiles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileRowsBy4<TOps, TVec, TRows>(ref float w0, nuint ws, ref float x0, nuint xs, ref float y, nuint ys, int klen, int fresh, in TVec mask, bool accumulate)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TRows : struct, ICount
    {
        int rows = TRows.Value;
        ref float w1 = ref Unsafe.Add(ref w0, rows >= 2 ? ws : 0);
        ref float w2 = ref Unsafe.Add(ref w1, rows >= 3 ? ws : 0);
        ref float x1 = ref Unsafe.Add(ref x0, xs);
        ref float x2 = ref Unsafe.Add(ref x1, xs);
        ref float x3 = ref Unsafe.Add(ref x2, xs);
        TVec c00 = TOps.Zero, c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        TVec c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        nuint n = (nuint)TOps.Count, len = (nuint)klen;
        // The rows past TRows vanish at JIT time (the accumulators stay in registers: a local function taking them
        // measured 3-10x slower).
        for (nuint i = 0; i + n <= len; i += n)
        {
            TVec wa = TOps.Load(ref w0, i), wb = rows >= 2 ? TOps.Load(ref w1, i) : wa, wc = rows >= 3 ? TOps.Load(ref w2, i) : wa;
            TVec xv = TOps.Load(ref x0, i);
            c00 = TOps.MultiplyAdd(wa, xv, c00); if (rows >= 2) c01 = TOps.MultiplyAdd(wb, xv, c01); if (rows >= 3) c02 = TOps.MultiplyAdd(wc, xv, c02);
            xv = TOps.Load(ref x1, i);
            c10 = TOps.MultiplyAdd(wa, xv, c10); if (rows >= 2) c11 = TOps.MultiplyAdd(wb, xv, c11); if (rows >= 3) c12 = TOps.MultiplyAdd(wc, xv, c12);
            xv = TOps.Load(ref x2, i);
            c20 = TOps.MultiplyAdd(wa, xv, c20); if (rows >= 2) c21 = TOps.MultiplyAdd(wb, xv, c21); if (rows >= 3) c22 = TOps.MultiplyAdd(wc, xv, c22);
            xv = TOps.Load(ref x3, i);
            c30 = TOps.MultiplyAdd(wa, xv, c30); if (rows >= 2) c31 = TOps.MultiplyAdd(wb, xv, c31); if (rows >= 3) c32 = TOps.MultiplyAdd(wc, xv, c32);
        }
        if (fresh != 0)
        {
            nint t = klen - TOps.Count;
            TVec wa = TOps.And(TOps.Load(ref Unsafe.Add(ref w0, t), 0), mask);
            TVec wb = rows >= 2 ? TOps.And(TOps.Load(ref Unsafe.Add(ref w1, t), 0), mask) : wa;
            TVec wc = rows >= 3 ? TOps.And(TOps.Load(ref Unsafe.Add(ref w2, t), 0), mask) : wa;
            TVec xv = TOps.And(TOps.Load(ref Unsafe.Add(ref x0, t), 0), mask);
            c00 = TOps.MultiplyAdd(wa, xv, c00); if (rows >= 2) c01 = TOps.MultiplyAdd(wb, xv, c01); if (rows >= 3) c02 = TOps.MultiplyAdd(wc, xv, c02);
            xv = TOps.And(TOps.Load(ref Unsafe.Add(ref x1, t), 0), mask);
            c10 = TOps.MultiplyAdd(wa, xv, c10); if (rows >= 2) c11 = TOps.MultiplyAdd(wb, xv, c11); if (rows >= 3) c12 = TOps.MultiplyAdd(wc, xv, c12);
            xv = TOps.And(TOps.Load(ref Unsafe.Add(ref x2, t), 0), mask);
            c20 = TOps.MultiplyAdd(wa, xv, c20); if (rows >= 2) c21 = TOps.MultiplyAdd(wb, xv, c21); if (rows >= 3) c22 = TOps.MultiplyAdd(wc, xv, c22);
            xv = TOps.And(TOps.Load(ref Unsafe.Add(ref x3, t), 0), mask);
            c30 = TOps.MultiplyAdd(wa, xv, c30); if (rows >= 2) c31 = TOps.MultiplyAdd(wb, xv, c31); if (rows >= 3) c32 = TOps.MultiplyAdd(wc, xv, c32);
        }
        TVec zero = TOps.Zero;
        StoreRows(TOps.Sum4(c00, c01, c02, zero), ref y, accumulate, rows);
        StoreRows(TOps.Sum4(c10, c11, c12, zero), ref Unsafe.Add(ref y, ys), accumulate, rows);
        StoreRows(TOps.Sum4(c20, c21, c22, zero), ref Unsafe.Add(ref y, 2 * ys), accumulate, rows);
        StoreRows(TOps.Sum4(c30, c31, c32, zero), ref Unsafe.Add(ref y, 3 * ys), accumulate, rows);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRows(Vector128<float> sums, ref float y, bool accumulate, int rows)
    {
        for (int l = 0; l < rows; l++) Accumulate(ref Unsafe.Add(ref y, l), sums.GetElement(l), accumulate);
    }
}

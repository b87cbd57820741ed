using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

public static partial class Blas
{
    // Z (n x cols) = D (n x rows) W runs along the rows of W: an outer-product form. A register tile
    // holds 4 inputs by 4 vectors of cols (16 accumulators); each step loads 4 vectors of one W row and
    // broadcasts 4 entries of D into 16 FMAs. W is walked in strips of 4 vectors of cols by blocks of
    // rows, so a block of a strip stays in L1 while every input group passes over it. With 16 vector registers
    // the strip is 3 vectors wide (12 accumulators + 3 + 1 fit; 16 + 4 + 1 would spill). Every element of Z is the
    // same chain of multiply-adds over the rows in either shape, so the shape does not change the bits.


    internal static void BatchReadTransposed512(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, int n, Span<float> z) => BatchReadTCore<Simd512, Vector512<float>>(w, rows, cols, stride, d, n, z, cols);
    internal static void BatchReadTransposed256(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, int n, Span<float> z) => BatchReadTCore<Simd256, Vector256<float>>(w, rows, cols, stride, d, n, z, cols);
    internal static void BatchReadTransposed128(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, int n, Span<float> z) => BatchReadTCore<Simd128, Vector128<float>>(w, rows, cols, stride, d, n, z, cols);

    internal static void BatchReadTransposedScalar(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, int n, Span<float> z) => BatchReadTransposedScalar(w, rows, cols, stride, d, n, z, cols);

    /// <summary>As above with output j at z[j * ldz] (a block of columns of a wider read).</summary>
    private static void BatchReadTransposedScalar(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, int n, Span<float> z, int ldz)
    {
        for (int j = 0; j < n; j++) GemvTScalar(w, rows, cols, stride, d.Slice(j * rows, rows), z.Slice(j * ldz, cols));
    }

    /// <summary>Columns [c0, c1) of a batched transposed read (z's rows stay <paramref name="cols"/> apart). Every element of
    /// Z is one chain of multiply-adds over the rows whatever the tiling, so blocks of columns on any threads give the whole
    /// read's bits, provided each block is at least one vector wide whenever the whole read is (the same path).</summary>
    internal static void BatchReadTransposedColumnBlock(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, int n, Span<float> z, int c0, int c1)
    {
        var wb = w.Slice(c0);
        var zb = z.Slice(c0);
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: BatchReadTCore<Simd512, Vector512<float>>(wb, rows, c1 - c0, stride, d, n, zb, cols); break;
            case SimdWidth.V256: BatchReadTCore<Simd256, Vector256<float>>(wb, rows, c1 - c0, stride, d, n, zb, cols); break;
            case SimdWidth.V128: BatchReadTCore<Simd128, Vector128<float>>(wb, rows, c1 - c0, stride, d, n, zb, cols); break;
            default: BatchReadTransposedScalar(wb, rows, c1 - c0, stride, d, n, zb, cols); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void BatchReadTCore<TOps, TVec>(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, int n, Span<float> z, int ldz)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        if (cols < TOps.Count) { BatchReadTransposedScalar(w, rows, cols, stride, d, n, z, ldz); return; }
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float dr = ref MemoryMarshal.GetReference(d);
        ref float zr = ref MemoryMarshal.GetReference(z);
        nuint vn = (nuint)TOps.Count, c = (nuint)cols, ws = (nuint)stride, ds = (nuint)rows, zs = (nuint)ldz;
        int block = rows <= 2 * KernelTuning.BatchReadTransposedBlock ? rows : KernelTuning.BatchReadTransposedBlock;
        // Strips outermost, so a strip of Z (n x 2 tiles) stays in L1 while the row blocks of W pass through it. A strip
        // is two register tiles wide (8 vectors, or 6 with 16 registers): each row of a block then gives whole cache
        // lines (192-512 bytes) rather than a line and a half, and a strip's pass over W's rows (a page each at large
        // strides) serves twice the columns.
        nuint tile = FewVectorRegisters ? 3 * vn : 4 * vn, c0 = 0;
        // Rows whose offsets agree modulo 4 KiB fall in the same L1 sets, so at such strides a block of a strip evicts
        // itself while the inputs pass over it: such blocks are first copied into a contiguous panel (BLIS's packing;
        // same values, same operations, so the same bits). Worth it only when enough inputs reuse the panel.
        bool pack = n >= 8 && KernelTuning.BlockCrowdsL1Sets(stride, block, FewVectorRegisters ? KernelTuning.PackRowsPerPositionFewRegisters : KernelTuning.PackRowsPerPosition);
        // A packed block is as many rows as fit the panel a register tile wide, up to KernelTuning.BatchReadTransposedPackedRows
        // (same chains over the rows, so the same bits at any block).
        if (pack) block = Math.Min(rows, Math.Min(KernelTuning.BatchReadTransposedPackedRows, PanelBytes / ((int)tile * sizeof(float))));
        // On a cache line, so no vector load of the panel splits two lines; not cleared (SkipLocalsInit): every float
        // read is written first.
        Span<float> panel = pack ? CacheLineStart(stackalloc float[PanelBytes / sizeof(float) + 16]) : default;
        // Past KernelTuning.BatchReadTransposedRowsOuter elements the row blocks go outermost instead: a block's rows
        // (a page each at large strides) then serve every strip before the next block. Each element of Z is the same
        // chain over the rows either way.
        bool rowsOuter = (long)rows * stride > KernelTuning.BatchReadTransposedRowsOuter;
        nuint wide = c / (2 * tile) * (2 * tile), strips = wide + (c - wide) / tile * tile; // columns the strips cover
        if (rowsOuter)
        {
            for (int r0 = 0; r0 < rows; r0 += block)
                for (c0 = 0; c0 < strips; )
                {
                    nuint strip = c0 < wide ? 2 * tile : tile;
                    PassStrip<TOps, TVec>(ref wr, ws, ref dr, ds, ref zr, zs, n, r0, (nuint)Math.Min(block, rows - r0), c0, strip, tile, pack, panel, first: r0 == 0, next: (nint)strip);
                    c0 += strip;
                }
        }
        else
            for (c0 = 0; c0 < strips; c0 += c0 < wide ? 2 * tile : tile)
                PassRows<TOps, TVec>(ref wr, ws, ref dr, ds, ref zr, zs, n, rows, block, c0, c0 < wide ? 2 * tile : tile, tile, pack, panel);
        // The columns past the strips: one narrower strip of as many vectors as they need, ending at cols, through the
        // same row blocks (packed alike) once the strips are done. It may reach back over columns already done: its
        // first block starts them from zero again and the chain over the rows is the same, so it stores the bits already
        // there (no masking). Blocked and packed like the strips: v3's 1024 columns leave 2 vectors, which one vector at a
        // time over all rows, unpacked, took 7 % of the read for 1.6 % of its work.
        nuint rest = c - strips;
        if (rest == 0) return;
        nuint vectors = (rest + vn - 1) / vn;
        if (vectors * vn <= c)
        {
            PassRows<TOps, TVec>(ref wr, ws, ref dr, ds, ref zr, zs, n, rows, block, c - vectors * vn, vectors * vn, vectors * vn, pack, panel);
            return;
        }
        // Fewer columns than that many vectors (no strip at all): the whole vectors, then one vector ending at cols.
        for (c0 = 0; c0 + vn <= c; c0 += vn)
            TileT1Vector<TOps, TVec>(ref Unsafe.Add(ref wr, c0), ws, ref dr, ds, ref Unsafe.Add(ref zr, c0), zs, n, (nuint)rows);
        if (c0 < c)
            TileT1Vector<TOps, TVec>(ref Unsafe.Add(ref wr, c - vn), ws, ref dr, ds, ref Unsafe.Add(ref zr, c - vn), zs, n, (nuint)rows);
    }

    /// <summary>The packed panel's size: half of L1d, so the inputs' rows and sums have room beside it (64 rows of a
    /// 4-vector tile with 512-bit vectors, 128 of a 3-vector tile with 256-bit ones).</summary>
    private const int PanelBytes = 16 << 10;

    /// <summary>The part of <paramref name="buffer"/> from its first 64-byte boundary (at most 15 floats in).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<float> CacheLineStart(Span<float> buffer) => buffer.Slice(CacheLine.FloatsToBoundary(ref MemoryMarshal.GetReference(buffer)));

    /// <summary>Every block of rows of one strip, the first from zero (see <see cref="PassStrip"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PassRows<TOps, TVec>(ref float wr, nuint ws, ref float dr, nuint ds, ref float zr, nuint zs, int n, int rows, int block, nuint c0, nuint strip, nuint tile, bool pack, Span<float> panel)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        for (int r0 = 0; r0 < rows; r0 += block)
            PassStrip<TOps, TVec>(ref wr, ws, ref dr, ds, ref zr, zs, n, r0, (nuint)Math.Min(block, rows - r0), c0, strip, tile, pack, panel, first: r0 == 0, next: (nint)((nuint)block * ws));
    }

    /// <summary>One block of rows of one strip of W into Z for every input. Packed (<paramref name="pack"/>), the strip
    /// is copied into <paramref name="panel"/> whole when that fits in half of L1 (16 KiB), else a register tile's columns
    /// at a time; the lines <paramref name="next"/> floats on, which the read takes next, are prefetched meanwhile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PassStrip<TOps, TVec>(ref float wr, nuint ws, ref float dr, nuint ds, ref float zr, nuint zs, int n, int r0, nuint rlen, nuint c0, nuint strip, nuint tile, bool pack, Span<float> panel, bool first, nint next)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        ref float wb = ref Unsafe.Add(ref wr, (nuint)r0 * ws + c0);
        ref float db = ref Unsafe.Add(ref dr, r0);
        int vectors = (int)(tile / (nuint)TOps.Count);
        if (!pack)
        {
            for (nuint t = 0; t < strip; t += tile)
                TileStrip<TOps, TVec>(ref Unsafe.Add(ref wb, t), ws, ref db, ds, ref Unsafe.Add(ref zr, c0 + t), zs, n, rlen, first, vectors);
            return;
        }
        ref float packed = ref MemoryMarshal.GetReference(panel);
        nuint unit = rlen * strip * sizeof(float) <= PanelBytes ? strip : tile;
        for (nuint u = 0; u < strip; u += unit)
        {
            for (nuint r = 0; r < rlen; r++)
            {
                ref float row = ref Unsafe.Add(ref wb, r * ws + u);
                ref float to = ref Unsafe.Add(ref packed, r * unit);
                for (nuint k = 0; k < unit; k += (nuint)TOps.Count) TOps.Store(TOps.Load(ref row, k), ref to, k);
                CachePrefetch.ToL2(ref row, next, unit);
            }
            for (nuint t = 0; t < unit; t += tile)
                TileStrip<TOps, TVec>(ref Unsafe.Add(ref packed, t), unit, ref db, ds, ref Unsafe.Add(ref zr, c0 + u + t), zs, n, rlen, first, vectors);
        }
    }

    /// <summary>One register tile's columns of Z (1 to 4 vectors) for every input (groups of 4, then one by one) over a
    /// block of rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TileStrip<TOps, TVec>(ref float wb, nuint wbs, ref float db, nuint ds, ref float z, nuint zs, int n, nuint rlen, bool first, int vectors)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        switch (vectors)
        {
            case 4: TileStrip<TOps, TVec, Four>(ref wb, wbs, ref db, ds, ref z, zs, n, rlen, first); break;
            case 3: TileStrip<TOps, TVec, Three>(ref wb, wbs, ref db, ds, ref z, zs, n, rlen, first); break;
            case 2: TileStrip<TOps, TVec, Two>(ref wb, wbs, ref db, ds, ref z, zs, n, rlen, first); break;
            default: TileStrip<TOps, TVec, One>(ref wb, wbs, ref db, ds, ref z, zs, n, rlen, first); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TileStrip<TOps, TVec, TVectors>(ref float wb, nuint wbs, ref float db, nuint ds, ref float z, nuint zs, int n, nuint rlen, bool first)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TVectors : struct, ICount
    {
        int j = 0;
        for (; j + 4 <= n; j += 4)
            TileT4Inputs<TOps, TVec, TVectors>(ref wb, wbs, ref Unsafe.Add(ref db, (nuint)j * ds), ds, ref Unsafe.Add(ref z, (nuint)j * zs), zs, rlen, first);
        for (; j < n; j++)
            TileT1Input<TOps, TVec, TVectors>(ref wb, wbs, ref Unsafe.Add(ref db, (nuint)j * ds), ref Unsafe.Add(ref z, (nuint)j * zs), rlen, first);
    }

    /// <summary>Z[j0..j0+4, V vectors from c0] += D[j0..j0+4, r-block] W[r-block, c0..] for V = TVectors.Value (1-4; the
    /// vectors past V vanish at JIT time); pointers at the tile origin. 4 x 4 with 32 vector registers, 4 x 3 with 16 (16
    /// accumulators, 4 row vectors and a broadcast would spill there), 4 x 1 to 4 x 4 for the columns past the strips.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileT4Inputs<TOps, TVec, TVectors>(ref float w, nuint ws, ref float d0, nuint ds, ref float z0, nuint zs, nuint rlen, bool first)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TVectors : struct, ICount
    {
        int v = TVectors.Value;
        nuint n = (nuint)TOps.Count;
        ref float d1 = ref Unsafe.Add(ref d0, ds);
        ref float d2 = ref Unsafe.Add(ref d1, ds);
        ref float d3 = ref Unsafe.Add(ref d2, ds);
        ref float z1 = ref Unsafe.Add(ref z0, zs);
        ref float z2 = ref Unsafe.Add(ref z1, zs);
        ref float z3 = ref Unsafe.Add(ref z2, zs);
        TVec zero = TOps.Zero;
        TVec c00 = Start<TOps, TVec>(first, ref z0, 0), c10 = Start<TOps, TVec>(first, ref z1, 0), c20 = Start<TOps, TVec>(first, ref z2, 0), c30 = Start<TOps, TVec>(first, ref z3, 0);
        TVec c01 = v > 1 ? Start<TOps, TVec>(first, ref z0, n) : zero, c11 = v > 1 ? Start<TOps, TVec>(first, ref z1, n) : zero;
        TVec c21 = v > 1 ? Start<TOps, TVec>(first, ref z2, n) : zero, c31 = v > 1 ? Start<TOps, TVec>(first, ref z3, n) : zero;
        TVec c02 = v > 2 ? Start<TOps, TVec>(first, ref z0, 2 * n) : zero, c12 = v > 2 ? Start<TOps, TVec>(first, ref z1, 2 * n) : zero;
        TVec c22 = v > 2 ? Start<TOps, TVec>(first, ref z2, 2 * n) : zero, c32 = v > 2 ? Start<TOps, TVec>(first, ref z3, 2 * n) : zero;
        TVec c03 = v > 3 ? Start<TOps, TVec>(first, ref z0, 3 * n) : zero, c13 = v > 3 ? Start<TOps, TVec>(first, ref z1, 3 * n) : zero;
        TVec c23 = v > 3 ? Start<TOps, TVec>(first, ref z2, 3 * n) : zero, c33 = v > 3 ? Start<TOps, TVec>(first, ref z3, 3 * n) : zero;
        ref float wrow = ref w;
        for (nuint r = 0; r < rlen; r++)
        {
            TVec wa = TOps.Load(ref wrow, 0);
            TVec wb = v > 1 ? TOps.Load(ref wrow, n) : zero, wc = v > 2 ? TOps.Load(ref wrow, 2 * n) : zero, wd = v > 3 ? TOps.Load(ref wrow, 3 * n) : zero;
            TVec b = TOps.Broadcast(Unsafe.Add(ref d0, r));
            c00 = TOps.MultiplyAdd(b, wa, c00);
            if (v > 1) c01 = TOps.MultiplyAdd(b, wb, c01);
            if (v > 2) c02 = TOps.MultiplyAdd(b, wc, c02);
            if (v > 3) c03 = TOps.MultiplyAdd(b, wd, c03);
            b = TOps.Broadcast(Unsafe.Add(ref d1, r));
            c10 = TOps.MultiplyAdd(b, wa, c10);
            if (v > 1) c11 = TOps.MultiplyAdd(b, wb, c11);
            if (v > 2) c12 = TOps.MultiplyAdd(b, wc, c12);
            if (v > 3) c13 = TOps.MultiplyAdd(b, wd, c13);
            b = TOps.Broadcast(Unsafe.Add(ref d2, r));
            c20 = TOps.MultiplyAdd(b, wa, c20);
            if (v > 1) c21 = TOps.MultiplyAdd(b, wb, c21);
            if (v > 2) c22 = TOps.MultiplyAdd(b, wc, c22);
            if (v > 3) c23 = TOps.MultiplyAdd(b, wd, c23);
            b = TOps.Broadcast(Unsafe.Add(ref d3, r));
            c30 = TOps.MultiplyAdd(b, wa, c30);
            if (v > 1) c31 = TOps.MultiplyAdd(b, wb, c31);
            if (v > 2) c32 = TOps.MultiplyAdd(b, wc, c32);
            if (v > 3) c33 = TOps.MultiplyAdd(b, wd, c33);
            wrow = ref Unsafe.Add(ref wrow, ws);
        }
        TOps.Store(c00, ref z0, 0); TOps.Store(c10, ref z1, 0); TOps.Store(c20, ref z2, 0); TOps.Store(c30, ref z3, 0);
        if (v > 1) { TOps.Store(c01, ref z0, n); TOps.Store(c11, ref z1, n); TOps.Store(c21, ref z2, n); TOps.Store(c31, ref z3, n); }
        if (v > 2) { TOps.Store(c02, ref z0, 2 * n); TOps.Store(c12, ref z1, 2 * n); TOps.Store(c22, ref z2, 2 * n); TOps.Store(c32, ref z3, 2 * n); }
        if (v > 3) { TOps.Store(c03, ref z0, 3 * n); TOps.Store(c13, ref z1, 3 * n); TOps.Store(c23, ref z2, 3 * n); TOps.Store(c33, ref z3, 3 * n); }
    }

    /// <summary>One input by V = TVectors.Value vectors of cols.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileT1Input<TOps, TVec, TVectors>(ref float w, nuint ws, ref float d, ref float z, nuint rlen, bool first)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TVectors : struct, ICount
    {
        int v = TVectors.Value;
        nuint n = (nuint)TOps.Count;
        TVec zero = TOps.Zero;
        TVec c0 = Start<TOps, TVec>(first, ref z, 0), c1 = v > 1 ? Start<TOps, TVec>(first, ref z, n) : zero;
        TVec c2 = v > 2 ? Start<TOps, TVec>(first, ref z, 2 * n) : zero, c3 = v > 3 ? Start<TOps, TVec>(first, ref z, 3 * n) : zero;
        ref float wrow = ref w;
        for (nuint r = 0; r < rlen; r++)
        {
            TVec b = TOps.Broadcast(Unsafe.Add(ref d, r));
            c0 = TOps.MultiplyAdd(b, TOps.Load(ref wrow, 0), c0);
            if (v > 1) c1 = TOps.MultiplyAdd(b, TOps.Load(ref wrow, n), c1);
            if (v > 2) c2 = TOps.MultiplyAdd(b, TOps.Load(ref wrow, 2 * n), c2);
            if (v > 3) c3 = TOps.MultiplyAdd(b, TOps.Load(ref wrow, 3 * n), c3);
            wrow = ref Unsafe.Add(ref wrow, ws);
        }
        TOps.Store(c0, ref z, 0);
        if (v > 1) TOps.Store(c1, ref z, n);
        if (v > 2) TOps.Store(c2, ref z, 2 * n);
        if (v > 3) TOps.Store(c3, ref z, 3 * n);
    }

    /// <summary>Every input by one vector of cols over all rows, from zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileT1Vector<TOps, TVec>(ref float w, nuint ws, ref float d, nuint ds, ref float z, nuint zs, int n, nuint rlen)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            ref float d0 = ref Unsafe.Add(ref d, (nuint)j * ds);
            ref float d1 = ref Unsafe.Add(ref d0, ds);
            ref float d2 = ref Unsafe.Add(ref d1, ds);
            ref float d3 = ref Unsafe.Add(ref d2, ds);
            ref float z0 = ref Unsafe.Add(ref z, (nuint)j * zs);
            ref float z1 = ref Unsafe.Add(ref z0, zs);
            ref float z2 = ref Unsafe.Add(ref z1, zs);
            ref float z3 = ref Unsafe.Add(ref z2, zs);
            TVec c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
            ref float wrow = ref w;
            for (nuint r = 0; r < rlen; r++)
            {
                TVec wv = TOps.Load(ref wrow, 0);
                c0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref d0, r)), wv, c0);
                c1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref d1, r)), wv, c1);
                c2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref d2, r)), wv, c2);
                c3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref d3, r)), wv, c3);
                wrow = ref Unsafe.Add(ref wrow, ws);
            }
            TOps.Store(c0, ref z0, 0); TOps.Store(c1, ref z1, 0); TOps.Store(c2, ref z2, 0); TOps.Store(c3, ref z3, 0);
        }
        for (; j < n; j++)
        {
            ref float dj = ref Unsafe.Add(ref d, (nuint)j * ds);
            ref float zj = ref Unsafe.Add(ref z, (nuint)j * zs);
            TVec c0 = TOps.Zero;
            ref float wrow = ref w;
            for (nuint r = 0; r < rlen; r++)
            {
                c0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref dj, r)), TOps.Load(ref wrow, 0), c0);
                wrow = ref Unsafe.Add(ref wrow, ws);
            }
            TOps.Store(c0, ref zj, 0);
        }
    }

    /// <summary>An accumulator's start: zero for the first block of rows (Z is not cleared first), else Z's partial sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Start<TOps, TVec>(bool first, ref float z, nuint offset) where TOps : struct, ISimdOps<TVec> where TVec : struct =>
        first ? TOps.Zero : TOps.Load(ref z, offset);
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SbeCore.Kernels;

public static partial class Blas
{
    // z = W^T d runs along the rows of W: z (L1-resident) += d_r w_r for row groups of 8 or 4 (then 4, 2, 1), so z is
    // loaded and stored once per group. The first group writes z instead of adding to it: no separate zeroing
    // pass, and no loads of z straddling the overlapping tail stores of a zeroing pass (a store-forwarding stall
    // that shows at small shapes). fma(d, w, +0) rounds like d * w, so the values are those of zeroing first.

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GemvTCore<TOps, TVec>(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, Span<float> z)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        if (cols < TOps.Count) { GemvTScalar(w, rows, cols, stride, d, z); return; }
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float dr = ref MemoryMarshal.GetReference(d);
        ref float zr = ref MemoryMarshal.GetReference(z);
        nuint n = (nuint)TOps.Count, c = (nuint)cols, s = (nuint)stride;
        if (rows == 0 || (rows <= KernelTuning.GemvTStripRows && cols <= KernelTuning.GemvTStripCols)) { GemvTStrips<TOps, TVec>(ref wr, rows, c, s, ref dr, ref zr); return; }
        int r = 0;
        long elements = (long)rows * stride;
        if (rows >= 8 && (elements < KernelTuning.GemvTFourRowsFrom || elements >= KernelTuning.GemvTFourRowsTo))
        {
            AddRows8<TOps, TVec, WriteZ>(ref zr, c, ref wr, s, ref dr);
            for (r = 8; r + 8 <= rows; r += 8)
                AddRows8<TOps, TVec, AddToZ>(ref zr, c, ref Unsafe.Add(ref wr, (nuint)r * s), s, ref Unsafe.Add(ref dr, r));
        }
        for (; r + 4 <= rows; r += 4)
        {
            if (r == 0) AddRows4<TOps, TVec, WriteZ>(ref zr, c, ref wr, s, ref dr);
            else AddRows4<TOps, TVec, AddToZ>(ref zr, c, ref Unsafe.Add(ref wr, (nuint)r * s), s, ref Unsafe.Add(ref dr, r));
        }
        if (r + 2 <= rows)
        {
            if (r == 0) AddRows2<TOps, TVec, WriteZ>(ref zr, c, ref wr, s, ref dr);
            else AddRows2<TOps, TVec, AddToZ>(ref zr, c, ref Unsafe.Add(ref wr, (nuint)r * s), s, ref Unsafe.Add(ref dr, r));
            r += 2;
        }
        if (r < rows)
        {
            if (r == 0) AddRow1<TOps, TVec, WriteZ>(ref zr, c, ref wr, ref dr);
            else AddRow1<TOps, TVec, AddToZ>(ref zr, c, ref Unsafe.Add(ref wr, (nuint)r * s), ref Unsafe.Add(ref dr, r));
        }
    }


    /// <summary>z = W^T d for few rows: z in column strips of up to 4 vectors held in registers over all rows, then
    /// stored once: no loads of z and no z traffic per row group. Strips of 4 vectors while they fit, then one strip of
    /// 1 to 4 vectors ending at cols (overlapping the previous one by less than a vector; below 4 vectors, the whole
    /// vectors and then the overlapping last one; its shared lanes are computed
    /// in the same order, so they get the same bits). Each z[c] is the chain fma(d_r, w_rc, .) over r = 0, 1, ... from
    /// +0, exactly the order of the row-group path. rows = 0 gives +0 everywhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GemvTStrips<TOps, TVec>(ref float wr, int rows, nuint c, nuint s, ref float dr, ref float zr)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        nuint n = (nuint)TOps.Count, i = 0;
        for (; i + 4 * n <= c; i += 4 * n) GemvTStrip<TOps, TVec, Four>(ref wr, rows, i, s, ref dr, ref zr);
        if (i == c) return;
        if (i == 0)
        {
            // cols < 4 vectors: the whole vectors from 0, then the overlapping last one.
            nuint whole = c / n;
            if (whole == 1) GemvTStrip<TOps, TVec, One>(ref wr, rows, 0, s, ref dr, ref zr);
            else if (whole == 2) GemvTStrip<TOps, TVec, Two>(ref wr, rows, 0, s, ref dr, ref zr);
            else GemvTStrip<TOps, TVec, Three>(ref wr, rows, 0, s, ref dr, ref zr);
            if (whole * n != c) GemvTStrip<TOps, TVec, One>(ref wr, rows, c - n, s, ref dr, ref zr);
            return;
        }
        nuint left = (c - i + n - 1) / n; // vectors still needed, 1..4; c >= 4 vectors, so the strip fits ending at c
        if (left == 1) GemvTStrip<TOps, TVec, One>(ref wr, rows, c - n, s, ref dr, ref zr);
        else if (left == 2) GemvTStrip<TOps, TVec, Two>(ref wr, rows, c - 2 * n, s, ref dr, ref zr);
        else if (left == 3) GemvTStrip<TOps, TVec, Three>(ref wr, rows, c - 3 * n, s, ref dr, ref zr);
        else GemvTStrip<TOps, TVec, Four>(ref wr, rows, c - 4 * n, s, ref dr, ref zr);
    }

    /// <summary>z[i .. i + V n) = W[:, i .. i + V n)^T d for V = TWidth.Value vectors (a JIT-time constant).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GemvTStrip<TOps, TVec, TWidth>(ref float wr, int rows, nuint i, nuint s, ref float dr, ref float zr)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TWidth : struct, ICount
    {
        nuint n = (nuint)TOps.Count;
        int v = TWidth.Value;
        TVec a0 = TOps.Zero, a1 = a0, a2 = a0, a3 = a0;
        // An offset, not a moving ref: a ref stepped past the last row would point outside W (not allowed for the GC).
        nuint at = i;
        for (int r = 0; r < rows; r++, at += s)
        {
            TVec dv = TOps.Broadcast(Unsafe.Add(ref dr, r));
            a0 = TOps.MultiplyAdd(dv, TOps.Load(ref wr, at), a0);
            if (v >= 2) a1 = TOps.MultiplyAdd(dv, TOps.Load(ref wr, at + n), a1);
            if (v >= 3) a2 = TOps.MultiplyAdd(dv, TOps.Load(ref wr, at + 2 * n), a2);
            if (v >= 4) a3 = TOps.MultiplyAdd(dv, TOps.Load(ref wr, at + 3 * n), a3);
        }
        TOps.Store(a0, ref zr, i);
        if (v >= 2) TOps.Store(a1, ref zr, i + n);
        if (v >= 3) TOps.Store(a2, ref zr, i + 2 * n);
        if (v >= 4) TOps.Store(a3, ref zr, i + 3 * n);
    }

    /// <summary>A count (vectors, rows or terms) fixed at JIT time: the struct type argument picks it, the untaken branches vanish.</summary>
    private interface ICount { static abstract int Value { get; } }
    private readonly struct One : ICount { public static int Value => 1; }
    private readonly struct Two : ICount { public static int Value => 2; }
    private readonly struct Three : ICount { public static int Value => 3; }
    private readonly struct Four : ICount { public static int Value => 4; }

    /// <summary>Compile-time choice for the first row group: add to z, or write it.</summary>
    private interface IAccumulateFlag { static abstract bool Value { get; } }
    private readonly struct AddToZ : IAccumulateFlag { public static bool Value => true; }
    private readonly struct WriteZ : IAccumulateFlag { public static bool Value => false; }

    /// <summary>z (+)= d0 w0 + ... + d7 w7 for eight rows of W at stride s; one load and store of z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void AddRows8<TOps, TVec, TAcc>(ref float zr, nuint c, ref float w0, nuint s, ref float dg)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TAcc : struct, IAccumulateFlag
    {
        nuint n = (nuint)TOps.Count, last = c - n;
        ref float w1 = ref Unsafe.Add(ref w0, s);
        ref float w2 = ref Unsafe.Add(ref w1, s);
        ref float w3 = ref Unsafe.Add(ref w2, s);
        ref float w4 = ref Unsafe.Add(ref w3, s);
        ref float w5 = ref Unsafe.Add(ref w4, s);
        ref float w6 = ref Unsafe.Add(ref w5, s);
        ref float w7 = ref Unsafe.Add(ref w6, s);
        TVec d0 = TOps.Broadcast(dg), d1 = TOps.Broadcast(Unsafe.Add(ref dg, 1)), d2 = TOps.Broadcast(Unsafe.Add(ref dg, 2)), d3 = TOps.Broadcast(Unsafe.Add(ref dg, 3));
        TVec d4 = TOps.Broadcast(Unsafe.Add(ref dg, 4)), d5 = TOps.Broadcast(Unsafe.Add(ref dg, 5)), d6 = TOps.Broadcast(Unsafe.Add(ref dg, 6)), d7 = TOps.Broadcast(Unsafe.Add(ref dg, 7));
        // Overlapping last vector from the values before this group, stored after the loop (see AxpyRef).
        TVec end = TAcc.Value ? TOps.Load(ref zr, last) : TOps.Zero;
        end = TOps.MultiplyAdd(d0, TOps.Load(ref w0, last), end); end = TOps.MultiplyAdd(d1, TOps.Load(ref w1, last), end);
        end = TOps.MultiplyAdd(d2, TOps.Load(ref w2, last), end); end = TOps.MultiplyAdd(d3, TOps.Load(ref w3, last), end);
        end = TOps.MultiplyAdd(d4, TOps.Load(ref w4, last), end); end = TOps.MultiplyAdd(d5, TOps.Load(ref w5, last), end);
        end = TOps.MultiplyAdd(d6, TOps.Load(ref w6, last), end); end = TOps.MultiplyAdd(d7, TOps.Load(ref w7, last), end);
        nuint i = 0;
        for (; i + 2 * n <= c; i += 2 * n)
        {
            nuint j = i + n;
            TVec za = TOps.MultiplyAdd(d0, TOps.Load(ref w0, i), TAcc.Value ? TOps.Load(ref zr, i) : TOps.Zero);
            TVec zb = TOps.MultiplyAdd(d0, TOps.Load(ref w0, j), TAcc.Value ? TOps.Load(ref zr, j) : TOps.Zero);
            za = TOps.MultiplyAdd(d1, TOps.Load(ref w1, i), za); zb = TOps.MultiplyAdd(d1, TOps.Load(ref w1, j), zb);
            za = TOps.MultiplyAdd(d2, TOps.Load(ref w2, i), za); zb = TOps.MultiplyAdd(d2, TOps.Load(ref w2, j), zb);
            za = TOps.MultiplyAdd(d3, TOps.Load(ref w3, i), za); zb = TOps.MultiplyAdd(d3, TOps.Load(ref w3, j), zb);
            za = TOps.MultiplyAdd(d4, TOps.Load(ref w4, i), za); zb = TOps.MultiplyAdd(d4, TOps.Load(ref w4, j), zb);
            za = TOps.MultiplyAdd(d5, TOps.Load(ref w5, i), za); zb = TOps.MultiplyAdd(d5, TOps.Load(ref w5, j), zb);
            za = TOps.MultiplyAdd(d6, TOps.Load(ref w6, i), za); zb = TOps.MultiplyAdd(d6, TOps.Load(ref w6, j), zb);
            za = TOps.MultiplyAdd(d7, TOps.Load(ref w7, i), za); zb = TOps.MultiplyAdd(d7, TOps.Load(ref w7, j), zb);
            TOps.Store(za, ref zr, i);
            TOps.Store(zb, ref zr, j);
        }
        for (; i + n <= c; i += n)
        {
            TVec za = TOps.MultiplyAdd(d0, TOps.Load(ref w0, i), TAcc.Value ? TOps.Load(ref zr, i) : TOps.Zero);
            za = TOps.MultiplyAdd(d1, TOps.Load(ref w1, i), za);
            za = TOps.MultiplyAdd(d2, TOps.Load(ref w2, i), za);
            za = TOps.MultiplyAdd(d3, TOps.Load(ref w3, i), za);
            za = TOps.MultiplyAdd(d4, TOps.Load(ref w4, i), za);
            za = TOps.MultiplyAdd(d5, TOps.Load(ref w5, i), za);
            za = TOps.MultiplyAdd(d6, TOps.Load(ref w6, i), za);
            za = TOps.MultiplyAdd(d7, TOps.Load(ref w7, i), za);
            TOps.Store(za, ref zr, i);
        }
        TOps.Store(end, ref zr, last);
    }

    /// <summary>z (+)= d0 w0 + d1 w1 + d2 w2 + d3 w3 for four rows of W at stride s; one load and store of z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void AddRows4<TOps, TVec, TAcc>(ref float zr, nuint c, ref float w0, nuint s, ref float dg)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TAcc : struct, IAccumulateFlag
    {
        nuint n = (nuint)TOps.Count, last = c - n;
        ref float w1 = ref Unsafe.Add(ref w0, s);
        ref float w2 = ref Unsafe.Add(ref w1, s);
        ref float w3 = ref Unsafe.Add(ref w2, s);
        TVec d0 = TOps.Broadcast(dg), d1 = TOps.Broadcast(Unsafe.Add(ref dg, 1)), d2 = TOps.Broadcast(Unsafe.Add(ref dg, 2)), d3 = TOps.Broadcast(Unsafe.Add(ref dg, 3));
        TVec end = TAcc.Value ? TOps.Load(ref zr, last) : TOps.Zero;
        end = TOps.MultiplyAdd(d0, TOps.Load(ref w0, last), end); end = TOps.MultiplyAdd(d1, TOps.Load(ref w1, last), end);
        end = TOps.MultiplyAdd(d2, TOps.Load(ref w2, last), end); end = TOps.MultiplyAdd(d3, TOps.Load(ref w3, last), end);
        for (nuint i = 0; i + n <= c; i += n)
        {
            TVec za = TOps.MultiplyAdd(d0, TOps.Load(ref w0, i), TAcc.Value ? TOps.Load(ref zr, i) : TOps.Zero);
            za = TOps.MultiplyAdd(d1, TOps.Load(ref w1, i), za);
            za = TOps.MultiplyAdd(d2, TOps.Load(ref w2, i), za);
            za = TOps.MultiplyAdd(d3, TOps.Load(ref w3, i), za);
            TOps.Store(za, ref zr, i);
        }
        TOps.Store(end, ref zr, last);
    }

    /// <summary>z (+)= d0 w0 + d1 w1 for two rows of W at stride s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void AddRows2<TOps, TVec, TAcc>(ref float zr, nuint c, ref float w0, nuint s, ref float dg)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TAcc : struct, IAccumulateFlag
    {
        nuint n = (nuint)TOps.Count, last = c - n;
        ref float w1 = ref Unsafe.Add(ref w0, s);
        TVec d0 = TOps.Broadcast(dg), d1 = TOps.Broadcast(Unsafe.Add(ref dg, 1));
        TVec end = TOps.MultiplyAdd(d1, TOps.Load(ref w1, last), TOps.MultiplyAdd(d0, TOps.Load(ref w0, last), TAcc.Value ? TOps.Load(ref zr, last) : TOps.Zero));
        for (nuint i = 0; i + n <= c; i += n)
            TOps.Store(TOps.MultiplyAdd(d1, TOps.Load(ref w1, i), TOps.MultiplyAdd(d0, TOps.Load(ref w0, i), TAcc.Value ? TOps.Load(ref zr, i) : TOps.Zero)), ref zr, i);
        TOps.Store(end, ref zr, last);
    }

    /// <summary>z (+)= d0 w0 for one row of W.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void AddRow1<TOps, TVec, TAcc>(ref float zr, nuint c, ref float w0, ref float dg)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TAcc : struct, IAccumulateFlag
    {
        nuint n = (nuint)TOps.Count, last = c - n;
        TVec d0 = TOps.Broadcast(dg);
        TVec end = TOps.MultiplyAdd(d0, TOps.Load(ref w0, last), TAcc.Value ? TOps.Load(ref zr, last) : TOps.Zero);
        for (nuint i = 0; i + n <= c; i += n)
            TOps.Store(TOps.MultiplyAdd(d0, TOps.Load(ref w0, i), TAcc.Value ? TOps.Load(ref zr, i) : TOps.Zero), ref zr, i);
        TOps.Store(end, ref zr, last);
    }
}

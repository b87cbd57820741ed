using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SbeCore.Kernels;

public static partial class Blas
{
    // z = W^T d runs along the rows of W: z (L1-resident) += d_r w_r for row groups of 8 (then 4, 2, 1), so z is
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
        if (rows == 0)
        {
            for (nuint i = 0; i < c - n; i += n) TOps.Store(TOps.Zero, ref zr, i);
            TOps.Store(TOps.Zero, ref zr, c - n);
            return;
        }
        int r = 0;
        if (rows >= 8)
        {
            AddRows8<TOps, TVec, WriteZ>(ref zr, c, ref wr, s, ref dr);
            for (r = 8; r + 8 <= rows; r += 8)
                AddRows8<TOps, TVec, AddToZ>(ref zr, c, ref Unsafe.Add(ref wr, (nuint)r * s), s, ref Unsafe.Add(ref dr, r));
        }
        if (r + 4 <= rows)
        {
            if (r == 0) AddRows4<TOps, TVec, WriteZ>(ref zr, c, ref wr, s, ref dr);
            else AddRows4<TOps, TVec, AddToZ>(ref zr, c, ref Unsafe.Add(ref wr, (nuint)r * s), s, ref Unsafe.Add(ref dr, r));
            r += 4;
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
        for (nuint i = 0; i + n <= c; i += n)
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

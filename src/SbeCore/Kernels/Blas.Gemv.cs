using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

public static partial class Blas
{
    internal static void Gemv512(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, Span<float> y) => GemvCore<Simd512, Vector512<float>>(w, rows, cols, stride, x, y);
    internal static void Gemv256(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, Span<float> y) => GemvCore<Simd256, Vector256<float>>(w, rows, cols, stride, x, y);
    internal static void Gemv128(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, Span<float> y) => GemvCore<Simd128, Vector128<float>>(w, rows, cols, stride, x, y);

    internal static void GemvScalar(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, Span<float> y)
    {
        if (cols == 0) { y.Slice(0, rows).Clear(); return; } // w may be empty: no row slices
        for (int r = 0; r < rows; r++) y[r] = DotScalar(w.Slice(r * stride, cols), x);
    }

    internal static void GemvT512(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, Span<float> z) => GemvTCore<Simd512, Vector512<float>>(w, rows, cols, stride, d, z);
    internal static void GemvT256(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, Span<float> z) => GemvTCore<Simd256, Vector256<float>>(w, rows, cols, stride, d, z);
    internal static void GemvT128(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, Span<float> z) => GemvTCore<Simd128, Vector128<float>>(w, rows, cols, stride, d, z);

    internal static void GemvTScalar(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, Span<float> z)
    {
        z = z.Slice(0, cols);
        z.Clear();
        if (cols == 0) return;
        for (int r = 0; r < rows; r++) AxpyScalar(d[r], w.Slice(r * stride, cols), z);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GemvCore<TOps, TVec>(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, Span<float> y)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        if (cols < TOps.Count) { GemvScalar(w, rows, cols, stride, x, y); return; }
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint c = (nuint)cols, s = (nuint)stride;
        int fresh = cols % TOps.Count;
        TVec mask = fresh != 0 ? TOps.TailMask(fresh) : TOps.Zero;
        int r = 0;
        // Row groups share each load of x: 8 rows with 32 vector registers (the 512-bit path: 16 accumulators, one x
        // load per 8 row loads), else 4; then 2 and 1. Each group ends in one transposing reduction per 4 rows. At a
        // stride of a multiple of 4 KiB all rows fall in the same L1 sets, and 8 rows x 2 lines plus x overflow the
        // 8 ways (32x1024: 1.34 against 1.16 us with groups of 4), so such strides keep groups of 4.
        if (TOps.Count == Vector512<float>.Count && stride % KernelTuning.AliasingStrideFloats != 0)
            for (; r + 8 <= rows; r += 8)
                GemvRows<TOps, TVec, Eight>(ref Unsafe.Add(ref wr, (nuint)r * s), s, ref xr, c, fresh, mask, ref Unsafe.Add(ref yr, r));
        for (; r + 4 <= rows; r += 4)
            GemvRows<TOps, TVec, Four>(ref Unsafe.Add(ref wr, (nuint)r * s), s, ref xr, c, fresh, mask, ref Unsafe.Add(ref yr, r));
        if (r + 2 <= rows)
        {
            GemvRows<TOps, TVec, Two>(ref Unsafe.Add(ref wr, (nuint)r * s), s, ref xr, c, fresh, mask, ref Unsafe.Add(ref yr, r));
            r += 2;
        }
        if (r < rows)
            Unsafe.Add(ref yr, r) = DotRef<TOps, TVec>(ref Unsafe.Add(ref wr, (nuint)r * s), ref xr, c);
    }

    /// <summary>y[0 .. R) = the dot products of R = TRows.Value rows of W (from w0 at stride s) with x, R in {2, 4, 8}.
    /// Two vectors per row per step (2R FMA chains); the masked last vector counts only the lanes the loop has not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GemvRows<TOps, TVec, TRows>(ref float w0, nuint s, ref float xr, nuint c, int fresh, TVec mask, ref float y)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TRows : struct, ICount
    {
        int rows = TRows.Value;
        nuint n = (nuint)TOps.Count, last = c - n;
        ref float w1 = ref Unsafe.Add(ref w0, s);
        ref float w2 = ref Unsafe.Add(ref w1, rows >= 4 ? s : 0);
        ref float w3 = ref Unsafe.Add(ref w2, rows >= 4 ? s : 0);
        ref float w4 = ref Unsafe.Add(ref w3, rows >= 8 ? s : 0);
        ref float w5 = ref Unsafe.Add(ref w4, rows >= 8 ? s : 0);
        ref float w6 = ref Unsafe.Add(ref w5, rows >= 8 ? s : 0);
        ref float w7 = ref Unsafe.Add(ref w6, rows >= 8 ? s : 0);
        TVec a0 = TOps.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        TVec b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        nuint i = 0;
        for (; i + 2 * n <= c; i += 2 * n)
        {
            TVec xa = TOps.Load(ref xr, i), xb = TOps.Load(ref xr, i + n);
            a0 = TOps.MultiplyAdd(TOps.Load(ref w0, i), xa, a0); b0 = TOps.MultiplyAdd(TOps.Load(ref w0, i + n), xb, b0);
            a1 = TOps.MultiplyAdd(TOps.Load(ref w1, i), xa, a1); b1 = TOps.MultiplyAdd(TOps.Load(ref w1, i + n), xb, b1);
            if (rows >= 4)
            {
                a2 = TOps.MultiplyAdd(TOps.Load(ref w2, i), xa, a2); b2 = TOps.MultiplyAdd(TOps.Load(ref w2, i + n), xb, b2);
                a3 = TOps.MultiplyAdd(TOps.Load(ref w3, i), xa, a3); b3 = TOps.MultiplyAdd(TOps.Load(ref w3, i + n), xb, b3);
            }
            if (rows >= 8)
            {
                a4 = TOps.MultiplyAdd(TOps.Load(ref w4, i), xa, a4); b4 = TOps.MultiplyAdd(TOps.Load(ref w4, i + n), xb, b4);
                a5 = TOps.MultiplyAdd(TOps.Load(ref w5, i), xa, a5); b5 = TOps.MultiplyAdd(TOps.Load(ref w5, i + n), xb, b5);
                a6 = TOps.MultiplyAdd(TOps.Load(ref w6, i), xa, a6); b6 = TOps.MultiplyAdd(TOps.Load(ref w6, i + n), xb, b6);
                a7 = TOps.MultiplyAdd(TOps.Load(ref w7, i), xa, a7); b7 = TOps.MultiplyAdd(TOps.Load(ref w7, i + n), xb, b7);
            }
        }
        if (i + n <= c)
        {
            TVec xa = TOps.Load(ref xr, i);
            a0 = TOps.MultiplyAdd(TOps.Load(ref w0, i), xa, a0);
            a1 = TOps.MultiplyAdd(TOps.Load(ref w1, i), xa, a1);
            if (rows >= 4)
            {
                a2 = TOps.MultiplyAdd(TOps.Load(ref w2, i), xa, a2);
                a3 = TOps.MultiplyAdd(TOps.Load(ref w3, i), xa, a3);
            }
            if (rows >= 8)
            {
                a4 = TOps.MultiplyAdd(TOps.Load(ref w4, i), xa, a4); a5 = TOps.MultiplyAdd(TOps.Load(ref w5, i), xa, a5);
                a6 = TOps.MultiplyAdd(TOps.Load(ref w6, i), xa, a6); a7 = TOps.MultiplyAdd(TOps.Load(ref w7, i), xa, a7);
            }
        }
        if (fresh != 0)
        {
            TVec xm = TOps.And(TOps.Load(ref xr, last), mask);
            b0 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref w0, last), mask), xm, b0);
            b1 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref w1, last), mask), xm, b1);
            if (rows >= 4)
            {
                b2 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref w2, last), mask), xm, b2);
                b3 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref w3, last), mask), xm, b3);
            }
            if (rows >= 8)
            {
                b4 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref w4, last), mask), xm, b4);
                b5 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref w5, last), mask), xm, b5);
                b6 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref w6, last), mask), xm, b6);
                b7 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref w7, last), mask), xm, b7);
            }
        }
        if (rows == 2)
        {
            Vector128<float> sums = TOps.Sum4(TOps.Add(a0, b0), TOps.Add(a1, b1), TOps.Zero, TOps.Zero);
            y = sums.ToScalar();
            Unsafe.Add(ref y, 1) = sums.GetElement(1);
            return;
        }
        TOps.Sum4(TOps.Add(a0, b0), TOps.Add(a1, b1), TOps.Add(a2, b2), TOps.Add(a3, b3)).StoreUnsafe(ref y);
        if (rows >= 8)
            TOps.Sum4(TOps.Add(a4, b4), TOps.Add(a5, b5), TOps.Add(a6, b6), TOps.Add(a7, b7)).StoreUnsafe(ref y, 4);
    }

    private readonly struct Eight : ICount { public static int Value => 8; }
}

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
        nuint n = (nuint)TOps.Count, c = (nuint)cols, s = (nuint)stride;
        int fresh = cols % TOps.Count;
        TVec mask = fresh != 0 ? TOps.TailMask(fresh) : TOps.Zero;
        nuint last = c - n;
        int r = 0;
        // Four rows at a time share each load of x; two vectors per row per step give eight FMA chains.
        // The last group overlaps the previous one when rows % 4 != 0: rows computed twice get identical values.
        for (; rows >= 4 && r < rows; r += 4)
        {
            if (r + 4 > rows) r = rows - 4;
            ref float w0 = ref Unsafe.Add(ref wr, (nuint)r * s);
            ref float w1 = ref Unsafe.Add(ref w0, s);
            ref float w2 = ref Unsafe.Add(ref w1, s);
            ref float w3 = ref Unsafe.Add(ref w2, s);
            TVec a0 = TOps.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            nuint i = 0;
            for (; i + 2 * n <= c; i += 2 * n)
            {
                TVec xa = TOps.Load(ref xr, i), xb = TOps.Load(ref xr, i + n);
                a0 = TOps.MultiplyAdd(TOps.Load(ref w0, i), xa, a0);
                a1 = TOps.MultiplyAdd(TOps.Load(ref w1, i), xa, a1);
                a2 = TOps.MultiplyAdd(TOps.Load(ref w2, i), xa, a2);
                a3 = TOps.MultiplyAdd(TOps.Load(ref w3, i), xa, a3);
                b0 = TOps.MultiplyAdd(TOps.Load(ref w0, i + n), xb, b0);
                b1 = TOps.MultiplyAdd(TOps.Load(ref w1, i + n), xb, b1);
                b2 = TOps.MultiplyAdd(TOps.Load(ref w2, i + n), xb, b2);
                b3 = TOps.MultiplyAdd(TOps.Load(ref w3, i + n), xb, b3);
            }
            if (i + n <= c)
            {
                TVec xa = TOps.Load(ref xr, i);
                a0 = TOps.MultiplyAdd(TOps.Load(ref w0, i), xa, a0);
                a1 = TOps.MultiplyAdd(TOps.Load(ref w1, i), xa, a1);
                a2 = TOps.MultiplyAdd(TOps.Load(ref w2, i), xa, a2);
                a3 = TOps.MultiplyAdd(TOps.Load(ref w3, i), xa, a3);
            }
            if (fresh != 0)
            {
                TVec xm = TOps.And(TOps.Load(ref xr, last), mask);
                b0 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref w0, last), mask), xm, b0);
                b1 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref w1, last), mask), xm, b1);
                b2 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref w2, last), mask), xm, b2);
                b3 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref w3, last), mask), xm, b3);
            }
            TOps.Sum4(TOps.Add(a0, b0), TOps.Add(a1, b1), TOps.Add(a2, b2), TOps.Add(a3, b3)).StoreUnsafe(ref yr, (nuint)r);
        }
        for (; r < rows; r++)
            Unsafe.Add(ref yr, r) = DotRef<TOps, TVec>(ref Unsafe.Add(ref wr, (nuint)r * s), ref xr, c);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

public static partial class Blas
{
    internal static void Axpy512(float a, ReadOnlySpan<float> x, Span<float> y) => AxpyCore<Simd512, Vector512<float>>(a, x, y);
    internal static void Axpy256(float a, ReadOnlySpan<float> x, Span<float> y) => AxpyCore<Simd256, Vector256<float>>(a, x, y);
    internal static void Axpy128(float a, ReadOnlySpan<float> x, Span<float> y) => AxpyCore<Simd128, Vector128<float>>(a, x, y);

    internal static void AxpyScalar(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] += a * x[i];
    }

    internal static void Scale512(float a, Span<float> x) => ScaleCore<Simd512, Vector512<float>>(a, x);
    internal static void Scale256(float a, Span<float> x) => ScaleCore<Simd256, Vector256<float>>(a, x);
    internal static void Scale128(float a, Span<float> x) => ScaleCore<Simd128, Vector128<float>>(a, x);

    internal static void ScaleScalar(float a, Span<float> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= a;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AxpyCore<TOps, TVec>(float a, ReadOnlySpan<float> x, Span<float> y)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        if (x.Length < TOps.Count) { AxpyScalar(a, x, y); return; }
        AxpyRef<TOps, TVec>(TOps.Broadcast(a), ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), (nuint)x.Length);
    }

    /// <summary>y += a x over refs (length at least one vector). Also the row update of Ger.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AxpyRef<TOps, TVec>(TVec a, ref float x, ref float y, nuint length)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        nuint n = (nuint)TOps.Count;
        // A partial last vector is computed from the original values before the loop and stored after it, so lanes
        // the loop already updated are rewritten with the same value, not updated twice. Without one, the row streams
        // strictly in order (a stream from memory runs faster without the jump to its end and back).
        nuint last = length - n, start = HeadBeforeBoundary<TOps, TVec>(ref y), i = start;
        bool partial = (length - start) % n != 0;
        TVec end = partial ? TOps.MultiplyAdd(a, TOps.Load(ref x, last), TOps.Load(ref y, last)) : default;
        for (; i + 4 * n <= length; i += 4 * n)
        {
            TVec y0 = TOps.MultiplyAdd(a, TOps.Load(ref x, i), TOps.Load(ref y, i));
            TVec y1 = TOps.MultiplyAdd(a, TOps.Load(ref x, i + n), TOps.Load(ref y, i + n));
            TVec y2 = TOps.MultiplyAdd(a, TOps.Load(ref x, i + 2 * n), TOps.Load(ref y, i + 2 * n));
            TVec y3 = TOps.MultiplyAdd(a, TOps.Load(ref x, i + 3 * n), TOps.Load(ref y, i + 3 * n));
            TOps.Store(y0, ref y, i);
            TOps.Store(y1, ref y, i + n);
            TOps.Store(y2, ref y, i + 2 * n);
            TOps.Store(y3, ref y, i + 3 * n);
        }
        for (; i + n <= length; i += n)
            TOps.Store(TOps.MultiplyAdd(a, TOps.Load(ref x, i), TOps.Load(ref y, i)), ref y, i);
        if (start != 0) // the head before the loop's start, its other lanes (updated by now) stored back as they are
        {
            TVec y0 = TOps.Load(ref y, 0);
            TOps.Store(TOps.Select(TOps.TailMask((int)(n - start)), y0, TOps.MultiplyAdd(a, TOps.Load(ref x, 0), y0)), ref y, 0);
        }
        if (partial) TOps.Store(end, ref y, last);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScaleCore<TOps, TVec>(float a, Span<float> x)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        if (x.Length < TOps.Count) { ScaleScalar(a, x); return; }
        ScaleRef<TOps, TVec>(TOps.Broadcast(a), ref MemoryMarshal.GetReference(x), (nuint)x.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScaleRef<TOps, TVec>(TVec a, ref float x, nuint length)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        nuint n = (nuint)TOps.Count;
        nuint last = length - n;
        TVec end = TOps.Multiply(a, TOps.Load(ref x, last));
        nuint i = 0;
        for (; i + 4 * n <= length; i += 4 * n)
        {
            TVec x0 = TOps.Multiply(a, TOps.Load(ref x, i));
            TVec x1 = TOps.Multiply(a, TOps.Load(ref x, i + n));
            TVec x2 = TOps.Multiply(a, TOps.Load(ref x, i + 2 * n));
            TVec x3 = TOps.Multiply(a, TOps.Load(ref x, i + 3 * n));
            TOps.Store(x0, ref x, i);
            TOps.Store(x1, ref x, i + n);
            TOps.Store(x2, ref x, i + 2 * n);
            TOps.Store(x3, ref x, i + 3 * n);
        }
        for (; i + n <= length; i += n)
            TOps.Store(TOps.Multiply(a, TOps.Load(ref x, i)), ref x, i);
        TOps.Store(end, ref x, last);
    }
}

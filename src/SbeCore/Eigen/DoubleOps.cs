using SbeCore.Kernels;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Eigen;

/// <summary>
/// Double-precision dot and axpy for the exact SVD's small dense work. One generic body per loop over
/// <see cref="ISimdDoubleOps{TVec}"/>; the entry points pick the widest accelerated width whose vector fits the length
/// (a short vector falls to a narrower width, not straight to scalar). Lengths are the caller's (internal, unchecked):
/// y must be at least as long as x.
/// </summary>
internal static class DoubleOps
{
    /// <summary>x . y over the length of x.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        return SimdDispatch.ForDouble(n) switch
        {
            SimdWidth.V512 => Dot512(x, y),
            SimdWidth.V256 => Dot256(x, y),
            SimdWidth.V128 => Dot128(x, y),
            _ => DotScalar(x, y),
        };
    }

    /// <summary>y += a x.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        switch (SimdDispatch.ForDouble(n))
        {
            case SimdWidth.V512: Axpy512(a, x, y); break;
            case SimdWidth.V256: Axpy256(a, x, y); break;
            case SimdWidth.V128: Axpy128(a, x, y); break;
            default: AxpyScalar(a, x, y); break;
        }
    }

    /// <summary>y += a x with x in float (each element widened exactly).</summary>
    public static void Axpy(double a, ReadOnlySpan<float> x, Span<double> y)
    {
        int n = x.Length;
        switch (SimdDispatch.ForDouble(n))
        {
            case SimdWidth.V512: Axpy512(a, x, y); break;
            case SimdWidth.V256: Axpy256(a, x, y); break;
            case SimdWidth.V128: Axpy128(a, x, y); break;
            default: AxpyScalar(a, x, y); break;
        }
    }

    // Width entry points (tests and benchmarks call them directly).

    internal static double Dot512(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => DotCore<Simd512d, Vector512<double>>(x, y);
    internal static double Dot256(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => DotCore<Simd256d, Vector256<double>>(x, y);
    internal static double Dot128(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => DotCore<Simd128d, Vector128<double>>(x, y);

    internal static double DotScalar(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        y = y.Slice(0, x.Length);
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    internal static void Axpy512(double a, ReadOnlySpan<double> x, Span<double> y) => AxpyCore<Simd512d, Vector512<double>>(a, x, y);
    internal static void Axpy256(double a, ReadOnlySpan<double> x, Span<double> y) => AxpyCore<Simd256d, Vector256<double>>(a, x, y);
    internal static void Axpy128(double a, ReadOnlySpan<double> x, Span<double> y) => AxpyCore<Simd128d, Vector128<double>>(a, x, y);

    internal static void AxpyScalar(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        y = y.Slice(0, x.Length);
        for (int i = 0; i < x.Length; i++) y[i] += a * x[i];
    }

    internal static void Axpy512(double a, ReadOnlySpan<float> x, Span<double> y) => AxpyWidenedCore<Simd512d, Vector512<double>>(a, x, y);
    internal static void Axpy256(double a, ReadOnlySpan<float> x, Span<double> y) => AxpyWidenedCore<Simd256d, Vector256<double>>(a, x, y);
    internal static void Axpy128(double a, ReadOnlySpan<float> x, Span<double> y) => AxpyWidenedCore<Simd128d, Vector128<double>>(a, x, y);

    internal static void AxpyScalar(double a, ReadOnlySpan<float> x, Span<double> y)
    {
        y = y.Slice(0, x.Length);
        for (int i = 0; i < x.Length; i++) y[i] += a * x[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double DotCore<TOps, TVec>(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        nuint n = (nuint)x.Length, w = (nuint)TOps.Count, i = 0;
        ref double rx = ref MemoryMarshal.GetReference(x);
        ref double ry = ref MemoryMarshal.GetReference(y.Slice(0, x.Length));
        // Two accumulators hide the FMA latency (these dots are short: n x n matrices and eigenvector rows).
        TVec a0 = TOps.Zero, a1 = a0;
        for (; i + 2 * w <= n; i += 2 * w)
        {
            a0 = TOps.MultiplyAdd(TOps.Load(ref rx, i), TOps.Load(ref ry, i), a0);
            a1 = TOps.MultiplyAdd(TOps.Load(ref rx, i + w), TOps.Load(ref ry, i + w), a1);
        }
        if (i + w <= n) { a0 = TOps.MultiplyAdd(TOps.Load(ref rx, i), TOps.Load(ref ry, i), a0); i += w; }
        double s = TOps.Sum(TOps.Add(a0, a1));
        for (; i < n; i++) s += Unsafe.Add(ref rx, i) * Unsafe.Add(ref ry, i);
        return s;
    }

    /// <summary>Dot of two rows whose length is a whole number of vectors (the padded rows of <see cref="SvdKernels"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double DotWhole<TOps, TVec>(ref double x, ref double y, nuint length)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        nuint w = (nuint)TOps.Count, i = 0;
        TVec a0 = TOps.Zero, a1 = a0;
        for (; i + 2 * w <= length; i += 2 * w)
        {
            a0 = TOps.MultiplyAdd(TOps.Load(ref x, i), TOps.Load(ref y, i), a0);
            a1 = TOps.MultiplyAdd(TOps.Load(ref x, i + w), TOps.Load(ref y, i + w), a1);
        }
        if (i < length) a0 = TOps.MultiplyAdd(TOps.Load(ref x, i), TOps.Load(ref y, i), a0);
        return TOps.Sum(TOps.Add(a0, a1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AxpyCore<TOps, TVec>(double a, ReadOnlySpan<double> x, Span<double> y)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        nuint n = (nuint)x.Length, w = (nuint)TOps.Count, i = 0;
        ref double rx = ref MemoryMarshal.GetReference(x);
        ref double ry = ref MemoryMarshal.GetReference(y.Slice(0, x.Length));
        TVec av = TOps.Broadcast(a);
        for (; i + w <= n; i += w) TOps.Store(TOps.MultiplyAdd(av, TOps.Load(ref rx, i), TOps.Load(ref ry, i)), ref ry, i);
        for (; i < n; i++) Unsafe.Add(ref ry, i) += a * Unsafe.Add(ref rx, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AxpyWidenedCore<TOps, TVec>(double a, ReadOnlySpan<float> x, Span<double> y)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        nuint n = (nuint)x.Length, w = (nuint)TOps.Count, i = 0;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref double ry = ref MemoryMarshal.GetReference(y.Slice(0, x.Length));
        TVec av = TOps.Broadcast(a);
        for (; i + w <= n; i += w) TOps.Store(TOps.MultiplyAdd(av, TOps.LoadWidened(ref rx, i), TOps.Load(ref ry, i)), ref ry, i);
        for (; i < n; i++) Unsafe.Add(ref ry, i) += a * Unsafe.Add(ref rx, i);
    }
}

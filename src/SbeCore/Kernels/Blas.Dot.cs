using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

public static partial class Blas
{
    internal static float Dot512(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DotCore<Simd512, Vector512<float>>(x, y);
    internal static float Dot256(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DotCore<Simd256, Vector256<float>>(x, y);
    internal static float Dot128(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DotCore<Simd128, Vector128<float>>(x, y);

    internal static float DotScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float DotCore<TOps, TVec>(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        if (x.Length < TOps.Count) return DotScalar(x, y);
        return DotRef<TOps, TVec>(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), (nuint)x.Length);
    }

    /// <summary>Dot over refs; <paramref name="length"/> must be at least one vector.</summary>
    private static float DotRef<TOps, TVec>(ref float x, ref float y, nuint length)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        nuint n = (nuint)TOps.Count;
        // Four accumulators hide the FMA latency.
        TVec a0 = TOps.Zero, a1 = a0, a2 = a0, a3 = a0;
        nuint i = 0;
        for (; i + 4 * n <= length; i += 4 * n)
        {
            a0 = TOps.MultiplyAdd(TOps.Load(ref x, i), TOps.Load(ref y, i), a0);
            a1 = TOps.MultiplyAdd(TOps.Load(ref x, i + n), TOps.Load(ref y, i + n), a1);
            a2 = TOps.MultiplyAdd(TOps.Load(ref x, i + 2 * n), TOps.Load(ref y, i + 2 * n), a2);
            a3 = TOps.MultiplyAdd(TOps.Load(ref x, i + 3 * n), TOps.Load(ref y, i + 3 * n), a3);
        }
        for (; i + n <= length; i += n)
            a0 = TOps.MultiplyAdd(TOps.Load(ref x, i), TOps.Load(ref y, i), a0);
        if (i < length)
        {
            // Overlapping last vector; the lanes already summed are masked to zero on both sides.
            nuint last = length - n;
            TVec mask = TOps.TailMask((int)(length - i));
            a1 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref x, last), mask), TOps.And(TOps.Load(ref y, last), mask), a1);
        }
        return TOps.Sum(TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3)));
    }

    // Nrm2: float lanes widened to double before squaring, so the sum is exact-ish and cannot overflow.

    internal static double Nrm2Scalar(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x) s += (double)v * v;
        return Math.Sqrt(s);
    }

    internal static double Nrm2_512(ReadOnlySpan<float> x)
    {
        nuint n = (nuint)Vector512<float>.Count, len = (nuint)x.Length;
        if (len < n) return Nrm2Scalar(x);
        ref float r = ref MemoryMarshal.GetReference(x);
        Vector512<double> a0 = Vector512<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
        nuint i = 0;
        for (; i + 2 * n <= len; i += 2 * n)
        {
            (Vector512<double> l0, Vector512<double> h0) = Vector512.Widen(Vector512.LoadUnsafe(ref r, i));
            (Vector512<double> l1, Vector512<double> h1) = Vector512.Widen(Vector512.LoadUnsafe(ref r, i + n));
            a0 = Vector512.MultiplyAddEstimate(l0, l0, a0); a1 = Vector512.MultiplyAddEstimate(h0, h0, a1);
            a2 = Vector512.MultiplyAddEstimate(l1, l1, a2); a3 = Vector512.MultiplyAddEstimate(h1, h1, a3);
        }
        if (i + n <= len)
        {
            (Vector512<double> l, Vector512<double> h) = Vector512.Widen(Vector512.LoadUnsafe(ref r, i));
            a0 = Vector512.MultiplyAddEstimate(l, l, a0); a1 = Vector512.MultiplyAddEstimate(h, h, a1);
            i += n;
        }
        if (i < len)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref r, len - n) & Simd512.TailMask((int)(len - i));
            (Vector512<double> l, Vector512<double> h) = Vector512.Widen(v);
            a2 = Vector512.MultiplyAddEstimate(l, l, a2); a3 = Vector512.MultiplyAddEstimate(h, h, a3);
        }
        return Math.Sqrt(Vector512.Sum((a0 + a1) + (a2 + a3)));
    }

    internal static double Nrm2_256(ReadOnlySpan<float> x)
    {
        nuint n = (nuint)Vector256<float>.Count, len = (nuint)x.Length;
        if (len < n) return Nrm2Scalar(x);
        ref float r = ref MemoryMarshal.GetReference(x);
        Vector256<double> a0 = Vector256<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
        nuint i = 0;
        for (; i + 2 * n <= len; i += 2 * n)
        {
            (Vector256<double> l0, Vector256<double> h0) = Vector256.Widen(Vector256.LoadUnsafe(ref r, i));
            (Vector256<double> l1, Vector256<double> h1) = Vector256.Widen(Vector256.LoadUnsafe(ref r, i + n));
            a0 = Vector256.MultiplyAddEstimate(l0, l0, a0); a1 = Vector256.MultiplyAddEstimate(h0, h0, a1);
            a2 = Vector256.MultiplyAddEstimate(l1, l1, a2); a3 = Vector256.MultiplyAddEstimate(h1, h1, a3);
        }
        if (i + n <= len)
        {
            (Vector256<double> l, Vector256<double> h) = Vector256.Widen(Vector256.LoadUnsafe(ref r, i));
            a0 = Vector256.MultiplyAddEstimate(l, l, a0); a1 = Vector256.MultiplyAddEstimate(h, h, a1);
            i += n;
        }
        if (i < len)
        {
            Vector256<float> v = Vector256.LoadUnsafe(ref r, len - n) & Simd256.TailMask((int)(len - i));
            (Vector256<double> l, Vector256<double> h) = Vector256.Widen(v);
            a2 = Vector256.MultiplyAddEstimate(l, l, a2); a3 = Vector256.MultiplyAddEstimate(h, h, a3);
        }
        return Math.Sqrt(Vector256.Sum((a0 + a1) + (a2 + a3)));
    }

    internal static double Nrm2_128(ReadOnlySpan<float> x)
    {
        nuint n = (nuint)Vector128<float>.Count, len = (nuint)x.Length;
        if (len < n) return Nrm2Scalar(x);
        ref float r = ref MemoryMarshal.GetReference(x);
        Vector128<double> a0 = Vector128<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
        nuint i = 0;
        for (; i + 2 * n <= len; i += 2 * n)
        {
            (Vector128<double> l0, Vector128<double> h0) = Vector128.Widen(Vector128.LoadUnsafe(ref r, i));
            (Vector128<double> l1, Vector128<double> h1) = Vector128.Widen(Vector128.LoadUnsafe(ref r, i + n));
            a0 = Vector128.MultiplyAddEstimate(l0, l0, a0); a1 = Vector128.MultiplyAddEstimate(h0, h0, a1);
            a2 = Vector128.MultiplyAddEstimate(l1, l1, a2); a3 = Vector128.MultiplyAddEstimate(h1, h1, a3);
        }
        if (i + n <= len)
        {
            (Vector128<double> l, Vector128<double> h) = Vector128.Widen(Vector128.LoadUnsafe(ref r, i));
            a0 = Vector128.MultiplyAddEstimate(l, l, a0); a1 = Vector128.MultiplyAddEstimate(h, h, a1);
            i += n;
        }
        if (i < len)
        {
            Vector128<float> v = Vector128.LoadUnsafe(ref r, len - n) & Simd128.TailMask((int)(len - i));
            (Vector128<double> l, Vector128<double> h) = Vector128.Widen(v);
            a2 = Vector128.MultiplyAddEstimate(l, l, a2); a3 = Vector128.MultiplyAddEstimate(h, h, a3);
        }
        return Math.Sqrt(Vector128.Sum((a0 + a1) + (a2 + a3)));
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

public static partial class Blas
{
    internal static float Dot512(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DotCore<Simd512, Vector512<float>>(x, y);
    internal static float Dot256(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DotCore<Simd256, Vector256<float>>(x, y);
    internal static float Dot128(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DotCore<Simd128, Vector128<float>>(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    internal static double Nrm2_512(ReadOnlySpan<float> x) => Nrm2Core<Simd512, Vector512<float>, Vector512<double>>(x);
    internal static double Nrm2_256(ReadOnlySpan<float> x) => Nrm2Core<Simd256, Vector256<float>, Vector256<double>>(x);
    internal static double Nrm2_128(ReadOnlySpan<float> x) => Nrm2Core<Simd128, Vector128<float>, Vector128<double>>(x);

    internal static double Nrm2Scalar(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x) s += (double)v * v;
        return Math.Sqrt(s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Nrm2Core<TOps, TVec, TWide>(ReadOnlySpan<float> x)
        where TOps : struct, ISimdWideningOps<TVec, TWide> where TVec : struct where TWide : struct
    {
        nuint n = (nuint)TOps.Count, length = (nuint)x.Length;
        if (length < n) return Nrm2Scalar(x);
        ref float r = ref MemoryMarshal.GetReference(x);
        // Each float vector widens into two double vectors: four double accumulators over two float vectors a step.
        TWide a0 = TOps.WideZero, a1 = a0, a2 = a0, a3 = a0;
        nuint i = 0;
        for (; i + 2 * n <= length; i += 2 * n)
        {
            (TWide l0, TWide h0) = TOps.Widen(TOps.Load(ref r, i));
            (TWide l1, TWide h1) = TOps.Widen(TOps.Load(ref r, i + n));
            a0 = TOps.MultiplyAddWide(l0, l0, a0); a1 = TOps.MultiplyAddWide(h0, h0, a1);
            a2 = TOps.MultiplyAddWide(l1, l1, a2); a3 = TOps.MultiplyAddWide(h1, h1, a3);
        }
        if (i + n <= length)
        {
            (TWide l, TWide h) = TOps.Widen(TOps.Load(ref r, i));
            a0 = TOps.MultiplyAddWide(l, l, a0); a1 = TOps.MultiplyAddWide(h, h, a1);
            i += n;
        }
        if (i < length)
        {
            // Overlapping last vector; the lanes already summed are masked to zero.
            (TWide l, TWide h) = TOps.Widen(TOps.And(TOps.Load(ref r, length - n), TOps.TailMask((int)(length - i))));
            a2 = TOps.MultiplyAddWide(l, l, a2); a3 = TOps.MultiplyAddWide(h, h, a3);
        }
        return Math.Sqrt(TOps.SumWide(TOps.AddWide(TOps.AddWide(a0, a1), TOps.AddWide(a2, a3))));
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Eigen;

/// <summary>
/// The one verdict on a sample (delta, x) that every estimator path applies before touching state, and the exact
/// power-of-two magnitudes it gives the normalisation. The largest |element| comes from one integer scan of the float
/// bits (sign cleared), which also finds NaN/Inf (bits &gt;= 0x7F800000) and never overflows.
/// </summary>
internal static class SampleScale
{
    private const uint NonFiniteBits = 0x7F800000;

    /// <summary>Bound on |delta|, |x| (sqrt(len) * max|element|) and on |delta| |x|: above it the estimator's float
    /// dots or its s would overflow, so the sample is refused as too large.</summary>
    public static readonly double Limit = Math.ScaleB(1.0, 125);

    /// <summary>max |v_i| (finite inputs), or NaN when v holds a NaN or an infinity.</summary>
    public static float MaxAbs(ReadOnlySpan<float> v)
    {
        ref uint r = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(v));
        nuint n = (nuint)v.Length, i = 0;
        uint max = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<uint>.Count)
        {
            Vector512<uint> mask = Vector512.Create(0x7FFFFFFFu), a0 = Vector512<uint>.Zero, a1 = a0;
            nuint w = (nuint)Vector512<uint>.Count;
            for (; i + 2 * w <= n; i += 2 * w)
            {
                a0 = Vector512.Max(a0, Vector512.LoadUnsafe(ref r, i) & mask);
                a1 = Vector512.Max(a1, Vector512.LoadUnsafe(ref r, i + w) & mask);
            }
            if (i + w <= n) { a0 = Vector512.Max(a0, Vector512.LoadUnsafe(ref r, i) & mask); i += w; }
            a0 = Vector512.Max(a0, a1);
            max = Reduce(Vector256.Max(a0.GetLower(), a0.GetUpper()));
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<uint>.Count)
        {
            Vector256<uint> mask = Vector256.Create(0x7FFFFFFFu), a0 = Vector256<uint>.Zero, a1 = a0;
            nuint w = (nuint)Vector256<uint>.Count;
            for (; i + 2 * w <= n; i += 2 * w)
            {
                a0 = Vector256.Max(a0, Vector256.LoadUnsafe(ref r, i) & mask);
                a1 = Vector256.Max(a1, Vector256.LoadUnsafe(ref r, i + w) & mask);
            }
            if (i + w <= n) { a0 = Vector256.Max(a0, Vector256.LoadUnsafe(ref r, i) & mask); i += w; }
            max = Reduce(Vector256.Max(a0, a1));
        }
        for (; i < n; i++) max = Math.Max(max, Unsafe.Add(ref r, i) & 0x7FFFFFFF);
        return max >= NonFiniteBits ? float.NaN : BitConverter.UInt32BitsToSingle(max);
    }

    private static uint Reduce(Vector256<uint> v)
    {
        Vector128<uint> m = Vector128.Max(v.GetLower(), v.GetUpper());
        return Math.Max(Math.Max(m.GetElement(0), m.GetElement(1)), Math.Max(m.GetElement(2), m.GetElement(3)));
    }

    /// <summary>Throws unless delta and x are finite and small enough; returns their largest |elements|.</summary>
    public static (float md, float mx) Check(ReadOnlySpan<float> delta, ReadOnlySpan<float> x, string deltaName, string xName, int sample = -1)
    {
        float md = MaxAbs(delta), mx = MaxAbs(x);
        if (float.IsNaN(md)) throw new ArgumentException($"{deltaName} contains NaN or Inf{At(sample)}.", deltaName);
        if (float.IsNaN(mx)) throw new ArgumentException($"{xName} contains NaN or Inf{At(sample)}.", xName);
        double nd = Math.Sqrt(delta.Length) * md, nx = Math.Sqrt(x.Length) * mx;
        if (nd >= Limit) throw TooLarge(deltaName, sample, $"|{deltaName}| can reach {nd:g3}");
        if (nx >= Limit) throw TooLarge(xName, sample, $"|{xName}| can reach {nx:g3}");
        if (nd * nx >= Limit) throw TooLarge(deltaName, sample, $"|{deltaName}| |{xName}| can reach {nd * nx:g3}");
        return (md, mx);
    }

    private static string At(int sample) => sample >= 0 ? $" (sample {sample})" : "";

    private static ArgumentException TooLarge(string name, int sample, string what)
        => new($"{name} is too large{At(sample)}: {what}, and the estimator's update would overflow float (limit 2^125).", name);

    /// <summary>The exponent e with 2^e &lt;= v &lt; 2^(e+1) for v &gt; 0.</summary>
    public static int Exponent(float v) => MathF.ILogB(v);
}

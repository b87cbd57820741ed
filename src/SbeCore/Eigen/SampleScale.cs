namespace SbeCore.Eigen;

/// <summary>
/// The one verdict on a sample (delta, x) that every estimator path applies before touching state, and the exact
/// power-of-two magnitudes it gives the normalisation. The largest |element| comes from <see cref="Kernels.SimdReduce.AbsMax"/>,
/// which also finds NaN/Inf.
/// </summary>
internal static class SampleScale
{
    /// <summary>Bound on |delta|, |x| (sqrt(len) * max|element|) and on |delta| |x|: above it the estimator's float
    /// dots or its s would overflow, so the sample is refused as too large.</summary>
    public static readonly double Limit = Math.ScaleB(1.0, 125);

    /// <summary>Throws unless delta and x are finite and small enough; returns their largest |elements|.</summary>
    public static (float md, float mx) Check(ReadOnlySpan<float> delta, ReadOnlySpan<float> x, string deltaName, string xName, int sample = -1)
        => Check(delta, x, Math.Sqrt(delta.Length), Math.Sqrt(x.Length), deltaName, xName, sample);

    /// <summary>As above with sqrt(delta.Length) and sqrt(x.Length) given (a batch checks many samples of one shape).</summary>
    public static (float md, float mx) Check(ReadOnlySpan<float> delta, ReadOnlySpan<float> x, double sqrtDeltaLength, double sqrtXLength, string deltaName, string xName, int sample = -1)
    {
        float md = Kernels.SimdReduce.AbsMax(delta), mx = Kernels.SimdReduce.AbsMax(x);
        if (float.IsNaN(md)) throw new ArgumentException($"{deltaName} contains NaN or Inf{At(sample)}.", deltaName);
        if (float.IsNaN(mx)) throw new ArgumentException($"{xName} contains NaN or Inf{At(sample)}.", xName);
        double nd = sqrtDeltaLength * md, nx = sqrtXLength * mx;
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

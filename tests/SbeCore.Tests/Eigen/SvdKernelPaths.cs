using SbeCore.Eigen;
using SbeCore.Tests.Kernels;

namespace SbeCore.Tests.Eigen;

/// <summary>Calls the width entry points of <see cref="SvdKernels"/> and <see cref="DoubleOps"/> (arguments valid: no checks there).</summary>
internal static class SvdKernelPaths
{
    public static void Widen(Width w, ReadOnlySpan<float> src, int rows, int srcStride, int len, Span<double> dst, int stride)
    {
        switch (w)
        {
            case Width.V512: SvdKernels.Widen512(src, rows, srcStride, len, dst, stride); break;
            case Width.V256: SvdKernels.Widen256(src, rows, srcStride, len, dst, stride); break;
            case Width.V128: SvdKernels.Widen128(src, rows, srcStride, len, dst, stride); break;
            default: SvdKernels.WidenScalar(src, rows, srcStride, len, dst, stride); break;
        }
    }

    public static void Gram(Width w, ReadOnlySpan<double> a, int m, int stride, Span<double> g, int gs, bool accumulate)
    {
        switch (w)
        {
            case Width.V512: SvdKernels.Gram512(a, m, stride, g, gs, accumulate); break;
            case Width.V256: SvdKernels.Gram256(a, m, stride, g, gs, accumulate); break;
            case Width.V128: SvdKernels.Gram128(a, m, stride, g, gs, accumulate); break;
            default: SvdKernels.GramScalar(a, m, stride, g, gs, accumulate); break;
        }
    }

    public static void Cross(Width w, ReadOnlySpan<double> a, int m1, ReadOnlySpan<double> b, int m2, int stride, Span<double> g, int gs)
    {
        switch (w)
        {
            case Width.V512: SvdKernels.Cross512(a, m1, b, m2, stride, g, gs); break;
            case Width.V256: SvdKernels.Cross256(a, m1, b, m2, stride, g, gs); break;
            case Width.V128: SvdKernels.Cross128(a, m1, b, m2, stride, g, gs); break;
            default: SvdKernels.CrossScalar(a, m1, b, m2, stride, g, gs); break;
        }
    }

    public static void AddTransposedProduct(Width w, ReadOnlySpan<double> sMat, int s, ReadOnlySpan<double> b, int stride, int t, Span<double> c)
    {
        switch (w)
        {
            case Width.V512: SvdKernels.AddTransposedProduct512(sMat, s, b, stride, t, c); break;
            case Width.V256: SvdKernels.AddTransposedProduct256(sMat, s, b, stride, t, c); break;
            case Width.V128: SvdKernels.AddTransposedProduct128(sMat, s, b, stride, t, c); break;
            default: SvdKernels.AddTransposedProductScalar(sMat, s, b, stride, t, c); break;
        }
    }

    public static double Dot(Width w, ReadOnlySpan<double> x, ReadOnlySpan<double> y) => w switch
    {
        Width.V512 => DoubleOps.Dot512(x, y), Width.V256 => DoubleOps.Dot256(x, y), Width.V128 => DoubleOps.Dot128(x, y), _ => DoubleOps.DotScalar(x, y),
    };

    public static void Axpy(Width w, double a, ReadOnlySpan<double> x, Span<double> y)
    {
        switch (w)
        {
            case Width.V512: DoubleOps.Axpy512(a, x, y); break;
            case Width.V256: DoubleOps.Axpy256(a, x, y); break;
            case Width.V128: DoubleOps.Axpy128(a, x, y); break;
            default: DoubleOps.AxpyScalar(a, x, y); break;
        }
    }

    public static void Axpy(Width w, double a, ReadOnlySpan<float> x, Span<double> y)
    {
        switch (w)
        {
            case Width.V512: DoubleOps.Axpy512(a, x, y); break;
            case Width.V256: DoubleOps.Axpy256(a, x, y); break;
            case Width.V128: DoubleOps.Axpy128(a, x, y); break;
            default: DoubleOps.AxpyScalar(a, x, y); break;
        }
    }
}

/// <summary>Exact-ish double references (double-double accumulation) and bounds for the double kernels.</summary>
internal static class DoubleReference
{
    /// <summary>Unit roundoff of float64.</summary>
    public const double U = 1.0 / (1L << 53);

    /// <summary>A NaN with a recognisable payload for guard cells.</summary>
    public static readonly double Sentinel = BitConverter.Int64BitsToDouble(0x7FF8_0000_5BE0_5BE0);

    /// <summary>Rounding bound for a double sum of <paramref name="terms"/> products in any order (with or without FMA):
    /// (terms + 1) u sum|products|, padded slightly; a wrong or missing term is orders of magnitude larger.</summary>
    public static double SumBound(int terms, double sumAbs) => 1.01 * (terms + 1) * U * sumAbs + 1e-300;

    /// <summary>init + sum x_i y_i accumulated in double-double (error far below the kernels' bound), and init's and the
    /// products' sum of magnitudes.</summary>
    public static (double Value, double SumAbs) Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double init = 0)
    {
        double hi = init, lo = 0, abs = Math.Abs(init);
        for (int i = 0; i < x.Length; i++)
        {
            double p = x[i] * y[i], pe = Math.FusedMultiplyAdd(x[i], y[i], -p);
            double s = hi + p, bb = s - hi, se = (hi - (s - bb)) + (p - bb);
            hi = s; lo += se + pe; abs += Math.Abs(p);
        }
        return (hi + lo, abs);
    }

    /// <summary>Random doubles in [-scale, scale), each a float (as the SVD's widened inputs are) or a full double.</summary>
    public static double[] Random(ref SbeCore.Numerics.Xoshiro256 rng, int length, double scale, bool floats)
    {
        var v = new double[length];
        for (int i = 0; i < length; i++)
            v[i] = floats ? (float)((2 * rng.NextDouble() - 1) * scale) : (2 * rng.NextDouble() - 1) * scale;
        return v;
    }

    /// <summary>rows rows of len random values, zero-padded to stride (the kernels' operand layout), row j scaled by 2^(j % 5 - 2).</summary>
    public static double[] PaddedRows(ref SbeCore.Numerics.Xoshiro256 rng, int rows, int len, int stride, bool floats = true)
    {
        var a = new double[rows * stride];
        for (int j = 0; j < rows; j++)
            Random(ref rng, len, Math.ScaleB(1, j % 5 - 2), floats).CopyTo(a, j * stride);
        return a;
    }

    public static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    public static void AssertSentinel(double value, string what)
    {
        if (!SameBits(value, Sentinel)) Assert.Fail($"{what}: guard cell was written ({value}).");
    }
}

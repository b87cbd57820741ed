using System.Runtime.CompilerServices;

namespace SbeCore.Eigen;

/// <summary>
/// Math.ScaleB and Math.ILogB for the estimator's per-sample step, inlined: x 2^n is one multiplication by an exact power
/// of two whenever 2^n is a normal double (one rounding, as ScaleB's own, so the same bits), and the exponent of a normal
/// double is its exponent field; anything else takes the library call.
/// </summary>
internal static class PowerOfTwo
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ScaleB(double x, int n)
        => (uint)(n + 1022) <= 2045 ? x * BitConverter.Int64BitsToDouble((long)(n + 1023) << 52) : Math.ScaleB(x, n);

    /// <summary>floor(log2 |x|) for finite nonzero x (Math.ILogB).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ILogB(double x)
    {
        int field = (int)(BitConverter.DoubleToInt64Bits(x) >> 52) & 0x7FF;
        return field is 0 or 0x7FF ? Math.ILogB(x) : field - 1023;
    }
}

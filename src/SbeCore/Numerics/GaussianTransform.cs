using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Numerics;

/// <summary>
/// Box-Muller in place: uniform pairs (u1 in (0, 1], u2 in [0, 1)) become standard normal pairs
/// (r cos 2 pi u2, r sin 2 pi u2), r = sqrt(-2 ln u1). ln, sin and cos are short polynomials in correctly rounded
/// float arithmetic (max abs error 9e-7 against double over every 24-bit input, about 2 ulp at the largest r),
/// about twice as fast as the runtime's vector Log/SinCos, and the same bits on every width and ISA.
/// </summary>
internal static class GaussianTransform
{
    public static void BoxMuller(Span<float> u1, Span<float> u2)
    {
        switch (SimdDispatch.For(u1.Length))
        {
            case SimdWidth.V512: BoxMuller512(u1, u2); break;
            case SimdWidth.V256: BoxMuller256(u1, u2); break;
            case SimdWidth.V128: BoxMuller128(u1, u2); break;
            default: BoxMullerScalar(u1, u2); break;
        }
    }

    internal static void BoxMuller512(Span<float> u1, Span<float> u2) => BoxMullerCore<SimdMath512, Vector512<float>>(u1, u2);
    internal static void BoxMuller256(Span<float> u1, Span<float> u2) => BoxMullerCore<SimdMath256, Vector256<float>>(u1, u2);
    internal static void BoxMuller128(Span<float> u1, Span<float> u2) => BoxMullerCore<SimdMath128, Vector128<float>>(u1, u2);
    internal static void BoxMullerScalar(Span<float> u1, Span<float> u2) => BoxMullerCore<SimdMathScalar, float>(u1, u2);

    private static void BoxMullerCore<TOps, TVec>(Span<float> u1, Span<float> u2)
        where TOps : struct, ISimdMathOps<TVec> where TVec : struct
    {
        if (u1.Length != u2.Length) throw new ArgumentException("u1 and u2 must have the same length.", nameof(u2));
        ref float a = ref MemoryMarshal.GetReference(u1);
        ref float b = ref MemoryMarshal.GetReference(u2);
        nuint n = (nuint)u1.Length, i = 0;
        for (; i + (nuint)TOps.Count <= n; i += (nuint)TOps.Count)
            Pair<TOps, TVec>(ref a, ref b, i);
        // The tail runs the same operations one lane at a time, so its bits match the vector lanes'.
        for (; i < n; i++) Pair<SimdMathScalar, float>(ref a, ref b, i);
    }

    /// <summary>Blocks of 64 32-bit draws become 64 normals each: the draws' uniforms in [0, 1) on the 2^-24 grid
    /// (<see cref="RandomKernels.ToUnit"/>), u1 the first 32 plus 2^-24 (in (0, 1], exact), u2 the last 32; the cosines
    /// go to the first half of the block's values, the sines to the second. One call for a whole refill of a keyed
    /// stream, the uniforms never stored.</summary>
    public static void BoxMullerBlocks(ReadOnlySpan<uint> draws, Span<float> values)
    {
        if (draws.Length % 64 != 0 || values.Length != draws.Length)
            throw new ArgumentException($"{draws.Length} draws for {values.Length} values: both must be the same multiple of 64.", nameof(values));
        switch (SimdDispatch.Widest)
        {
            case SimdWidth.V512: BlocksCore<SimdMath512, Vector512<float>>(draws, values); break;
            case SimdWidth.V256: BlocksCore<SimdMath256, Vector256<float>>(draws, values); break;
            case SimdWidth.V128: BlocksCore<SimdMath128, Vector128<float>>(draws, values); break;
            default: BlocksCore<SimdMathScalar, float>(draws, values); break;
        }
    }

    private static void BlocksCore<TOps, TVec>(ReadOnlySpan<uint> draws, Span<float> values)
        where TOps : struct, ISimdMathOps<TVec> where TVec : struct
    {
        ref uint d = ref MemoryMarshal.GetReference(draws);
        ref float v = ref MemoryMarshal.GetReference(values);
        TVec ulp = TOps.Broadcast(1f / (1 << 24));
        for (nuint block = 0; block < (nuint)values.Length; block += 64)
        {
            ref float a = ref Unsafe.Add(ref v, block);
            ref float b = ref Unsafe.Add(ref v, block + 32);
            for (nuint i = 0; i < 32; i += (nuint)TOps.Count)
            {
                TVec r = TOps.Sqrt(TOps.Multiply(TOps.Broadcast(-2f), Log<TOps, TVec>(TOps.Add(TOps.UnitFromDraws(ref d, block + i), ulp))));
                var (sin, cos) = SinCosTwoPi<TOps, TVec>(TOps.UnitFromDraws(ref d, block + 32 + i));
                TOps.Store(TOps.Multiply(r, cos), ref a, i);
                TOps.Store(TOps.Multiply(r, sin), ref b, i);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair<TOps, TVec>(ref float a, ref float b, nuint i)
        where TOps : struct, ISimdMathOps<TVec> where TVec : struct
    {
        TVec r = TOps.Sqrt(TOps.Multiply(TOps.Broadcast(-2f), Log<TOps, TVec>(TOps.Load(ref a, i))));
        var (sin, cos) = SinCosTwoPi<TOps, TVec>(TOps.Load(ref b, i));
        TOps.Store(TOps.Multiply(r, cos), ref a, i);
        TOps.Store(TOps.Multiply(r, sin), ref b, i);
    }

    // ln x for positive normal x: x = 2^e m, ln m = 2 atanh(f) with f = (m - 1) / (m + 1), |f| <= 0.172,
    // whose odd series to f^9 is exact to below half a float ulp of ln m.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec Log<TOps, TVec>(TVec x) where TOps : struct, ISimdMathOps<TVec> where TVec : struct
    {
        var (e, m) = TOps.SplitExponent(x);
        TVec one = TOps.Broadcast(1f);
        TVec f = TOps.Divide(TOps.Subtract(m, one), TOps.Add(m, one));
        TVec f2 = TOps.Multiply(f, f);
        TVec p = TOps.FusedMultiplyAdd(f2, TOps.Broadcast(2f / 9), TOps.Broadcast(2f / 7));
        p = TOps.FusedMultiplyAdd(p, f2, TOps.Broadcast(2f / 5));
        p = TOps.FusedMultiplyAdd(p, f2, TOps.Broadcast(2f / 3));
        p = TOps.FusedMultiplyAdd(p, f2, TOps.Broadcast(2f));
        return TOps.FusedMultiplyAdd(e, TOps.Broadcast(0.693147180559945f), TOps.Multiply(p, f));
    }

    // sin and cos of 2 pi u for u in [0, 1]: q = round(4u) quarter turns plus a remainder angle in [-pi/4, pi/4]
    // (exact: u - q/4 has no rounding error), Taylor series to x^7 and x^8 there, then the quadrant's swap and signs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (TVec Sin, TVec Cos) SinCosTwoPi<TOps, TVec>(TVec u) where TOps : struct, ISimdMathOps<TVec> where TVec : struct
    {
        TVec q = TOps.Round(TOps.Multiply(u, TOps.Broadcast(4f)));
        TVec x = TOps.Multiply(TOps.FusedMultiplyAdd(q, TOps.Broadcast(-0.25f), u), TOps.Broadcast(2f * MathF.PI));
        TVec x2 = TOps.Multiply(x, x);
        TVec s = TOps.FusedMultiplyAdd(x2, TOps.Broadcast(-1f / 5040), TOps.Broadcast(1f / 120));
        s = TOps.FusedMultiplyAdd(s, x2, TOps.Broadcast(-1f / 6));
        s = TOps.FusedMultiplyAdd(TOps.Multiply(s, x2), x, x);
        TVec c = TOps.FusedMultiplyAdd(x2, TOps.Broadcast(1f / 40320), TOps.Broadcast(-1f / 720));
        c = TOps.FusedMultiplyAdd(c, x2, TOps.Broadcast(1f / 24));
        c = TOps.FusedMultiplyAdd(c, x2, TOps.Broadcast(-0.5f));
        c = TOps.FusedMultiplyAdd(c, x2, TOps.Broadcast(1f));
        // Quadrant k = q mod 4 (q = 4 at u = 1 is quadrant 0): sin(k pi/2 + x) is s, c, -s, -c and cos is c, -s, -c, s.
        TVec k = TOps.FusedMultiplyAdd(TOps.Floor(TOps.Multiply(q, TOps.Broadcast(0.25f))), TOps.Broadcast(-4f), q);
        TVec odd = TOps.Or(TOps.EqualTo(k, TOps.Broadcast(1f)), TOps.EqualTo(k, TOps.Broadcast(3f)));
        TVec negateSin = TOps.GreaterThanOrEqual(k, TOps.Broadcast(2f));
        TVec negateCos = TOps.Or(TOps.EqualTo(k, TOps.Broadcast(1f)), TOps.EqualTo(k, TOps.Broadcast(2f)));
        TVec sin = TOps.Select(odd, c, s), cos = TOps.Select(odd, s, c);
        TVec zero = TOps.Broadcast(0f);
        return (TOps.Select(negateSin, TOps.Subtract(zero, sin), sin), TOps.Select(negateCos, TOps.Subtract(zero, cos), cos));
    }
}

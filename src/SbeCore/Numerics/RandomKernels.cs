using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Numerics;

/// <summary>The bulk conversions behind <see cref="RandomStream"/>: raw 32-bit draws to uniforms, and uniform pairs to
/// Gaussian pairs, one generic body over the width structs each.</summary>
internal static class RandomKernels
{
    private const float Unit = 1.0f / (1 << 24);

    /// <summary>destination[i] = ((draws[i] &gt;&gt; 8) + add) / 2^24: exact in float, identical on every width.</summary>
    public static void ToUnit(ReadOnlySpan<uint> draws, Span<float> destination, uint add)
    {
        destination = destination.Slice(0, draws.Length);
        switch (SimdDispatch.For(draws.Length))
        {
            case SimdWidth.V512: ToUnitCore<Simd512, Vector512<float>>(draws, destination, add); break;
            case SimdWidth.V256: ToUnitCore<Simd256, Vector256<float>>(draws, destination, add); break;
            case SimdWidth.V128: ToUnitCore<Simd128, Vector128<float>>(draws, destination, add); break;
            default: ToUnitTail(draws, destination, add, 0); break;
        }
    }

    /// <summary>In place: (u1, u2) -&gt; (r cos θ, r sin θ) with r = sqrt(-2 ln u1), θ = 2π u2 (u1 in (0, 1]).</summary>
    public static void BoxMuller(Span<float> u1, Span<float> u2)
    {
        u2 = u2.Slice(0, u1.Length);
        switch (SimdDispatch.For(u1.Length))
        {
            case SimdWidth.V512: BoxMullerCore<Simd512, Vector512<float>>(u1, u2); break;
            case SimdWidth.V256: BoxMullerCore<Simd256, Vector256<float>>(u1, u2); break;
            case SimdWidth.V128: BoxMullerCore<Simd128, Vector128<float>>(u1, u2); break;
            default: BoxMullerTail(u1, u2, 0); break;
        }
    }

    private static void ToUnitCore<TOps, TVec>(ReadOnlySpan<uint> draws, Span<float> destination, uint add)
        where TOps : struct, ISimdMathOps<TVec> where TVec : struct
    {
        ref uint d = ref MemoryMarshal.GetReference(draws);
        ref float f = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)TOps.Count, length = (nuint)draws.Length, i = 0;
        for (; i + n <= length; i += n) TOps.Store(TOps.UnitFromDraws(ref d, i, add), ref f, i);
        ToUnitTail(draws, destination, add, (int)i);
    }

    private static void ToUnitTail(ReadOnlySpan<uint> draws, Span<float> destination, uint add, int start)
    {
        for (int i = start; i < draws.Length; i++) destination[i] = ((draws[i] >> 8) + add) * Unit;
    }

    private static void BoxMullerCore<TOps, TVec>(Span<float> u1, Span<float> u2)
        where TOps : struct, ISimdMathOps<TVec> where TVec : struct
    {
        ref float a = ref MemoryMarshal.GetReference(u1);
        ref float b = ref MemoryMarshal.GetReference(u2);
        nuint n = (nuint)TOps.Count, length = (nuint)u1.Length, i = 0;
        TVec minusTwo = TOps.Broadcast(-2f);
        for (; i + n <= length; i += n)
        {
            TVec r = TOps.Sqrt(TOps.Multiply(minusTwo, TOps.Log(TOps.Load(ref a, i))));
            (TVec sin, TVec cos) = SinCosTurn<TOps, TVec>(TOps.Load(ref b, i));
            TOps.Store(TOps.Multiply(r, cos), ref a, i);
            TOps.Store(TOps.Multiply(r, sin), ref b, i);
        }
        BoxMullerTail(u1, u2, (int)i);
    }

    private static void BoxMullerTail(Span<float> u1, Span<float> u2, int start)
    {
        for (int i = start; i < u1.Length; i++)
        {
            float r = MathF.Sqrt(-2f * MathF.Log(u1[i]));
            var (sin, cos) = SinCosTurn(u2[i]);
            u1[i] = r * cos;
            u2[i] = r * sin;
        }
    }

    // sin and cos of 2 pi u for u in [0, 1): the runtime's vector SinCos runs element by element (slower than MathF), so
    // the angle is reduced here in turns, exactly: t = 4u, q = rint(t), g = t - q in [-1/2, 1/2] (no rounding: u is on
    // the 2^-24 grid), x = g pi/2 in [-pi/4, pi/4]; sin x and cos x by the Cephes single-precision minimax polynomials
    // (within 2 ulps), then rotated by the quadrant q (q = 4 is q = 0). Multiplies and adds are separate (never fused),
    // so the scalar form below gives the same bits as every vector width.
    private const float HalfPi = MathF.PI / 2;
    private const float S1 = -1.6666654611e-1f, S2 = 8.3321608736e-3f, S3 = -1.9515295891e-4f;
    private const float C1 = 4.166664568298827e-2f, C2 = -1.388731625493765e-3f, C3 = 2.443315711809948e-5f;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static (TVec Sin, TVec Cos) SinCosTurn<TOps, TVec>(TVec u) where TOps : struct, ISimdMathOps<TVec> where TVec : struct
    {
        TVec t = TOps.Multiply(u, TOps.Broadcast(4f));
        TVec q = TOps.Round(t);
        TVec x = TOps.Multiply(TOps.Subtract(t, q), TOps.Broadcast(HalfPi));
        TVec z = TOps.Multiply(x, x);
        TVec sp = TOps.Add(TOps.Multiply(TOps.Add(TOps.Multiply(TOps.Add(TOps.Multiply(TOps.Broadcast(S3), z), TOps.Broadcast(S2)), z), TOps.Broadcast(S1)), TOps.Multiply(z, x)), x);
        TVec cp = TOps.Add(TOps.Subtract(TOps.Multiply(TOps.Multiply(TOps.Add(TOps.Multiply(TOps.Add(TOps.Multiply(TOps.Broadcast(C3), z), TOps.Broadcast(C2)), z), TOps.Broadcast(C1)), z), z), TOps.Multiply(TOps.Broadcast(0.5f), z)), TOps.Broadcast(1f));
        TVec q1 = TOps.EqualTo(q, TOps.Broadcast(1f)), q2 = TOps.EqualTo(q, TOps.Broadcast(2f)), q3 = TOps.EqualTo(q, TOps.Broadcast(3f));
        TVec swap = TOps.Or(q1, q3);
        TVec sin = TOps.Select(swap, cp, sp), cos = TOps.Select(swap, sp, cp);
        sin = TOps.Select(TOps.Or(q2, q3), TOps.Negate(sin), sin);
        cos = TOps.Select(TOps.Or(q1, q2), TOps.Negate(cos), cos);
        return (sin, cos);
    }

    /// <summary>The scalar form of <see cref="SinCosTurn{TOps, TVec}"/>, bit for bit.</summary>
    internal static (float Sin, float Cos) SinCosTurn(float u)
    {
        float t = u * 4f;
        float q = MathF.Round(t);
        float x = (t - q) * HalfPi;
        float z = x * x;
        float sp = ((S3 * z + S2) * z + S1) * (z * x) + x;
        float cp = ((C3 * z + C2) * z + C1) * z * z - 0.5f * z + 1f;
        bool swap = q == 1f || q == 3f;
        float sin = swap ? cp : sp, cos = swap ? sp : cp;
        if (q == 2f || q == 3f) sin = -sin;
        if (q == 1f || q == 2f) cos = -cos;
        return (sin, cos);
    }
}

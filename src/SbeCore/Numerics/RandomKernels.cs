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
        TVec minusTwo = TOps.Broadcast(-2f), twoPi = TOps.Broadcast(2f * MathF.PI);
        for (; i + n <= length; i += n)
        {
            TVec r = TOps.Sqrt(TOps.Multiply(minusTwo, TOps.Log(TOps.Load(ref a, i))));
            (TVec sin, TVec cos) = TOps.SinCos(TOps.Multiply(twoPi, TOps.Load(ref b, i)));
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
            var (sin, cos) = MathF.SinCos(2f * MathF.PI * u2[i]);
            u1[i] = r * cos;
            u2[i] = r * sin;
        }
    }
}

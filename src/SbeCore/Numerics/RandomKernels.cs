using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Numerics;

/// <summary>The bulk conversion behind <see cref="RandomStream"/>'s uniforms (raw 32-bit draws to floats), one generic body
/// over the width structs; the Gaussian pairs come from <see cref="GaussianTransform"/>.</summary>
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

    private static void ToUnitCore<TOps, TVec>(ReadOnlySpan<uint> draws, Span<float> destination, uint add)
        where TOps : struct, ISimdElementOps<TVec> where TVec : struct
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
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SbeCore.Kernels;

/// <summary>
/// Lane masks as bits, and the expanding load: the lanes a mask selects take consecutive floats from memory (in lane
/// order), the others 0. One vector instruction with AVX-512 (vexpandps); elsewhere lane by lane, with the same
/// result (it only moves values).
/// </summary>
internal interface ISimdExpandOps<TVec> : ISimdOps<TVec> where TVec : struct
{
    /// <summary>Bit l set when lane l of <paramref name="mask"/> (a compare result) is set.</summary>
    static abstract uint MaskBits(TVec mask);

    /// <summary>Lanes set in <paramref name="mask"/> (whose bits are <paramref name="bits"/>) take source[0],
    /// source[1], ... in lane order; the others are 0. Count floats from <paramref name="source"/> must be readable.</summary>
    static abstract TVec LoadExpanded(ref float source, TVec mask, uint bits);
}

internal static class SimdExpand
{
    /// <summary>The lane-by-lane expanding load (every width's fallback).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Lanes<TOps, TVec>(ref float source, uint bits) where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        Lanes16 lanes = default;
        ref float first = ref MemoryMarshal.GetReference((Span<float>)lanes);
        int taken = 0;
        while (bits != 0)
        {
            int l = System.Numerics.BitOperations.TrailingZeroCount(bits);
            Unsafe.Add(ref first, l) = Unsafe.Add(ref source, taken++);
            bits &= bits - 1;
        }
        return TOps.Load(ref first, 0);
    }

    [InlineArray(16)]
    private struct Lanes16 { private float _lane; }
}

internal readonly partial struct Simd512 : ISimdExpandOps<Vector512<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MaskBits(Vector512<float> mask) => (uint)mask.ExtractMostSignificantBits();

    // The register form (a whole vector loaded, then expanded): the memory form of vexpandps is microcoded on Zen 4.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadExpanded(ref float source, Vector512<float> mask, uint bits)
        => Avx512F.IsSupported ? Avx512F.Expand(Vector512<float>.Zero, mask, Vector512.LoadUnsafe(ref source)) : SimdExpand.Lanes<Simd512, Vector512<float>>(ref source, bits);
}

internal readonly partial struct Simd256 : ISimdExpandOps<Vector256<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MaskBits(Vector256<float> mask) => mask.ExtractMostSignificantBits();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LoadExpanded(ref float source, Vector256<float> mask, uint bits) => SimdExpand.Lanes<Simd256, Vector256<float>>(ref source, bits);
}

internal readonly partial struct Simd128 : ISimdExpandOps<Vector128<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MaskBits(Vector128<float> mask) => mask.ExtractMostSignificantBits();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LoadExpanded(ref float source, Vector128<float> mask, uint bits) => SimdExpand.Lanes<Simd128, Vector128<float>>(ref source, bits);
}

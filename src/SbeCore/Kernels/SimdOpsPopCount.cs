using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace SbeCore.Kernels;

// Population count of each 64-bit lane (ISimdBitOps.PopCountBits): .NET exposes no vector 64-bit popcount, so x86 looks
// each nibble's count up in a 16-entry table with a byte shuffle (pshufb) and sums a lane's 8 bytes with psadbw, 7
// instructions a vector against the shift-and-add SWAR's 17; ARM64 counts bytes (cnt) and widens pairwise. The counts
// are exact integers, so every path gives the same lanes; SWAR (SimdGeneric.PopCount) where neither instruction exists.
internal static class NibbleCounts
{
    public static ReadOnlySpan<byte> Table =>
    [
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
    ];

    public static readonly Vector512<byte> V512 = Vector512.Create(Table);
    public static readonly Vector256<byte> V256 = Vector256.Create(Table);
    public static readonly Vector128<byte> V128 = Vector128.Create(Table);
}

internal readonly partial struct Simd512
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> PopCountBits(Vector512<ulong> value)
    {
        if (!Avx512BW.IsSupported) return SimdGeneric.PopCount<Simd512, Vector512<float>, Vector512<ulong>>(value);
        Vector512<byte> nibble = Vector512.Create((byte)0x0F);
        Vector512<byte> counts = Avx512BW.Shuffle(NibbleCounts.V512, value.AsByte() & nibble)
            + Avx512BW.Shuffle(NibbleCounts.V512, (value >>> 4).AsByte() & nibble);
        return Avx512BW.SumAbsoluteDifferences(counts, Vector512<byte>.Zero).AsUInt64();
    }
}

internal readonly partial struct Simd256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> PopCountBits(Vector256<ulong> value)
    {
        if (!Avx2.IsSupported) return SimdGeneric.PopCount<Simd256, Vector256<float>, Vector256<ulong>>(value);
        Vector256<byte> nibble = Vector256.Create((byte)0x0F);
        Vector256<byte> counts = Avx2.Shuffle(NibbleCounts.V256, value.AsByte() & nibble)
            + Avx2.Shuffle(NibbleCounts.V256, (value >>> 4).AsByte() & nibble);
        return Avx2.SumAbsoluteDifferences(counts, Vector256<byte>.Zero).AsUInt64();
    }
}

internal readonly partial struct Simd128
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> PopCountBits(Vector128<ulong> value)
    {
        if (AdvSimd.IsSupported)
            return AdvSimd.AddPairwiseWidening(AdvSimd.AddPairwiseWidening(AdvSimd.AddPairwiseWidening(AdvSimd.PopCount(value.AsByte()))));
        if (!Ssse3.IsSupported) return SimdGeneric.PopCount<Simd128, Vector128<float>, Vector128<ulong>>(value);
        Vector128<byte> nibble = Vector128.Create((byte)0x0F);
        Vector128<byte> counts = Ssse3.Shuffle(NibbleCounts.V128, value.AsByte() & nibble)
            + Ssse3.Shuffle(NibbleCounts.V128, (value >>> 4).AsByte() & nibble);
        return Sse2.SumAbsoluteDifferences(counts, Vector128<byte>.Zero).AsUInt64();
    }
}

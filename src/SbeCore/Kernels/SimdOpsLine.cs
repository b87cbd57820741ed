using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

// What a pulsed write's per-line preparation needs beyond the element operations (Crossbar/PulseLines.cs): float lanes
// to unsigned integers, lane signs narrowed to bytes, and which 64-bit words of a run are non-zero.
internal interface ISimdLineOps<TVec> : ISimdElementOps<TVec> where TVec : struct
{
    /// <summary>Lanes in [0, 2^32) truncated to unsigned 32-bit integers, returned as the vector's bits.</summary>
    static abstract TVec TruncateToUInt32Bits(TVec value);

    /// <summary>Stores lanes holding -1, 0 or 1 as that many signed bytes.</summary>
    static abstract void StoreSigns(TVec signs, ref sbyte destination, nuint offset);

    /// <summary>Bit l set when word offset + l is not zero, for the Count / 2 words of one vector.</summary>
    static abstract uint NonZeroWords(ref ulong source, nuint offset);
}

internal readonly partial struct Simd512 : ISimdLineOps<Vector512<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> TruncateToUInt32Bits(Vector512<float> value) => Vector512.ConvertToUInt32(value).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSigns(Vector512<float> signs, ref sbyte destination, nuint offset)
    {
        Vector512<short> words = Vector512.Narrow(Vector512.ConvertToInt32(signs), Vector512<int>.Zero);
        Vector512.Narrow(words, Vector512<short>.Zero).GetLower().GetLower().StoreUnsafe(ref destination, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint NonZeroWords(ref ulong source, nuint offset) =>
        (uint)~Vector512.Equals(Vector512.LoadUnsafe(ref source, offset), Vector512<ulong>.Zero).ExtractMostSignificantBits() & 0xFFu;
}

internal readonly partial struct Simd256 : ISimdLineOps<Vector256<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> TruncateToUInt32Bits(Vector256<float> value) => Vector256.ConvertToUInt32(value).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSigns(Vector256<float> signs, ref sbyte destination, nuint offset)
    {
        Vector256<short> words = Vector256.Narrow(Vector256.ConvertToInt32(signs), Vector256<int>.Zero);
        ulong bytes = Vector256.Narrow(words, Vector256<short>.Zero).AsUInt64().ToScalar();
        Unsafe.WriteUnaligned(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref destination, offset)), bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint NonZeroWords(ref ulong source, nuint offset) =>
        ~Vector256.Equals(Vector256.LoadUnsafe(ref source, offset), Vector256<ulong>.Zero).ExtractMostSignificantBits() & 0xFu;
}

internal readonly partial struct Simd128 : ISimdLineOps<Vector128<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> TruncateToUInt32Bits(Vector128<float> value) => Vector128.ConvertToUInt32(value).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSigns(Vector128<float> signs, ref sbyte destination, nuint offset)
    {
        Vector128<short> words = Vector128.Narrow(Vector128.ConvertToInt32(signs), Vector128<int>.Zero);
        uint bytes = Vector128.Narrow(words, Vector128<short>.Zero).AsUInt32().ToScalar();
        Unsafe.WriteUnaligned(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref destination, offset)), bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint NonZeroWords(ref ulong source, nuint offset) =>
        ~Vector128.Equals(Vector128.LoadUnsafe(ref source, offset), Vector128<ulong>.Zero).ExtractMostSignificantBits() & 0x3u;
}

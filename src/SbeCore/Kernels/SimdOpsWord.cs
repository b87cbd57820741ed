using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SbeCore.Kernels;

/// <summary>
/// 32-bit unsigned lanes: what a counter-based generator's rounds need (add, xor, the low and high halves of a
/// 32 x 32-bit product). <see cref="SimdWordScalar"/> is the one-lane form, so the scalar path runs the same body and
/// every width gives the same bits (integer arithmetic is exact).
/// </summary>
internal interface ISimdWordOps<TWords> where TWords : struct
{
    static abstract int Count { get; }
    static abstract TWords Broadcast(uint value);
    /// <summary>first, first + 1, ..., first + Count - 1 (wrapping).</summary>
    static abstract TWords Sequence(uint first);
    static abstract void Store(TWords value, ref uint destination, nuint offset);
    static abstract TWords Add(TWords a, TWords b);
    static abstract TWords Xor(TWords a, TWords b);
    /// <summary>The low 32 bits of each lane times <paramref name="multiplier"/>.</summary>
    static abstract TWords MultiplyLow(TWords value, uint multiplier);
    /// <summary>The high 32 bits of each lane's 64-bit product with <paramref name="multiplier"/>.</summary>
    static abstract TWords MultiplyHigh(TWords value, uint multiplier);
}

internal readonly struct SimdWord512 : ISimdWordOps<Vector512<uint>>
{
    public static int Count => Vector512<uint>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<uint> Broadcast(uint value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<uint> Sequence(uint first) => Vector512.Create(first) + Vector512<uint>.Indices;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<uint> value, ref uint destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<uint> Add(Vector512<uint> a, Vector512<uint> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<uint> Xor(Vector512<uint> a, Vector512<uint> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<uint> MultiplyLow(Vector512<uint> value, uint multiplier) => value * multiplier;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> MultiplyHigh(Vector512<uint> value, uint multiplier)
    {
        // Even lanes' products directly, odd lanes' after moving them down; keep each product's high half in place.
        Vector512<uint> m = Vector512.Create(multiplier);
        Vector512<ulong> even, odd;
        if (Avx512F.IsSupported)
        {
            even = Avx512F.Multiply(value, m);
            odd = Avx512F.Multiply((value.AsUInt64() >> 32).AsUInt32(), m);
        }
        else
        {
            even = (value.AsUInt64() & Vector512.Create(0xFFFF_FFFFUL)) * (ulong)multiplier;
            odd = (value.AsUInt64() >> 32) * (ulong)multiplier;
        }
        return ((even >> 32) | (odd & Vector512.Create(0xFFFF_FFFF_0000_0000UL))).AsUInt32();
    }
}

internal readonly struct SimdWord256 : ISimdWordOps<Vector256<uint>>
{
    public static int Count => Vector256<uint>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<uint> Broadcast(uint value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<uint> Sequence(uint first) => Vector256.Create(first) + Vector256<uint>.Indices;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<uint> value, ref uint destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<uint> Add(Vector256<uint> a, Vector256<uint> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<uint> Xor(Vector256<uint> a, Vector256<uint> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<uint> MultiplyLow(Vector256<uint> value, uint multiplier) => value * multiplier;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> MultiplyHigh(Vector256<uint> value, uint multiplier)
    {
        Vector256<uint> m = Vector256.Create(multiplier);
        Vector256<ulong> even, odd;
        if (Avx2.IsSupported)
        {
            even = Avx2.Multiply(value, m);
            odd = Avx2.Multiply((value.AsUInt64() >> 32).AsUInt32(), m);
        }
        else
        {
            even = (value.AsUInt64() & Vector256.Create(0xFFFF_FFFFUL)) * (ulong)multiplier;
            odd = (value.AsUInt64() >> 32) * (ulong)multiplier;
        }
        return ((even >> 32) | (odd & Vector256.Create(0xFFFF_FFFF_0000_0000UL))).AsUInt32();
    }
}

internal readonly struct SimdWord128 : ISimdWordOps<Vector128<uint>>
{
    public static int Count => Vector128<uint>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<uint> Broadcast(uint value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<uint> Sequence(uint first) => Vector128.Create(first) + Vector128<uint>.Indices;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<uint> value, ref uint destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<uint> Add(Vector128<uint> a, Vector128<uint> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<uint> Xor(Vector128<uint> a, Vector128<uint> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<uint> MultiplyLow(Vector128<uint> value, uint multiplier) => value * multiplier;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> MultiplyHigh(Vector128<uint> value, uint multiplier)
    {
        Vector128<uint> m = Vector128.Create(multiplier);
        Vector128<ulong> even, odd;
        if (Sse2.IsSupported)
        {
            even = Sse2.Multiply(value, m);
            odd = Sse2.Multiply((value.AsUInt64() >> 32).AsUInt32(), m);
        }
        else
        {
            // Cross-platform (AdvSimd): 64-bit lane products of the zero-extended halves.
            even = (value.AsUInt64() & Vector128.Create(0xFFFF_FFFFUL)) * (ulong)multiplier;
            odd = (value.AsUInt64() >> 32) * (ulong)multiplier;
        }
        return ((even >> 32) | (odd & Vector128.Create(0xFFFF_FFFF_0000_0000UL))).AsUInt32();
    }
}

internal readonly struct SimdWordScalar : ISimdWordOps<uint>
{
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint Broadcast(uint value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint Sequence(uint first) => first;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(uint value, ref uint destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint Add(uint a, uint b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint Xor(uint a, uint b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MultiplyLow(uint value, uint multiplier) => value * multiplier;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MultiplyHigh(uint value, uint multiplier) => (uint)(((ulong)value * multiplier) >> 32);
}

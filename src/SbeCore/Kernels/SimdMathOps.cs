using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

/// <summary>
/// The operations of polynomial elementary functions (log, sine, cosine) for one width, including a scalar
/// "width" of one float lane. Every operation is correctly rounded IEEE arithmetic (multiply-add always fused, in
/// software where the hardware lacks FMA), so one generic body gives the same bits on every width and ISA.
/// </summary>
internal interface ISimdMathOps<TVec> where TVec : struct
{
    static abstract int Count { get; }
    static abstract TVec Broadcast(float value);
    static abstract TVec Load(ref float source, nuint offset);
    /// <summary>(source[offset + l] &gt;&gt; 8) * 2^-24 per lane: 32-bit random draws to floats on a 2^-24 grid (exact; the
    /// bits of RandomKernels.ToUnit with add 0).</summary>
    static abstract TVec UnitFromDraws(ref uint source, nuint offset);
    static abstract void Store(TVec value, ref float destination, nuint offset);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Subtract(TVec a, TVec b);
    static abstract TVec Multiply(TVec a, TVec b);
    static abstract TVec Divide(TVec a, TVec b);
    /// <summary>a * b + c with one rounding on every width.</summary>
    static abstract TVec FusedMultiplyAdd(TVec a, TVec b, TVec c);
    static abstract TVec Sqrt(TVec value);
    /// <summary>Round half to even.</summary>
    static abstract TVec Round(TVec value);
    static abstract TVec Floor(TVec value);
    /// <summary>Bitwise select by a compare mask (all-ones or zero lanes).</summary>
    static abstract TVec Select(TVec mask, TVec whenSet, TVec whenClear);
    static abstract TVec EqualTo(TVec a, TVec b);
    static abstract TVec GreaterThanOrEqual(TVec a, TVec b);
    static abstract TVec Or(TVec a, TVec b);
    /// <summary>
    /// x = 2^e m with m in [sqrt(1/2), sqrt(2)), for positive normal x: (e as a float, m). Splitting at sqrt(1/2)
    /// rather than 1 keeps |m - 1| small, so a short series for ln m suffices.
    /// </summary>
    static abstract (TVec Exponent, TVec Mantissa) SplitExponent(TVec x);
}

internal readonly struct SimdMath512 : ISimdMathOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> UnitFromDraws(ref uint source, nuint offset) => Simd512.UnitFromDraws(ref source, offset, 0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> FusedMultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sqrt(Vector512<float> value) => Vector512.Sqrt(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Round(Vector512<float> value) => Vector512.Round(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Floor(Vector512<float> value) => Vector512.Floor(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> mask, Vector512<float> whenSet, Vector512<float> whenClear) => Vector512.ConditionalSelect(mask, whenSet, whenClear);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> EqualTo(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> GreaterThanOrEqual(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float> Exponent, Vector512<float> Mantissa) SplitExponent(Vector512<float> x)
    {
        var shifted = x.AsInt32() - Vector512.Create(MathBits.SqrtHalfBits);
        return (Vector512.ConvertToSingle(shifted >> 23), ((shifted & Vector512.Create(MathBits.MantissaMask)) + Vector512.Create(MathBits.SqrtHalfBits)).AsSingle());
    }
}

internal readonly struct SimdMath256 : ISimdMathOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> UnitFromDraws(ref uint source, nuint offset) => Simd256.UnitFromDraws(ref source, offset, 0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> FusedMultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sqrt(Vector256<float> value) => Vector256.Sqrt(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Round(Vector256<float> value) => Vector256.Round(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Floor(Vector256<float> value) => Vector256.Floor(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> whenSet, Vector256<float> whenClear) => Vector256.ConditionalSelect(mask, whenSet, whenClear);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> EqualTo(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GreaterThanOrEqual(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> Exponent, Vector256<float> Mantissa) SplitExponent(Vector256<float> x)
    {
        var shifted = x.AsInt32() - Vector256.Create(MathBits.SqrtHalfBits);
        return (Vector256.ConvertToSingle(shifted >> 23), ((shifted & Vector256.Create(MathBits.MantissaMask)) + Vector256.Create(MathBits.SqrtHalfBits)).AsSingle());
    }
}

/// <summary>128-bit operations: the ARM64 (AdvSimd) and SSE path.</summary>
internal readonly struct SimdMath128 : ISimdMathOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> UnitFromDraws(ref uint source, nuint offset) => Simd128.UnitFromDraws(ref source, offset, 0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> FusedMultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sqrt(Vector128<float> value) => Vector128.Sqrt(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Round(Vector128<float> value) => Vector128.Round(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Floor(Vector128<float> value) => Vector128.Floor(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> mask, Vector128<float> whenSet, Vector128<float> whenClear) => Vector128.ConditionalSelect(mask, whenSet, whenClear);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> EqualTo(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> GreaterThanOrEqual(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> Exponent, Vector128<float> Mantissa) SplitExponent(Vector128<float> x)
    {
        var shifted = x.AsInt32() - Vector128.Create(MathBits.SqrtHalfBits);
        return (Vector128.ConvertToSingle(shifted >> 23), ((shifted & Vector128.Create(MathBits.MantissaMask)) + Vector128.Create(MathBits.SqrtHalfBits)).AsSingle());
    }
}

/// <summary>One float lane: the scalar path runs the same generic body, hence the same operation sequence.</summary>
internal readonly struct SimdMathScalar : ISimdMathOps<float>
{
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(ref float source, nuint offset) => Unsafe.Add(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float UnitFromDraws(ref uint source, nuint offset) => (Unsafe.Add(ref source, offset) >> 8) * (1.0f / (1 << 24));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float value, ref float destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Subtract(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Divide(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float FusedMultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sqrt(float value) => MathF.Sqrt(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Round(float value) => MathF.Round(value, MidpointRounding.ToEven);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Floor(float value) => MathF.Floor(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Select(float mask, float whenSet, float whenClear) =>
        BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(mask) & BitConverter.SingleToInt32Bits(whenSet)) | (~BitConverter.SingleToInt32Bits(mask) & BitConverter.SingleToInt32Bits(whenClear)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float EqualTo(float a, float b) => a == b ? MathBits.AllOnes : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float GreaterThanOrEqual(float a, float b) => a >= b ? MathBits.AllOnes : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Or(float a, float b) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) | BitConverter.SingleToInt32Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Exponent, float Mantissa) SplitExponent(float x)
    {
        int shifted = BitConverter.SingleToInt32Bits(x) - MathBits.SqrtHalfBits;
        return (shifted >> 23, BitConverter.Int32BitsToSingle((shifted & MathBits.MantissaMask) + MathBits.SqrtHalfBits));
    }
}

internal static class MathBits
{
    /// <summary>The bits of the float nearest sqrt(1/2).</summary>
    public const int SqrtHalfBits = 0x3f3504f3;
    public const int MantissaMask = 0x007fffff;
    /// <summary>A float whose bits are all ones (a NaN): the scalar compare mask.</summary>
    public static readonly float AllOnes = BitConverter.Int32BitsToSingle(-1);
}

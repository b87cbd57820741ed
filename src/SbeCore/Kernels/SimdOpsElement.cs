using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SbeCore.Kernels;

// The element-wise operations the operator layer (SimdMap, SimdReduce) and the uniform conversion need, on the float
// width structs of SimdOps.cs. (SimdMathOps.cs is a different family: the always-fused arithmetic, with a scalar
// "width", of the polynomial log/sin/cos in GaussianTransform.)

/// <summary>Element-wise float operations beyond <see cref="ISimdOps{TVec}"/>. Each one gives, lane by lane, exactly the
/// bits of the scalar expression named in its summary (the operator layer's scalar tails rely on that).</summary>
internal interface ISimdElementOps<TVec> : ISimdOps<TVec> where TVec : struct
{
    /// <summary>a - b.</summary>
    static abstract TVec Subtract(TVec a, TVec b);
    /// <summary>a / b (IEEE division, correctly rounded).</summary>
    static abstract TVec Divide(TVec a, TVec b);
    /// <summary>-a.</summary>
    static abstract TVec Negate(TVec a);
    /// <summary>MathF.Round(a): to nearest, ties to even.</summary>
    static abstract TVec Round(TVec a);
    /// <summary>MathF.Floor(a).</summary>
    static abstract TVec Floor(TVec a);
    /// <summary>MathF.Min(a, b): NaN if either is NaN, -0 below +0.</summary>
    static abstract TVec Min(TVec a, TVec b);
    /// <summary>MathF.Max(a, b): NaN if either is NaN, +0 above -0.</summary>
    static abstract TVec Max(TVec a, TVec b);
    /// <summary>The larger of the lanes read as unsigned 32-bit integers (for finite non-negative floats, the larger float).</summary>
    static abstract TVec MaxBits(TVec a, TVec b);
    /// <summary>The largest lane read as an unsigned 32-bit integer.</summary>
    static abstract uint MaxLaneBits(TVec value);
    /// <summary>((source[offset + l] &gt;&gt; 8) + add) * 2^-24 per lane: 32-bit random draws to floats on a 2^-24 grid (exact).</summary>
    static abstract TVec UnitFromDraws(ref uint source, nuint offset, uint add);
}

internal readonly partial struct Simd512 : ISimdElementOps<Vector512<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Negate(Vector512<float> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Round(Vector512<float> a) => Vector512.Round(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Floor(Vector512<float> a) => Vector512.Floor(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MaxBits(Vector512<float> a, Vector512<float> b) => Vector512.Max(a.AsUInt32(), b.AsUInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> UnitFromDraws(ref uint source, nuint offset, uint add) =>
        Vector512.ConvertToSingle((Vector512.LoadUnsafe(ref source, offset) >>> 8) + Vector512.Create(add)) * Vector512.Create(1.0f / (1 << 24));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaxLaneBits(Vector512<float> value) => Simd256.MaxLaneBits(Simd256.MaxBits(value.GetLower(), value.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<ulong> OrBits(Vector512<ulong> a, Vector512<ulong> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<ulong> XorBits(Vector512<ulong> a, Vector512<ulong> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<ulong> ShiftLeftBits(Vector512<ulong> value, int shift) => value << shift;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> RotateLeftBits(Vector512<ulong> value, [ConstantExpected(Min = 1, Max = 63)] byte shift) =>
        Avx512F.IsSupported ? Avx512F.RotateLeft(value, shift) : (value << shift) | (value >>> (64 - shift));
}

internal readonly partial struct Simd256 : ISimdElementOps<Vector256<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Negate(Vector256<float> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Round(Vector256<float> a) => Vector256.Round(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Floor(Vector256<float> a) => Vector256.Floor(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MaxBits(Vector256<float> a, Vector256<float> b) => Vector256.Max(a.AsUInt32(), b.AsUInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> UnitFromDraws(ref uint source, nuint offset, uint add) =>
        Vector256.ConvertToSingle((Vector256.LoadUnsafe(ref source, offset) >>> 8) + Vector256.Create(add)) * Vector256.Create(1.0f / (1 << 24));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaxLaneBits(Vector256<float> value) => Simd128.MaxLaneBits(Simd128.MaxBits(value.GetLower(), value.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<ulong> OrBits(Vector256<ulong> a, Vector256<ulong> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<ulong> XorBits(Vector256<ulong> a, Vector256<ulong> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<ulong> ShiftLeftBits(Vector256<ulong> value, int shift) => value << shift;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> RotateLeftBits(Vector256<ulong> value, [ConstantExpected(Min = 1, Max = 63)] byte shift) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateLeft(value, shift) : (value << shift) | (value >>> (64 - shift));
}

internal readonly partial struct Simd128 : ISimdElementOps<Vector128<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Negate(Vector128<float> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Round(Vector128<float> a) => Vector128.Round(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Floor(Vector128<float> a) => Vector128.Floor(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MaxBits(Vector128<float> a, Vector128<float> b) => Vector128.Max(a.AsUInt32(), b.AsUInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> UnitFromDraws(ref uint source, nuint offset, uint add) =>
        Vector128.ConvertToSingle((Vector128.LoadUnsafe(ref source, offset) >>> 8) + Vector128.Create(add)) * Vector128.Create(1.0f / (1 << 24));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaxLaneBits(Vector128<float> value)
    {
        // Two shuffle-and-max steps: scalar maxima of the lanes compiled to branches that mispredict on data.
        Vector128<uint> v = value.AsUInt32();
        v = Vector128.Max(v, Vector128.Shuffle(v, Vector128.Create(2u, 3u, 0u, 1u)));
        return Vector128.Max(v, Vector128.Shuffle(v, Vector128.Create(1u, 0u, 3u, 2u))).ToScalar();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> OrBits(Vector128<ulong> a, Vector128<ulong> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> XorBits(Vector128<ulong> a, Vector128<ulong> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> ShiftLeftBits(Vector128<ulong> value, int shift) => value << shift;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> RotateLeftBits(Vector128<ulong> value, [ConstantExpected(Min = 1, Max = 63)] byte shift) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateLeft(value, shift) : (value << shift) | (value >>> (64 - shift));
}

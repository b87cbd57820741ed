using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

// The double-lane counterpart of ISimdOps<TVec> (SimdOps.cs), for kernels whose operands are doubles (the exact SVD's
// Gram, cross and outer-product kernels, double dot and axpy): one generic body, specialised by the JIT per width.

/// <summary>The vector operations a double-precision kernel needs, for one vector width.</summary>
internal interface ISimdDoubleOps<TVec> where TVec : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }
    static abstract TVec Zero { get; }
    static abstract TVec Broadcast(double value);
    static abstract TVec Load(ref double source, nuint offset);
    /// <summary><see cref="Count"/> floats at source[offset], each converted exactly to double.</summary>
    static abstract TVec LoadWidened(ref float source, nuint offset);
    static abstract void Store(TVec value, ref double destination, nuint offset);
    static abstract TVec Add(TVec a, TVec b);
    /// <summary>a * b + c, fused where the hardware has FMA (x86 FMA3, ARM64 AdvSimd), else multiply then add.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);
    static abstract double Sum(TVec value);
}

/// <summary>512-bit double operations (AVX-512 on x86): 8 lanes.</summary>
internal readonly struct Simd512d : ISimdDoubleOps<Vector512<double>>
{
    public static int Count => Vector512<double>.Count;
    public static Vector512<double> Zero => Vector512<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Broadcast(double value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(ref double source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> LoadWidened(ref float source, nuint offset) => Vector512.WidenLower(Vector256.LoadUnsafe(ref source, offset).ToVector512Unsafe());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<double> value, ref double destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector512<double> value) => Vector512.Sum(value);
}

/// <summary>256-bit double operations (AVX2 on x86): 4 lanes.</summary>
internal readonly struct Simd256d : ISimdDoubleOps<Vector256<double>>
{
    public static int Count => Vector256<double>.Count;
    public static Vector256<double> Zero => Vector256<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Broadcast(double value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Load(ref double source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> LoadWidened(ref float source, nuint offset) => Vector256.WidenLower(Vector128.LoadUnsafe(ref source, offset).ToVector256Unsafe());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<double> value, ref double destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector256<double> value) => Vector256.Sum(value);
}

/// <summary>128-bit double operations: SSE2 on x86, AdvSimd (NEON) on ARM64; only cross-platform Vector128 APIs. 2 lanes.</summary>
internal readonly struct Simd128d : ISimdDoubleOps<Vector128<double>>
{
    public static int Count => Vector128<double>.Count;
    public static Vector128<double> Zero => Vector128<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Broadcast(double value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Load(ref double source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    // The two floats are read as one 64-bit scalar into the low half (a single 8-byte load), then the low two lanes widened.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> LoadWidened(ref float source, nuint offset) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, offset)))).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<double> value, ref double destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector128<double> value) => Vector128.Sum(value);
}

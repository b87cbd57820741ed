using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

/// <summary>An element-wise function of one float, in scalar and vector form; the two must give the same bits lane by
/// lane (the map finishes a length that is not a whole number of vectors with the scalar form). Parameters are fields
/// of the implementing struct, so one generic map serves every operator and the JIT inlines the body.</summary>
internal interface IUnaryOperator
{
    float Invoke(float x);
    TVec Invoke<TOps, TVec>(TVec x) where TOps : struct, ISimdElementOps<TVec> where TVec : struct;
}

/// <summary>An element-wise function of two floats, in scalar and vector form with the same bits (see <see cref="IUnaryOperator"/>).</summary>
internal interface IBinaryOperator
{
    float Invoke(float x, float y);
    TVec Invoke<TOps, TVec>(TVec x, TVec y) where TOps : struct, ISimdElementOps<TVec> where TVec : struct;
}

/// <summary>
/// The element-wise maps: destination[i] = op(x[i]) or op(x[i], y[i]), one generic body over the width structs, at the
/// width <see cref="SimdDispatch.For"/> picks. The destination may be an input (in place); it must be at least as long
/// as x (elements past x's length are untouched), and y exactly as long as x.
/// </summary>
internal static class SimdMap
{
    public static void Unary<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination) where TOp : struct, IUnaryOperator
    {
        destination = destination.Slice(0, x.Length);
        switch (SimdDispatch.For(x.Length))
        {
            case SimdWidth.V512: UnaryCore<Simd512, Vector512<float>, TOp>(op, x, destination); break;
            case SimdWidth.V256: UnaryCore<Simd256, Vector256<float>, TOp>(op, x, destination); break;
            case SimdWidth.V128: UnaryCore<Simd128, Vector128<float>, TOp>(op, x, destination); break;
            default: UnaryTail(op, x, destination, 0); break;
        }
    }

    public static void Binary<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) where TOp : struct, IBinaryOperator
    {
        if (y.Length != x.Length) throw new ArgumentException($"y has {y.Length} elements, x has {x.Length}.", nameof(y));
        destination = destination.Slice(0, x.Length);
        switch (SimdDispatch.For(x.Length))
        {
            case SimdWidth.V512: BinaryCore<Simd512, Vector512<float>, TOp>(op, x, y, destination); break;
            case SimdWidth.V256: BinaryCore<Simd256, Vector256<float>, TOp>(op, x, y, destination); break;
            case SimdWidth.V128: BinaryCore<Simd128, Vector128<float>, TOp>(op, x, y, destination); break;
            default: BinaryTail(op, x, y, destination, 0); break;
        }
    }

    private static void UnaryCore<TOps, TVec, TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination)
        where TOps : struct, ISimdElementOps<TVec> where TVec : struct where TOp : struct, IUnaryOperator
    {
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rd = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)TOps.Count, length = (nuint)x.Length, i = 0;
        for (; i + 2 * n <= length; i += 2 * n)
        {
            TOps.Store(op.Invoke<TOps, TVec>(TOps.Load(ref rx, i)), ref rd, i);
            TOps.Store(op.Invoke<TOps, TVec>(TOps.Load(ref rx, i + n)), ref rd, i + n);
        }
        if (i + n <= length) { TOps.Store(op.Invoke<TOps, TVec>(TOps.Load(ref rx, i)), ref rd, i); i += n; }
        UnaryTail(op, x, destination, (int)i);
    }

    private static void BinaryCore<TOps, TVec, TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOps : struct, ISimdElementOps<TVec> where TVec : struct where TOp : struct, IBinaryOperator
    {
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rd = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)TOps.Count, length = (nuint)x.Length, i = 0;
        for (; i + 2 * n <= length; i += 2 * n)
        {
            TOps.Store(op.Invoke<TOps, TVec>(TOps.Load(ref rx, i), TOps.Load(ref ry, i)), ref rd, i);
            TOps.Store(op.Invoke<TOps, TVec>(TOps.Load(ref rx, i + n), TOps.Load(ref ry, i + n)), ref rd, i + n);
        }
        if (i + n <= length) { TOps.Store(op.Invoke<TOps, TVec>(TOps.Load(ref rx, i), TOps.Load(ref ry, i)), ref rd, i); i += n; }
        BinaryTail(op, x, y, destination, (int)i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UnaryTail<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination, int start) where TOp : struct, IUnaryOperator
    {
        for (int i = start; i < x.Length; i++) destination[i] = op.Invoke(x[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BinaryTail<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination, int start) where TOp : struct, IBinaryOperator
    {
        for (int i = start; i < x.Length; i++) destination[i] = op.Invoke(x[i], y[i]);
    }
}

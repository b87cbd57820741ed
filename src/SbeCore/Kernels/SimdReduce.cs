using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

/// <summary>
/// The order-free reductions (maxima, counts), one generic body over the width structs at the width
/// <see cref="SimdDispatch.For"/> picks. A maximum does not depend on the order it is taken in, so every width gives
/// the same bits.
/// </summary>
internal static class SimdReduce
{
    private const uint MagnitudeMask = 0x7FFFFFFF, NonFiniteBits = 0x7F800000;

    /// <summary>max |v_i| (0 for an empty span), or NaN when v holds a NaN or an infinity. One integer scan of the float
    /// bits with the sign cleared: for finite floats the larger bits are the larger magnitude, and NaN/Inf are the bit
    /// patterns at or above 0x7F800000, so the scan also finds them.</summary>
    public static float AbsMax(ReadOnlySpan<float> v)
    {
        uint max = SimdDispatch.For(v.Length) switch
        {
            SimdWidth.V512 => AbsMaxBits<Simd512, Vector512<float>>(v),
            SimdWidth.V256 => AbsMaxBits<Simd256, Vector256<float>>(v),
            SimdWidth.V128 => AbsMaxBits<Simd128, Vector128<float>>(v),
            _ => AbsMaxBitsTail(v, 0, 0),
        };
        return max >= NonFiniteBits ? float.NaN : BitConverter.UInt32BitsToSingle(max);
    }

    /// <summary>How many elements equal zero (either sign).</summary>
    public static int CountZeros(ReadOnlySpan<float> v)
    {
        int zeros = 0;
        // Lanes count in float, exact up to 2^24 per lane: a part at a time.
        for (int start = 0; start < v.Length; start += 1 << 24)
        {
            var part = v.Slice(start, Math.Min(1 << 24, v.Length - start));
            zeros += SimdDispatch.For(part.Length) switch
            {
                SimdWidth.V512 => CountZerosCore<Simd512, Vector512<float>>(part),
                SimdWidth.V256 => CountZerosCore<Simd256, Vector256<float>>(part),
                SimdWidth.V128 => CountZerosCore<Simd128, Vector128<float>>(part),
                _ => CountZerosTail(part, 0),
            };
        }
        return zeros;
    }

    private static int CountZerosCore<TOps, TVec>(ReadOnlySpan<float> v) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
    {
        ref float r = ref MemoryMarshal.GetReference(v);
        nuint n = (nuint)TOps.Count, length = (nuint)v.Length, i = 0;
        TVec zero = TOps.Zero, one = TOps.Broadcast(1f), count = zero;
        for (; i + n <= length; i += n) count = TOps.Add(count, TOps.And(TOps.EqualTo(TOps.Load(ref r, i), zero), one));
        return (int)TOps.Sum(count) + CountZerosTail(v, (int)i);
    }

    private static int CountZerosTail(ReadOnlySpan<float> v, int start)
    {
        int zeros = 0;
        for (int i = start; i < v.Length; i++) zeros += v[i] == 0 ? 1 : 0;
        return zeros;
    }

    /// <summary>max v_i as MathF.Max takes it (NaN if any element is NaN); v must not be empty.</summary>
    public static float Max(ReadOnlySpan<float> v)
    {
        if (v.IsEmpty) throw new ArgumentException("The span is empty.", nameof(v));
        return SimdDispatch.For(v.Length) switch
        {
            SimdWidth.V512 => MaxCore<Simd512, Vector512<float>>(v),
            SimdWidth.V256 => MaxCore<Simd256, Vector256<float>>(v),
            SimdWidth.V128 => MaxCore<Simd128, Vector128<float>>(v),
            _ => MaxTail(v, 1, v[0]),
        };
    }

    /// <summary><see cref="AbsMax"/> of each vector of <paramref name="length"/> elements laid end to end in
    /// <paramref name="vectors"/>, at most <paramref name="cap"/> (+0 or more): maxima[s] = MathF.Min(AbsMax(vector s),
    /// cap), NaN for a vector holding a NaN or an infinity. The width is the one the vectors' length picks.</summary>
    public static void AbsMaxEach(ReadOnlySpan<float> vectors, int length, float cap, Span<float> maxima)
    {
        switch (SimdDispatch.For(length))
        {
            case SimdWidth.V512: AbsMaxEachAt<Simd512, Vector512<float>>(vectors, length, cap, maxima); break;
            case SimdWidth.V256: AbsMaxEachAt<Simd256, Vector256<float>>(vectors, length, cap, maxima); break;
            case SimdWidth.V128: AbsMaxEachAt<Simd128, Vector128<float>>(vectors, length, cap, maxima); break;
            default:
                if (length < 1 || (long)maxima.Length * length != vectors.Length || !(cap >= 0) || float.IsNegative(cap))
                    throw new ArgumentException($"{vectors.Length} elements are not {maxima.Length} vectors of {length}, or the cap {cap} is below +0.", nameof(vectors));
                for (int s = 0; s < maxima.Length; s++) maxima[s] = MathF.Min(AbsMax(vectors.Slice(s * length, length)), cap);
                break;
        }
    }

    /// <summary><see cref="AbsMax"/> of each vector of <paramref name="length"/> elements (at least one vector of the
    /// width the caller chose) laid end to end in <paramref name="vectors"/>, at most <paramref name="cap"/>:
    /// maxima[s] = MathF.Min(AbsMax(vector s), cap). One loop with the scan inlined, where a call per short vector cost
    /// more than its scan.</summary>
    internal static void AbsMaxEachAt<TOps, TVec>(ReadOnlySpan<float> vectors, int length, float cap, Span<float> maxima)
        where TOps : struct, ISimdElementOps<TVec> where TVec : struct
    {
        if (length < TOps.Count || (long)maxima.Length * length != vectors.Length)
            throw new ArgumentException($"{vectors.Length} elements are not {maxima.Length} vectors of {length} (at least {TOps.Count}).", nameof(vectors));
        if (!(cap >= 0) || float.IsNegative(cap)) throw new ArgumentOutOfRangeException(nameof(cap), cap, "The cap must be +0 or more.");
        // For magnitudes (and a cap at least +0) the larger bits are the larger value: the cap is an integer minimum,
        // where MathF.Min's NaN and signed-zero handling cost more than the scan of a short vector.
        uint capBits = BitConverter.SingleToUInt32Bits(cap);
        for (int s = 0; s < maxima.Length; s++)
        {
            uint max = AbsMaxBits<TOps, TVec>(vectors.Slice(s * length, length));
            maxima[s] = max >= NonFiniteBits ? float.NaN : BitConverter.UInt32BitsToSingle(Math.Min(max, capBits));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint AbsMaxBits<TOps, TVec>(ReadOnlySpan<float> v) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
    {
        ref float r = ref MemoryMarshal.GetReference(v);
        nuint n = (nuint)TOps.Count, length = (nuint)v.Length, i = 0;
        TVec mask = TOps.Broadcast(BitConverter.UInt32BitsToSingle(MagnitudeMask)), a0 = TOps.Zero, a1 = a0;
        for (; i + 2 * n <= length; i += 2 * n)
        {
            a0 = TOps.MaxBits(a0, TOps.And(TOps.Load(ref r, i), mask));
            a1 = TOps.MaxBits(a1, TOps.And(TOps.Load(ref r, i + n), mask));
        }
        if (i + n <= length) { a0 = TOps.MaxBits(a0, TOps.And(TOps.Load(ref r, i), mask)); i += n; }
        // The rest as one vector ending at the last element: re-reading elements cannot change a maximum, and it is
        // cheaper than a scalar tail on the short vectors the estimator checks per sample (the dispatcher only picks a
        // width whose vector fits the length).
        if (i < length) a1 = TOps.MaxBits(a1, TOps.And(TOps.Load(ref r, length - n), mask));
        return TOps.MaxLaneBits(TOps.MaxBits(a0, a1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint AbsMaxBitsTail(ReadOnlySpan<float> v, int start, uint max)
    {
        for (int i = start; i < v.Length; i++) max = Math.Max(max, BitConverter.SingleToUInt32Bits(v[i]) & MagnitudeMask);
        return max;
    }

    private static float MaxCore<TOps, TVec>(ReadOnlySpan<float> v) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
    {
        ref float r = ref MemoryMarshal.GetReference(v);
        nuint n = (nuint)TOps.Count, length = (nuint)v.Length, i = n;
        TVec a = TOps.Load(ref r, 0);
        for (; i + n <= length; i += n) a = TOps.Max(a, TOps.Load(ref r, i));
        if (i < length) a = TOps.Max(a, TOps.Load(ref r, length - n)); // overlapping last vector: max is idempotent
        // The lanes fold in any order: MathF.Max is commutative and associative (NaN absorbing, +0 above -0).
        return MaxLanes<TOps, TVec>(a);
    }

    private static float MaxLanes<TOps, TVec>(TVec a) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
    {
        Span<float> lanes = stackalloc float[TOps.Count];
        TOps.Store(a, ref MemoryMarshal.GetReference(lanes), 0);
        return MaxTail(lanes, 1, lanes[0]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float MaxTail(ReadOnlySpan<float> v, int start, float max)
    {
        for (int i = start; i < v.Length; i++) max = MathF.Max(max, v[i]);
        return max;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace SbeCore.Kernels;

// One kernel body, written once, specialised per vector width: the JIT compiles a separate copy of a
// generic method for each struct type argument and inlines these static members, so the generic
// kernels cost nothing over hand-written Vector512/256/128 code (the TensorPrimitives operator pattern).

/// <summary>The vector operations a kernel needs, for one vector width.</summary>
internal interface ISimdOps<TVec> where TVec : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }
    static abstract TVec Zero { get; }
    static abstract TVec Broadcast(float value);
    static abstract TVec Load(ref float source, nuint offset);
    static abstract void Store(TVec value, ref float destination, nuint offset);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Multiply(TVec a, TVec b);
    /// <summary>a * b + c, fused where the hardware has FMA (x86 FMA3, ARM64 AdvSimd), else multiply then add.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);
    static abstract TVec And(TVec value, TVec mask);
    static abstract TVec Or(TVec a, TVec b);
    static abstract TVec Sqrt(TVec value);
    /// <summary>All-ones lanes where a &gt; b, zero elsewhere (ordered: false for NaN).</summary>
    static abstract TVec GreaterThan(TVec a, TVec b);
    /// <summary>All-ones lanes where a &lt; b, zero elsewhere.</summary>
    static abstract TVec LessThan(TVec a, TVec b);
    /// <summary>All-ones lanes where a == b, zero elsewhere.</summary>
    static abstract TVec EqualTo(TVec a, TVec b);
    /// <summary>Bitwise select: the bits of <paramref name="whenSet"/> where <paramref name="mask"/> is set, else of <paramref name="whenClear"/>.</summary>
    static abstract TVec Select(TVec mask, TVec whenSet, TVec whenClear);
    /// <summary>True when any bit of <paramref name="value"/> is set (a compare mask with a lane set).</summary>
    static abstract bool AnyBitSet(TVec value);
    /// <summary>Bit l set when source[offset + l] &lt; thresholds[offset + l], for the <see cref="Count"/> unsigned 32-bit lanes at offset.</summary>
    static abstract uint LessThanBits(ref uint source, ref uint thresholds, nuint offset);
    /// <summary>All-ones in the last <paramref name="fresh"/> lanes, zero elsewhere (masks the overlapping tail vector).</summary>
    static abstract TVec TailMask(int fresh);
    static abstract float Sum(TVec value);
    /// <summary>The four horizontal sums [sum a, sum b, sum c, sum d] in one transposing reduction (cheaper than four Sums).</summary>
    static abstract Vector128<float> Sum4(TVec a, TVec b, TVec c, TVec d);
    /// <summary>Two <see cref="Sum4"/>s, [sum a0 .. sum a3] and [sum b0 .. sum b3], in one transposing reduction that pairs
    /// the same lanes in the same order (the same bits), with fewer operations where 256-bit shuffles exist.</summary>
    static abstract (Vector128<float> A, Vector128<float> B) Sum2x4(TVec a0, TVec a1, TVec a2, TVec a3, TVec b0, TVec b1, TVec b2, TVec b3);
    /// <summary>[Sum(a), Sum(b), Sum(c), Sum(d)] bit for bit (each in <see cref="Sum"/>'s order, which is not
    /// <see cref="Sum4"/>'s), in one network: adjacent lanes, then pairs, within 128 bits, then the 128-bit parts.</summary>
    static abstract Vector128<float> FourSums(TVec a, TVec b, TVec c, TVec d);
}

/// <summary>A float width with the double vector of the same size (half the lanes): float lanes widened before they
/// are squared or summed, so long sums neither lose bits nor overflow (norms accumulate in double so long vectors lose no bits).</summary>
internal interface ISimdWideningOps<TVec, TWide> : ISimdOps<TVec> where TVec : struct where TWide : struct
{
    static abstract TWide WideZero { get; }
    /// <summary>The lower and upper half of the float lanes, each converted exactly to double.</summary>
    static abstract (TWide Lower, TWide Upper) Widen(TVec value);
    static abstract TWide AddWide(TWide a, TWide b);
    /// <summary>a * b + c in double, fused where the hardware has FMA.</summary>
    static abstract TWide MultiplyAddWide(TWide a, TWide b, TWide c);
    static abstract double SumWide(TWide value);
}

/// <summary>A float width with the vector of 64-bit unsigned lanes of the same size (half the lanes): per-lane bit masks
/// (pulse trains) counted and turned into float lane counts.</summary>
internal interface ISimdBitOps<TVec, TBits> : ISimdOps<TVec> where TVec : struct where TBits : struct
{
    static abstract TBits BroadcastBits(ulong value);
    static abstract TBits LoadBits(ref ulong source, nuint offset);
    static abstract void StoreBits(TBits value, ref ulong destination, nuint offset);
    static abstract TBits AndBits(TBits a, TBits b);
    static abstract TBits AddBits(TBits a, TBits b);
    static abstract TBits SubtractBits(TBits a, TBits b);
    static abstract TBits ShiftRightBits(TBits value, int shift);
    static abstract ulong SumBits(TBits value);
    static abstract TBits OrBits(TBits a, TBits b);
    static abstract TBits XorBits(TBits a, TBits b);
    static abstract TBits ShiftLeftBits(TBits value, int shift);
    /// <summary>Each lane rotated left by <paramref name="shift"/> (1-63): one instruction with AVX-512 (vprolq).</summary>
    static abstract TBits RotateLeftBits(TBits value, [ConstantExpected(Min = 1, Max = 63)] byte shift);
    /// <summary>Each lane's population count (SimdOpsPopCount.cs).</summary>
    static abstract TBits PopCountBits(TBits value);
    /// <summary>The lanes of <paramref name="lower"/> then <paramref name="upper"/> as <see cref="ISimdOps{TVec}.Count"/> floats;
    /// exact for values below 2^31 (they are narrowed to 32 bits first).</summary>
    static abstract TVec NarrowToSingle(TBits lower, TBits upper);
}

/// <summary>Generic helpers written once over the width operations.</summary>
internal static class SimdGeneric
{
    /// <summary>sum of the lanes of <paramref name="value"/>, widened to double before adding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble<TOps, TVec, TWide>(TVec value)
        where TOps : struct, ISimdWideningOps<TVec, TWide> where TVec : struct where TWide : struct
    {
        (TWide lower, TWide upper) = TOps.Widen(value);
        return TOps.SumWide(TOps.AddWide(lower, upper));
    }

    /// <summary>Population count of each 64-bit lane with shifts and adds only (SWAR): the widths' PopCountBits where
    /// they have no byte shuffle or byte count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TBits PopCount<TOps, TVec, TBits>(TBits x)
        where TOps : struct, ISimdBitOps<TVec, TBits> where TVec : struct where TBits : struct
    {
        TBits m2 = TOps.BroadcastBits(0x3333333333333333UL);
        x = TOps.SubtractBits(x, TOps.AndBits(TOps.ShiftRightBits(x, 1), TOps.BroadcastBits(0x5555555555555555UL)));
        x = TOps.AddBits(TOps.AndBits(x, m2), TOps.AndBits(TOps.ShiftRightBits(x, 2), m2));
        x = TOps.AndBits(TOps.AddBits(x, TOps.ShiftRightBits(x, 4)), TOps.BroadcastBits(0x0F0F0F0F0F0F0F0FUL));
        x = TOps.AddBits(x, TOps.ShiftRightBits(x, 8));
        x = TOps.AddBits(x, TOps.ShiftRightBits(x, 16));
        x = TOps.AddBits(x, TOps.ShiftRightBits(x, 32));
        return TOps.AndBits(x, TOps.BroadcastBits(0x7FUL));
    }
}

internal static class Horizontal
{
    /// <summary>[sum a, sum b, sum c, sum d] for 128-bit vectors: SSE unpack/movehl on x86, faddp on ARM64, else four sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d)
    {
        if (Sse.IsSupported)
        {
            Vector128<float> ab = Sse.UnpackLow(a, b) + Sse.UnpackHigh(a, b); // [a0+a2, b0+b2, a1+a3, b1+b3]
            Vector128<float> cd = Sse.UnpackLow(c, d) + Sse.UnpackHigh(c, d);
            return Sse.MoveLowToHigh(ab, cd) + Sse.MoveHighToLow(cd, ab);
        }
        if (AdvSimd.Arm64.IsSupported)
            return AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(a, b), AdvSimd.Arm64.AddPairwise(c, d));
        return Vector128.Create(Vector128.Sum(a), Vector128.Sum(b), Vector128.Sum(c), Vector128.Sum(d));
    }

    /// <summary>[Vector128.Sum(a), .. Vector128.Sum(d)] bit for bit: Vector128.Sum adds adjacent lanes, then the two pairs
    /// ((x0 + x1) + (x2 + x3)), which is what two horizontal adds (haddps, faddp) do for four vectors at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FourSums(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d)
    {
        if (Sse3.IsSupported) return Sse3.HorizontalAdd(Sse3.HorizontalAdd(a, b), Sse3.HorizontalAdd(c, d));
        if (AdvSimd.Arm64.IsSupported)
            return AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(a, b), AdvSimd.Arm64.AddPairwise(c, d));
        return Vector128.Create(Vector128.Sum(a), Vector128.Sum(b), Vector128.Sum(c), Vector128.Sum(d));
    }

    /// <summary>(Sum4(a0..a3), Sum4(b0..b3)) for 256-bit vectors, each folded to 128 bits first (low + high half). With AVX2
    /// all eight go through one network: the halves of a0 and a2 (a1 and a3) fold in one add, then the unpacks pair the
    /// lanes as <see cref="Sum4"/> does (l with l + 2, then l with l + 1): 22 operations against 34.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> A, Vector128<float> B) Sum2x4(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> b0, Vector256<float> b1, Vector256<float> b2, Vector256<float> b3)
    {
        if (Avx2.IsSupported)
        {
            Vector256<float> a02 = Avx.Permute2x128(a0, a2, 0x20) + Avx.Permute2x128(a0, a2, 0x31); // [fold a0 | fold a2]
            Vector256<float> a13 = Avx.Permute2x128(a1, a3, 0x20) + Avx.Permute2x128(a1, a3, 0x31);
            Vector256<float> b02 = Avx.Permute2x128(b0, b2, 0x20) + Avx.Permute2x128(b0, b2, 0x31);
            Vector256<float> b13 = Avx.Permute2x128(b1, b3, 0x20) + Avx.Permute2x128(b1, b3, 0x31);
            Vector256<float> ta = Avx.UnpackLow(a02, a13) + Avx.UnpackHigh(a02, a13); // per lane [x0+x2, y0+y2, x1+x3, y1+y3]
            Vector256<float> tb = Avx.UnpackLow(b02, b13) + Avx.UnpackHigh(b02, b13);
            Vector256<float> sums = Avx.UnpackLow(ta.AsDouble(), tb.AsDouble()).AsSingle() + Avx.UnpackHigh(ta.AsDouble(), tb.AsDouble()).AsSingle();
            // sums = [a0 a1 b0 b1 | a2 a3 b2 b3]: the 64-bit quarters in the order 0, 2, 1, 3
            Vector256<float> ordered = Avx2.Permute4x64(sums.AsDouble(), 0b11_01_10_00).AsSingle();
            return (ordered.GetLower(), ordered.GetUpper());
        }
        return (Sum4(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper()),
                Sum4(b0.GetLower() + b0.GetUpper(), b1.GetLower() + b1.GetUpper(), b2.GetLower() + b2.GetUpper(), b3.GetLower() + b3.GetUpper()));
    }
}

/// <summary>512-bit operations (AVX-512 on x86).</summary>
internal readonly partial struct Simd512 : ISimdWideningOps<Vector512<float>, Vector512<double>>, ISimdBitOps<Vector512<float>, Vector512<ulong>>
{
    public static int Count => Vector512<float>.Count;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> And(Vector512<float> value, Vector512<float> mask) => value & mask;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> TailMask(int fresh) => Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(Count - fresh)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> value) => Vector512.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d) =>
        Simd256.Sum4(a.GetLower() + a.GetUpper(), b.GetLower() + b.GetUpper(), c.GetLower() + c.GetUpper(), d.GetLower() + d.GetUpper());
    /// <summary>Vector512.Sum reduces each 128-bit part as Vector128.Sum does, then adds parts 0 + 1 and 2 + 3, then the two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FourSums(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d)
    {
        if (!Avx512F.IsSupported) return Vector128.Create(Vector512.Sum(a), Vector512.Sum(b), Vector512.Sum(c), Vector512.Sum(d));
        const byte Even = 0b10_00_10_00, Odd = 0b11_01_11_01;
        Vector512<float> ab = Avx512F.Shuffle(a, b, Even) + Avx512F.Shuffle(a, b, Odd); // per part [a0+a1, a2+a3, b0+b1, b2+b3]
        Vector512<float> cd = Avx512F.Shuffle(c, d, Even) + Avx512F.Shuffle(c, d, Odd);
        Vector512<float> parts = Avx512F.Shuffle(ab, cd, Even) + Avx512F.Shuffle(ab, cd, Odd); // per part [sum a, sum b, sum c, sum d]
        Vector256<float> low = parts.GetLower(), high = parts.GetUpper();
        return (low.GetLower() + low.GetUpper()) + (high.GetLower() + high.GetUpper());
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> A, Vector128<float> B) Sum2x4(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3,
        Vector512<float> b0, Vector512<float> b1, Vector512<float> b2, Vector512<float> b3) =>
        Horizontal.Sum2x4(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper(),
                          b0.GetLower() + b0.GetUpper(), b1.GetLower() + b1.GetUpper(), b2.GetLower() + b2.GetUpper(), b3.GetLower() + b3.GetUpper());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sqrt(Vector512<float> value) => Vector512.Sqrt(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> GreaterThan(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> EqualTo(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> mask, Vector512<float> whenSet, Vector512<float> whenClear) => Vector512.ConditionalSelect(mask, whenSet, whenClear);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyBitSet(Vector512<float> value) => value.AsUInt32() != Vector512<uint>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint LessThanBits(ref uint source, ref uint thresholds, nuint offset) => (uint)Vector512.LessThan(Vector512.LoadUnsafe(ref source, offset), Vector512.LoadUnsafe(ref thresholds, offset)).ExtractMostSignificantBits();
    public static Vector512<double> WideZero => Vector512<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static (Vector512<double> Lower, Vector512<double> Upper) Widen(Vector512<float> value) => Vector512.Widen(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> AddWide(Vector512<double> a, Vector512<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> MultiplyAddWide(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double SumWide(Vector512<double> value) => Vector512.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<ulong> BroadcastBits(ulong value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<ulong> LoadBits(ref ulong source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreBits(Vector512<ulong> value, ref ulong destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<ulong> AndBits(Vector512<ulong> a, Vector512<ulong> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<ulong> AddBits(Vector512<ulong> a, Vector512<ulong> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<ulong> SubtractBits(Vector512<ulong> a, Vector512<ulong> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<ulong> ShiftRightBits(Vector512<ulong> value, int shift) => value >>> shift;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong SumBits(Vector512<ulong> value) => Vector512.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> NarrowToSingle(Vector512<ulong> lower, Vector512<ulong> upper) => Vector512.ConvertToSingle(Vector512.Narrow(lower, upper).AsInt32());
}

/// <summary>256-bit operations (AVX2 on x86).</summary>
internal readonly partial struct Simd256 : ISimdWideningOps<Vector256<float>, Vector256<double>>, ISimdBitOps<Vector256<float>, Vector256<ulong>>
{
    public static int Count => Vector256<float>.Count;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> And(Vector256<float> value, Vector256<float> mask) => value & mask;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> TailMask(int fresh) => Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(Count - fresh)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> value) => Vector256.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d) =>
        Horizontal.Sum4(a.GetLower() + a.GetUpper(), b.GetLower() + b.GetUpper(), c.GetLower() + c.GetUpper(), d.GetLower() + d.GetUpper());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> A, Vector128<float> B) Sum2x4(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> b0, Vector256<float> b1, Vector256<float> b2, Vector256<float> b3) => Horizontal.Sum2x4(a0, a1, a2, a3, b0, b1, b2, b3);
    /// <summary>Vector256.Sum reduces each 128-bit half as Vector128.Sum does, then adds the halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FourSums(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        if (!Avx.IsSupported) return Vector128.Create(Vector256.Sum(a), Vector256.Sum(b), Vector256.Sum(c), Vector256.Sum(d));
        Vector256<float> halves = Avx.HorizontalAdd(Avx.HorizontalAdd(a, b), Avx.HorizontalAdd(c, d)); // per half [sum a .. sum d]
        return halves.GetLower() + halves.GetUpper();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sqrt(Vector256<float> value) => Vector256.Sqrt(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GreaterThan(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> EqualTo(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> whenSet, Vector256<float> whenClear) => Vector256.ConditionalSelect(mask, whenSet, whenClear);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyBitSet(Vector256<float> value) => value.AsUInt32() != Vector256<uint>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint LessThanBits(ref uint source, ref uint thresholds, nuint offset) => (uint)Vector256.LessThan(Vector256.LoadUnsafe(ref source, offset), Vector256.LoadUnsafe(ref thresholds, offset)).ExtractMostSignificantBits();
    public static Vector256<double> WideZero => Vector256<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static (Vector256<double> Lower, Vector256<double> Upper) Widen(Vector256<float> value) => Vector256.Widen(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> AddWide(Vector256<double> a, Vector256<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> MultiplyAddWide(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double SumWide(Vector256<double> value) => Vector256.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<ulong> BroadcastBits(ulong value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<ulong> LoadBits(ref ulong source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreBits(Vector256<ulong> value, ref ulong destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<ulong> AndBits(Vector256<ulong> a, Vector256<ulong> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<ulong> AddBits(Vector256<ulong> a, Vector256<ulong> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<ulong> SubtractBits(Vector256<ulong> a, Vector256<ulong> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<ulong> ShiftRightBits(Vector256<ulong> value, int shift) => value >>> shift;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong SumBits(Vector256<ulong> value) => Vector256.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> NarrowToSingle(Vector256<ulong> lower, Vector256<ulong> upper) => Vector256.ConvertToSingle(Vector256.Narrow(lower, upper).AsInt32());
}

/// <summary>128-bit operations: SSE on x86, AdvSimd (NEON) on ARM64; only cross-platform Vector128 APIs.</summary>
internal readonly partial struct Simd128 : ISimdWideningOps<Vector128<float>, Vector128<double>>, ISimdBitOps<Vector128<float>, Vector128<ulong>>
{
    public static int Count => Vector128<float>.Count;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> And(Vector128<float> value, Vector128<float> mask) => value & mask;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> TailMask(int fresh) => Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(Count - fresh)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> value) => Vector128.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum4(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d) => Horizontal.Sum4(a, b, c, d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> A, Vector128<float> B) Sum2x4(Vector128<float> a0, Vector128<float> a1, Vector128<float> a2, Vector128<float> a3,
        Vector128<float> b0, Vector128<float> b1, Vector128<float> b2, Vector128<float> b3) => (Horizontal.Sum4(a0, a1, a2, a3), Horizontal.Sum4(b0, b1, b2, b3));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FourSums(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d) => Horizontal.FourSums(a, b, c, d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sqrt(Vector128<float> value) => Vector128.Sqrt(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> GreaterThan(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> EqualTo(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> mask, Vector128<float> whenSet, Vector128<float> whenClear) => Vector128.ConditionalSelect(mask, whenSet, whenClear);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyBitSet(Vector128<float> value) => value.AsUInt32() != Vector128<uint>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint LessThanBits(ref uint source, ref uint thresholds, nuint offset) => (uint)Vector128.LessThan(Vector128.LoadUnsafe(ref source, offset), Vector128.LoadUnsafe(ref thresholds, offset)).ExtractMostSignificantBits();
    public static Vector128<double> WideZero => Vector128<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static (Vector128<double> Lower, Vector128<double> Upper) Widen(Vector128<float> value) => Vector128.Widen(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> AddWide(Vector128<double> a, Vector128<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> MultiplyAddWide(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double SumWide(Vector128<double> value) => Vector128.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> BroadcastBits(ulong value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> LoadBits(ref ulong source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreBits(Vector128<ulong> value, ref ulong destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> AndBits(Vector128<ulong> a, Vector128<ulong> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> AddBits(Vector128<ulong> a, Vector128<ulong> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> SubtractBits(Vector128<ulong> a, Vector128<ulong> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<ulong> ShiftRightBits(Vector128<ulong> value, int shift) => value >>> shift;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong SumBits(Vector128<ulong> value) => Vector128.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> NarrowToSingle(Vector128<ulong> lower, Vector128<ulong> upper) => Vector128.ConvertToSingle(Vector128.Narrow(lower, upper).AsInt32());
}

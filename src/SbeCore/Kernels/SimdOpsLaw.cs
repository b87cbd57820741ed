using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SbeCore.Kernels;

/// <summary>
/// What a device law's pulse kernel needs, for one width, including a scalar "width" of one float lane
/// (<see cref="SimdLawScalar"/>), so the scalar path runs the same generic body. Every operation is IEEE arithmetic
/// without fused multiply-add, compares and selects; <see cref="Exp"/> and <see cref="Pow"/> are
/// <see cref="MathF.Exp"/> and <see cref="MathF.Pow"/> lane by lane (square root is correctly rounded everywhere) (the runtime's vector Exp differs in the last
/// bits, and the device laws' results are pinned to MathF), so every width gives the same bits lane by lane.
/// </summary>
internal interface ISimdLawOps<TVec> where TVec : struct
{
    static abstract int Count { get; }
    static abstract TVec Zero { get; }
    static abstract TVec Broadcast(float value);
    static abstract TVec Load(ref float source, nuint offset);
    static abstract void Store(TVec value, ref float destination, nuint offset);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Subtract(TVec a, TVec b);
    static abstract TVec Multiply(TVec a, TVec b);
    static abstract TVec Divide(TVec a, TVec b);
    static abstract TVec Sqrt(TVec value);
    /// <summary>|a| (the sign bit cleared).</summary>
    static abstract TVec Abs(TVec a);
    /// <summary>MathF.Min(a, b): NaN if either is NaN, -0 below +0.</summary>
    static abstract TVec Min(TVec a, TVec b);
    /// <summary>MathF.Max(a, b): NaN if either is NaN, +0 above -0.</summary>
    static abstract TVec Max(TVec a, TVec b);
    static abstract TVec GreaterThan(TVec a, TVec b);
    static abstract TVec LessThan(TVec a, TVec b);
    static abstract TVec And(TVec a, TVec b);
    static abstract TVec Or(TVec a, TVec b);
    /// <summary>Lanes of <paramref name="whenSet"/> where <paramref name="mask"/> (a compare result) is set, else of <paramref name="whenClear"/>.</summary>
    static abstract TVec Select(TVec mask, TVec whenSet, TVec whenClear);
    static abstract bool AnyBitSet(TVec value);
    static abstract TVec Exp(TVec value);
    /// <summary>Lane l takes source[start[l] + min(t, last[l])] (t &gt;= 0), or source[start[l] + last[l] + 1] (t = -1):
    /// a lane's pulse-t value in a table of per-lane runs. AVX2 gathers where the ISA has them (a vector loaded right
    /// after its lanes were stored one by one stalls on store forwarding: that cost the law kernels a third of their
    /// time on Zen 4), lane by lane elsewhere; it only moves values, so every form gives the same lanes. The indices
    /// must lie inside <paramref name="source"/>.</summary>
    static abstract TVec Gather(float[] source, ref int start, ref int last, int t);
    static abstract TVec Pow(TVec x, TVec y);
    /// <summary>Lanes in [0, 2^31) truncated to 32-bit integers, as the vector's bits (pulse counts). Signed: the line
    /// ops' unsigned conversion has no AVX2 instruction, and its emulation made an EcRam write 1.5x slower on x86-64-v3.</summary>
    static abstract TVec TruncateToInt32Bits(TVec value);
    /// <summary>The largest lane read as an unsigned 32-bit integer (for non-negative floats, the largest float; the
    /// element ops' own).</summary>
    static abstract uint MaxLaneBits(TVec value);
    /// <summary>min(floor(numerator / denominator), cap) per lane, the quotient and floor in double as the scalar
    /// reference computes them (ConstantStepLaw.ClippedCount), the result (at most cap) back in float.</summary>
    static abstract TVec FloorQuotientAtMost(TVec numerator, TVec denominator, TVec cap);
    /// <summary>The sum of the lanes in double: exact for whole-number lanes below 2^24 (pulse counts), whatever the
    /// order, where a float sum of several such lanes would round.</summary>
    static abstract double SumLanes(TVec value);
}

internal readonly struct SimdLaw512 : ISimdLawOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sqrt(Vector512<float> value) => Vector512.Sqrt(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> GreaterThan(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> And(Vector512<float> a, Vector512<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> mask, Vector512<float> whenSet, Vector512<float> whenClear) => Vector512.ConditionalSelect(mask, whenSet, whenClear);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyBitSet(Vector512<float> value) => value.AsUInt32() != Vector512<uint>.Zero;
    public static Vector512<float> Exp(Vector512<float> value) => LawLanes.Exp<SimdLaw512, Vector512<float>>(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<float> Gather(float[] source, ref int start, ref int last, int t)
    {
        // .NET exposes no 512-bit gather: two 256-bit ones.
        if (!Avx2.IsSupported) return LawLanes.Gather<SimdLaw512, Vector512<float>>(source, ref start, ref last, t);
        Vector512<int> first = Vector512.LoadUnsafe(ref start), end = Vector512.LoadUnsafe(ref last);
        Vector512<int> index = first + (t < 0 ? end + Vector512<int>.One : Vector512.Min(Vector512.Create(t), end));
        fixed (float* p = source) return Vector512.Create(Avx2.GatherVector256(p, index.GetLower(), 4), Avx2.GatherVector256(p, index.GetUpper(), 4));
    }
    public static Vector512<float> Pow(Vector512<float> x, Vector512<float> y) => LawLanes.Pow<SimdLaw512, Vector512<float>>(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> TruncateToInt32Bits(Vector512<float> value) => Vector512.ConvertToInt32(value).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MaxLaneBits(Vector512<float> value) => Simd512.MaxLaneBits(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FloorQuotientAtMost(Vector512<float> numerator, Vector512<float> denominator, Vector512<float> cap) => Vector512.Narrow(
        Vector512.Min(Vector512.Floor(Vector512.WidenLower(numerator) / Vector512.WidenLower(denominator)), Vector512.WidenLower(cap)),
        Vector512.Min(Vector512.Floor(Vector512.WidenUpper(numerator) / Vector512.WidenUpper(denominator)), Vector512.WidenUpper(cap)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double SumLanes(Vector512<float> value) => Vector512.Sum(Vector512.WidenLower(value) + Vector512.WidenUpper(value));
}

internal readonly struct SimdLaw256 : ISimdLawOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sqrt(Vector256<float> value) => Vector256.Sqrt(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GreaterThan(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> And(Vector256<float> a, Vector256<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> whenSet, Vector256<float> whenClear) => Vector256.ConditionalSelect(mask, whenSet, whenClear);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyBitSet(Vector256<float> value) => value.AsUInt32() != Vector256<uint>.Zero;
    public static Vector256<float> Exp(Vector256<float> value) => LawLanes.Exp<SimdLaw256, Vector256<float>>(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> Gather(float[] source, ref int start, ref int last, int t)
    {
        if (!Avx2.IsSupported) return LawLanes.Gather<SimdLaw256, Vector256<float>>(source, ref start, ref last, t);
        Vector256<int> first = Vector256.LoadUnsafe(ref start), end = Vector256.LoadUnsafe(ref last);
        Vector256<int> index = first + (t < 0 ? end + Vector256<int>.One : Vector256.Min(Vector256.Create(t), end));
        fixed (float* p = source) return Avx2.GatherVector256(p, index, 4);
    }
    public static Vector256<float> Pow(Vector256<float> x, Vector256<float> y) => LawLanes.Pow<SimdLaw256, Vector256<float>>(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> TruncateToInt32Bits(Vector256<float> value) => Vector256.ConvertToInt32(value).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MaxLaneBits(Vector256<float> value) => Simd256.MaxLaneBits(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FloorQuotientAtMost(Vector256<float> numerator, Vector256<float> denominator, Vector256<float> cap) => Vector256.Narrow(
        Vector256.Min(Vector256.Floor(Vector256.WidenLower(numerator) / Vector256.WidenLower(denominator)), Vector256.WidenLower(cap)),
        Vector256.Min(Vector256.Floor(Vector256.WidenUpper(numerator) / Vector256.WidenUpper(denominator)), Vector256.WidenUpper(cap)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double SumLanes(Vector256<float> value) => Vector256.Sum(Vector256.WidenLower(value) + Vector256.WidenUpper(value));
}

internal readonly struct SimdLaw128 : ISimdLawOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sqrt(Vector128<float> value) => Vector128.Sqrt(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Abs(Vector128<float> a) => Vector128.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> GreaterThan(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> And(Vector128<float> a, Vector128<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> mask, Vector128<float> whenSet, Vector128<float> whenClear) => Vector128.ConditionalSelect(mask, whenSet, whenClear);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyBitSet(Vector128<float> value) => value.AsUInt32() != Vector128<uint>.Zero;
    public static Vector128<float> Exp(Vector128<float> value) => LawLanes.Exp<SimdLaw128, Vector128<float>>(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector128<float> Gather(float[] source, ref int start, ref int last, int t)
    {
        if (!Avx2.IsSupported) return LawLanes.Gather<SimdLaw128, Vector128<float>>(source, ref start, ref last, t);
        Vector128<int> first = Vector128.LoadUnsafe(ref start), end = Vector128.LoadUnsafe(ref last);
        Vector128<int> index = first + (t < 0 ? end + Vector128<int>.One : Vector128.Min(Vector128.Create(t), end));
        fixed (float* p = source) return Avx2.GatherVector128(p, index, 4);
    }
    public static Vector128<float> Pow(Vector128<float> x, Vector128<float> y) => LawLanes.Pow<SimdLaw128, Vector128<float>>(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> TruncateToInt32Bits(Vector128<float> value) => Vector128.ConvertToInt32(value).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MaxLaneBits(Vector128<float> value) => Simd128.MaxLaneBits(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FloorQuotientAtMost(Vector128<float> numerator, Vector128<float> denominator, Vector128<float> cap) => Vector128.Narrow(
        Vector128.Min(Vector128.Floor(Vector128.WidenLower(numerator) / Vector128.WidenLower(denominator)), Vector128.WidenLower(cap)),
        Vector128.Min(Vector128.Floor(Vector128.WidenUpper(numerator) / Vector128.WidenUpper(denominator)), Vector128.WidenUpper(cap)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double SumLanes(Vector128<float> value) => Vector128.Sum(Vector128.WidenLower(value) + Vector128.WidenUpper(value));
}

/// <summary>One float lane: the scalar path (and a row's tail) runs the same generic body, hence the same operations.</summary>
internal readonly struct SimdLawScalar : ISimdLawOps<float>
{
    public static int Count => 1;
    public static float Zero => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(ref float source, nuint offset) => Unsafe.Add(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float value, ref float destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Subtract(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Divide(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sqrt(float value) => MathF.Sqrt(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Abs(float a) => MathF.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Min(float a, float b) => MathF.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Max(float a, float b) => MathF.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float GreaterThan(float a, float b) => a > b ? MathBits.AllOnes : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float LessThan(float a, float b) => a < b ? MathBits.AllOnes : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float And(float a, float b) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & BitConverter.SingleToInt32Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Or(float a, float b) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) | BitConverter.SingleToInt32Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Select(float mask, float whenSet, float whenClear) => BitConverter.SingleToInt32Bits(mask) != 0 ? whenSet : whenClear;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyBitSet(float value) => BitConverter.SingleToInt32Bits(value) != 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Exp(float value) => MathF.Exp(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gather(float[] source, ref int start, ref int last, int t) => source[start + (t < 0 ? last + 1 : Math.Min(t, last))];
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Pow(float x, float y) => MathF.Pow(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float TruncateToInt32Bits(float value) => BitConverter.Int32BitsToSingle((int)value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MaxLaneBits(float value) => BitConverter.SingleToUInt32Bits(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FloorQuotientAtMost(float numerator, float denominator, float cap) => (float)Math.Min(Math.Floor(numerator / (double)denominator), cap);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double SumLanes(float value) => value;
}

/// <summary>The lane-by-lane elementary functions of the vector widths.</summary>
internal static class LawLanes
{
    public static TVec Exp<TOps, TVec>(TVec value) where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        Lanes16 lanes = default;
        ref float first = ref MemoryMarshal.GetReference((Span<float>)lanes);
        TOps.Store(value, ref first, 0);
        for (int l = 0; l < TOps.Count; l++) Unsafe.Add(ref first, l) = MathF.Exp(Unsafe.Add(ref first, l));
        return TOps.Load(ref first, 0);
    }

    public static TVec Pow<TOps, TVec>(TVec x, TVec y) where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        Lanes16 xs = default, ys = default;
        ref float xf = ref MemoryMarshal.GetReference((Span<float>)xs);
        ref float yf = ref MemoryMarshal.GetReference((Span<float>)ys);
        TOps.Store(x, ref xf, 0);
        TOps.Store(y, ref yf, 0);
        for (int l = 0; l < TOps.Count; l++) Unsafe.Add(ref xf, l) = MathF.Pow(Unsafe.Add(ref xf, l), Unsafe.Add(ref yf, l));
        return TOps.Load(ref xf, 0);
    }

    /// <summary>The lane-by-lane gather (see <see cref="ISimdLawOps{TVec}.Gather"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Gather<TOps, TVec>(float[] source, ref int start, ref int last, int t) where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        Unsafe.SkipInit(out Lanes16 lanes);
        ref float g = ref MemoryMarshal.GetArrayDataReference(source);
        for (int l = 0; l < TOps.Count; l++)
        {
            int first = Unsafe.Add(ref start, l), end = Unsafe.Add(ref last, l);
            lanes[l] = Unsafe.Add(ref g, first + (t < 0 ? end + 1 : Math.Min(t, end)));
        }
        return TOps.Load(ref MemoryMarshal.GetReference((Span<float>)lanes), 0);
    }

    [InlineArray(16)]
    internal struct Lanes16 { private float _lane; }
}

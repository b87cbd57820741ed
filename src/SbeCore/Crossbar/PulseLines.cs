using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Crossbar;

/// <summary>
/// The per-line quantities of a pulsed write, one vector pass per side: line l's firing probability
/// p_l = min(scale |v_l|, 1), its mask threshold (<see cref="PulseMasks.Threshold"/>), and its direction
/// flip * sign(v_l) as a byte and, when asked, as a float; and the lines whose masks fire. A training write touches few
/// devices, so these passes over all a + b lines were most of its cost as scalar loops. Every width gives the scalar
/// loop's values (p * 2^32 is exact in float for p &lt; 1, so truncating it matches the double computation).
/// </summary>
internal static class PulseLines
{
    public static void Prepare(float scale, ReadOnlySpan<float> values, float flip, Span<float> probability, Span<uint> thresholds,
        Span<sbyte> signs, Span<float> directions)
    {
        int n = values.Length;
        if (probability.Length < n || thresholds.Length < n || signs.Length < n || (!directions.IsEmpty && directions.Length < n))
            throw new ArgumentException($"the line outputs must hold {n} lines.");
        switch (SimdDispatch.For(n))
        {
            case SimdWidth.V512: PrepareCore<Simd512, Vector512<float>>(scale, values, flip, probability, thresholds, signs, directions); break;
            case SimdWidth.V256: PrepareCore<Simd256, Vector256<float>>(scale, values, flip, probability, thresholds, signs, directions); break;
            case SimdWidth.V128: PrepareCore<Simd128, Vector128<float>>(scale, values, flip, probability, thresholds, signs, directions); break;
            default: PrepareScalar(scale, values, flip, probability, thresholds, signs, directions); break;
        }
    }

    private static void PrepareCore<TOps, TVec>(float scale, ReadOnlySpan<float> values, float flip, Span<float> probability,
        Span<uint> thresholds, Span<sbyte> signs, Span<float> directions)
        where TOps : struct, ISimdLineOps<TVec> where TVec : struct
    {
        ref float v = ref MemoryMarshal.GetReference(values);
        ref float p = ref MemoryMarshal.GetReference(probability);
        ref float th = ref Unsafe.As<uint, float>(ref MemoryMarshal.GetReference(thresholds));
        ref sbyte s = ref MemoryMarshal.GetReference(signs);
        ref float dir = ref MemoryMarshal.GetReference(directions);
        bool withDirections = !directions.IsEmpty;
        TVec vScale = TOps.Broadcast(scale), one = TOps.Broadcast(1f), zero = TOps.Zero, twoTo32 = TOps.Broadcast(4294967296f);
        TVec plus = TOps.Broadcast(flip), minus = TOps.Broadcast(-flip), allBits = TOps.Broadcast(BitConverter.UInt32BitsToSingle(uint.MaxValue));
        TVec absMask = TOps.Broadcast(BitConverter.Int32BitsToSingle(int.MaxValue));
        int n = values.Length;
        if (n < TOps.Count) throw new InvalidOperationException($"A {TOps.Count}-lane pass got {n} lines."); // the refs below would leave the spans
        for (int i = 0; ; i += TOps.Count)
        {
            // The last vector ends at n, overlapping the one before: a line's values depend on it alone, so it is
            // written twice with the same values, and small tiles (6 x 26) need no scalar tail.
            if (i > n - TOps.Count) i = n - TOps.Count;
            TVec x = TOps.Load(ref v, (nuint)i);
            TVec pi = TOps.Min(TOps.Multiply(vScale, TOps.And(x, absMask)), one);
            TOps.Store(pi, ref p, (nuint)i);
            TOps.Store(TOps.Select(TOps.LessThan(pi, one), TOps.TruncateToUInt32Bits(TOps.Multiply(pi, twoTo32)), allBits), ref th, (nuint)i);
            TVec sign = TOps.Select(TOps.GreaterThan(x, zero), plus, TOps.Select(TOps.LessThan(x, zero), minus, zero));
            TOps.StoreSigns(sign, ref s, (nuint)i);
            if (withDirections) TOps.Store(sign, ref dir, (nuint)i);
            if (i == n - TOps.Count) return;
        }
    }

    private static void PrepareScalar(float scale, ReadOnlySpan<float> values, float flip, Span<float> probability, Span<uint> thresholds,
        Span<sbyte> signs, Span<float> directions)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float x = values[i];
            probability[i] = MathF.Min(scale * MathF.Abs(x), 1f);
            thresholds[i] = PulseMasks.Threshold(probability[i]);
            float sign = x > 0 ? flip : x < 0 ? -flip : 0f;
            signs[i] = (sbyte)sign;
            if (!directions.IsEmpty) directions[i] = sign;
        }
    }

    /// <summary>Writes the indices of the non-zero words, ascending, and returns how many there are.</summary>
    public static int NonZero(ReadOnlySpan<ulong> words, Span<int> indices)
    {
        if (indices.Length < words.Length) throw new ArgumentException($"indices must hold {words.Length} entries.", nameof(indices));
        return SimdDispatch.ForDouble(words.Length) switch
        {
            SimdWidth.V512 => NonZeroCore<Simd512, Vector512<float>>(words, indices),
            SimdWidth.V256 => NonZeroCore<Simd256, Vector256<float>>(words, indices),
            SimdWidth.V128 => NonZeroCore<Simd128, Vector128<float>>(words, indices),
            _ => NonZeroTail(words, indices, 0, 0),
        };
    }

    private static int NonZeroCore<TOps, TVec>(ReadOnlySpan<ulong> words, Span<int> indices)
        where TOps : struct, ISimdLineOps<TVec> where TVec : struct
    {
        ref ulong w = ref MemoryMarshal.GetReference(words);
        ref int found = ref MemoryMarshal.GetReference(indices);
        int step = TOps.Count / 2, n = words.Length, count = 0, i = 0;
        for (; i <= n - step; i += step)
        {
            // Most words are zero in a training write: skip a vector's worth at a time.
            for (uint bits = TOps.NonZeroWords(ref w, (nuint)i); bits != 0; bits &= bits - 1)
                Unsafe.Add(ref found, count++) = i + BitOperations.TrailingZeroCount(bits);
        }
        return NonZeroTail(words, indices, i, count);
    }

    private static int NonZeroTail(ReadOnlySpan<ulong> words, Span<int> indices, int start, int count)
    {
        for (int i = start; i < words.Length; i++)
            if (words[i] != 0) indices[count++] = i;
        return count;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Crossbar;

// The converters of one read, on the operator layer: the DAC as an element-wise map, the ADC as its own generic loop
// (it also reports whether an output hit the bound). Both give, element by element, the bits of the scalar expressions
// in their comments on every width (division, rint and compare-select only; nothing fused).
internal sealed partial class AnalogReader
{
    /// <summary>
    /// The DAC's scale of an input vector from its noise-management value s, or 0 when the vector reads zero. aihwkit:
    /// scale = 1, divided by s when managed and s &gt; 0. An all-zero input with noise management reads 0 (forward: unless
    /// there is input noise). An input so small that 1 / s overflows (all subnormal) reads 0 too: aihwkit's forward read
    /// returns 0 there (its output is multiplied by 1 / scale = 0), while its backward read returns NaN (0 x inf in the
    /// DAC); both directions give 0 here, the value the read would have without the scaling (docs/crossbar.md, parity).
    /// </summary>
    internal readonly struct InputScaleOperator(bool managed, bool zeroWhenNonPositive) : IUnaryOperator
    {
        public float Invoke(float s)
        {
            if (!managed) return 1f;
            if (s > 0)
            {
                float scale = 1f / s;
                return float.IsPositiveInfinity(scale) ? 0f : scale;
            }
            return s <= 0 && zeroWhenNonPositive ? 0f : 1f;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TOps, TVec>(TVec s) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
        {
            TVec one = TOps.Broadcast(1f);
            if (!managed) return one;
            TVec zero = TOps.Zero, scale = TOps.Divide(one, s);
            TVec positive = TOps.Select(TOps.EqualTo(scale, TOps.Broadcast(float.PositiveInfinity)), zero, scale);
            TVec otherwise = zeroWhenNonPositive ? TOps.Select(TOps.Or(TOps.LessThan(s, zero), TOps.EqualTo(s, zero)), zero, one) : one;
            return TOps.Select(TOps.GreaterThan(s, zero), positive, otherwise);
        }
    }

    /// <summary>
    /// The factor an output vector is rescaled by, from its noise-management value s and its DAC scale: aihwkit multiplies
    /// by out_scale / scale (forward) or by nm_scale (backward, where scale is 1/nm_scale and there is no bound
    /// management); 1/(1/s) need not equal s in float32, so mirror each. It rescales when managed with s &gt; 0 or with
    /// bound management; otherwise (and for a vector that reads zero) the factor is 1, which leaves every output's bits.
    /// </summary>
    internal readonly struct OutputFactorOperator(bool managed, bool boundManaged, bool transposed) : IBinaryOperator
    {
        public bool Scales(float s) => (managed && s > 0) || boundManaged;

        public float Factor(float s, float scale) => transposed && !boundManaged ? s : 1f / scale;

        public float Invoke(float s, float scale) => scale != 0 && Scales(s) ? Factor(s, scale) : 1f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TOps, TVec>(TVec s, TVec scale) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
        {
            TVec one = TOps.Broadcast(1f), zero = TOps.Zero, all = TOps.Broadcast(BitConverter.UInt32BitsToSingle(~0u));
            TVec scales = boundManaged ? all : managed ? TOps.GreaterThan(s, zero) : zero;
            TVec factor = transposed && !boundManaged ? s : TOps.Divide(one, scale);
            return TOps.Select(TOps.EqualTo(scale, zero), one, TOps.Select(scales, factor, one));
        }
    }

    /// <summary>DAC: v = x scale; v = rint(v / step) step when step &gt; 0; clip to ±bound (Math.Clamp: NaN passes).</summary>
    internal readonly struct DacOperator(float scale, float step, float bound) : IUnaryOperator
    {
        public float Invoke(float x) => new ScaledDacOperator(step, bound).Invoke(x, scale);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TOps, TVec>(TVec x) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
            => new ScaledDacOperator(step, bound).Invoke<TOps, TVec>(x, TOps.Broadcast(scale));
    }

    /// <summary>The DAC with a scale per element (a block of vectors, each with its own scale): the bits of
    /// <see cref="DacOperator"/> with that scale.</summary>
    internal readonly struct ScaledDacOperator(float step, float bound) : IBinaryOperator
    {
        public float Invoke(float x, float scale)
        {
            float v = x * scale;
            if (step > 0) v = MathF.Round(v / step) * step;
            return Math.Clamp(v, -bound, bound);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TOps, TVec>(TVec x, TVec scale) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
        {
            TVec v = TOps.Multiply(x, scale);
            if (step > 0)
            {
                TVec s = TOps.Broadcast(step);
                v = TOps.Multiply(TOps.Round(TOps.Divide(v, s)), s);
            }
            TVec upper = TOps.Broadcast(bound), lower = TOps.Broadcast(-bound);
            v = TOps.Select(TOps.LessThan(v, lower), lower, v);
            return TOps.Select(TOps.GreaterThan(v, upper), upper, v);
        }
    }

    /// <summary>
    /// The output step, element by element: destination = clip(rint((y + sigma noise) / step) step, ±bound) times the
    /// factor (noise empty: no noise; factors empty: <paramref name="factor"/> for every element, times 1 leaving the bits).
    /// Returns -1 when no output hit the bound (above +bound, or below -bound with <paramref name="testNegative"/>);
    /// otherwise, with <paramref name="stopAtHit"/>, the first index of the stretch (a vector's width of elements) where
    /// one did, the pass stopping there unwritten, and without it 0. The destination may be y.
    /// </summary>
    internal static int NoisyAdc(ReadOnlySpan<float> y, ReadOnlySpan<float> noise, float sigma, ReadOnlySpan<float> factors, float factor,
        Span<float> destination, float step, float bound, bool testNegative, bool stopAtHit)
    {
        if ((!factors.IsEmpty && factors.Length != y.Length) || destination.Length != y.Length || (!noise.IsEmpty && noise.Length < y.Length))
            throw new ArgumentException("The noisy ADC's factors and destination must be as long as its outputs, and its noise at least as long.");
        return SimdDispatch.For(y.Length) switch
        {
            SimdWidth.V512 => NoisyAdcCore<Simd512, Vector512<float>>(y, noise, sigma, factors, factor, destination, step, bound, testNegative, stopAtHit),
            SimdWidth.V256 => NoisyAdcCore<Simd256, Vector256<float>>(y, noise, sigma, factors, factor, destination, step, bound, testNegative, stopAtHit),
            SimdWidth.V128 => NoisyAdcCore<Simd128, Vector128<float>>(y, noise, sigma, factors, factor, destination, step, bound, testNegative, stopAtHit),
            _ => NoisyAdcScalar(y, noise, sigma, factors, factor, destination, step, bound, testNegative, stopAtHit),
        };
    }

    /// <summary><see cref="NoisyAdc"/> at a width the caller chose (at least one vector of elements).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int NoisyAdcCore<TOps, TVec>(ReadOnlySpan<float> y, ReadOnlySpan<float> noise, float sigma, ReadOnlySpan<float> factors, float factor,
        Span<float> destination, float step, float bound, bool testNegative, bool stopAtHit)
        where TOps : struct, ISimdElementOps<TVec> where TVec : struct
    {
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rg = ref MemoryMarshal.GetReference(noise);
        ref float rf = ref MemoryMarshal.GetReference(factors);
        ref float rd = ref MemoryMarshal.GetReference(destination);
        bool noisy = !noise.IsEmpty, quantize = step > 0, perElement = !factors.IsEmpty;
        TVec s = TOps.Broadcast(step), upper = TOps.Broadcast(bound), lower = TOps.Broadcast(-bound), g = TOps.Broadcast(sigma), f = TOps.Broadcast(factor);
        TVec all = TOps.Broadcast(BitConverter.UInt32BitsToSingle(~0u)), testLower = testNegative ? all : TOps.Zero;
        TVec hit = TOps.Zero;
        int n = y.Length, whole = n - n % TOps.Count;
        // The last stretch ends at the last element; in place, it keeps the lanes the one before finished.
        for (int i = 0; i < n; i += TOps.Count)
        {
            bool tail = i >= whole;
            nuint at = (nuint)(tail ? n - TOps.Count : i);
            TVec fresh = tail ? TOps.TailMask(n - whole) : all;
            TVec v = TOps.Load(ref ry, at);
            if (noisy) v = TOps.Add(v, TOps.Multiply(g, TOps.Load(ref rg, at))); // AddScaledOperator: y + σ ξ
            if (quantize) v = TOps.Multiply(TOps.Round(TOps.Divide(v, s)), s);
            TVec above = TOps.GreaterThan(v, upper), below = TOps.LessThan(v, lower);
            TVec hits = TOps.And(fresh, TOps.Or(above, TOps.And(below, testLower)));
            if (stopAtHit && TOps.AnyBitSet(hits)) return (int)at;
            hit = TOps.Or(hit, hits);
            v = TOps.Select(above, upper, TOps.Select(below, lower, v));
            v = TOps.Multiply(v, perElement ? TOps.Load(ref rf, at) : f); // MultiplyOperator: the ADC's output times the factor
            TOps.Store(TOps.Select(fresh, v, TOps.Load(ref rd, at)), ref rd, at);
        }
        return TOps.AnyBitSet(hit) ? 0 : -1;
    }

    private static int NoisyAdcScalar(ReadOnlySpan<float> y, ReadOnlySpan<float> noise, float sigma, ReadOnlySpan<float> factors, float factor,
        Span<float> destination, float step, float bound, bool testNegative, bool stopAtHit)
    {
        int hitAt = -1;
        for (int i = 0; i < y.Length; i++)
        {
            float v = y[i];
            if (!noise.IsEmpty) v += sigma * noise[i];
            if (step > 0) v = MathF.Round(v / step) * step;
            if (v > bound || (testNegative && v < -bound))
            {
                if (stopAtHit) return i;
                hitAt = 0;
            }
            destination[i] = Math.Clamp(v, -bound, bound) * (factors.IsEmpty ? factor : factors[i]);
        }
        return hitAt;
    }
}

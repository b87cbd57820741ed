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

    /// <summary>ADC in place: v = rint(v / step) step when step &gt; 0, clipped to ±bound. Returns false when an output
    /// went above +bound, or below -bound with <paramref name="testNegative"/> (bound management should try again).</summary>
    internal static bool Adc(Span<float> y, float step, float bound, bool testNegative) => SimdDispatch.For(y.Length) switch
    {
        SimdWidth.V512 => AdcCore<Simd512, Vector512<float>>(y, step, bound, testNegative),
        SimdWidth.V256 => AdcCore<Simd256, Vector256<float>>(y, step, bound, testNegative),
        SimdWidth.V128 => AdcCore<Simd128, Vector128<float>>(y, step, bound, testNegative),
        _ => AdcTail(y, 0, step, bound, testNegative),
    };

    private static bool AdcCore<TOps, TVec>(Span<float> y, float step, float bound, bool testNegative)
        where TOps : struct, ISimdElementOps<TVec> where TVec : struct
    {
        ref float r = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)TOps.Count, length = (nuint)y.Length, i = 0;
        TVec s = TOps.Broadcast(step), upper = TOps.Broadcast(bound), lower = TOps.Broadcast(-bound);
        TVec hit = TOps.Zero, testLower = testNegative ? TOps.Broadcast(BitConverter.UInt32BitsToSingle(~0u)) : TOps.Zero;
        bool quantize = step > 0;
        for (; i + n <= length; i += n)
        {
            TVec v = TOps.Load(ref r, i);
            if (quantize) v = TOps.Multiply(TOps.Round(TOps.Divide(v, s)), s);
            TVec above = TOps.GreaterThan(v, upper), below = TOps.LessThan(v, lower);
            hit = TOps.Or(hit, TOps.Or(above, TOps.And(below, testLower)));
            TOps.Store(TOps.Select(above, upper, TOps.Select(below, lower, v)), ref r, i);
        }
        bool passed = AdcTail(y, (int)i, step, bound, testNegative);
        return passed && !TOps.AnyBitSet(hit);
    }

    private static bool AdcTail(Span<float> y, int start, float step, float bound, bool testNegative)
    {
        bool passed = true;
        for (int i = start; i < y.Length; i++)
        {
            float v = y[i];
            if (step > 0) v = MathF.Round(v / step) * step;
            if (v > bound) { v = bound; passed = false; }
            else if (v < -bound) { v = -bound; passed &= !testNegative; }
            y[i] = v;
        }
        return passed;
    }
}

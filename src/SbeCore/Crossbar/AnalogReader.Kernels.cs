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

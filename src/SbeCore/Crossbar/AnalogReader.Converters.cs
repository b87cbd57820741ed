using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Crossbar;

// The per-vector steps of a read (noise-management scale, DAC, output noise + ADC, rescale) at a width chosen once per
// read. A convolution reads tens of thousands of short vectors (LeNet-5's first layer: 50,176 of 26 inputs and 6
// outputs per batch), where choosing a width and finishing a tail in every call cost more than the arithmetic. Every
// form gives the per-element bits of the operator layer's (the same operations; the output noise takes the same
// Gaussians in the same order as RandomStream.AddGaussian).
internal sealed partial class AnalogReader
{
    internal interface IVectorSteps
    {
        static abstract void Dac(DacOperator dac, ReadOnlySpan<float> x, Span<float> destination);
        /// <summary>y += outNoise ξ (the drawn <paramref name="noise"/>, empty when outNoise is 0), then the ADC, then
        /// y *= factor (when scaling); false when an output hit the bound (then y is read again, so the factor does no
        /// harm).</summary>
        static abstract bool NoiseAdcScale(Span<float> y, ReadOnlySpan<float> noise, float outNoise, float step, float bound, bool testNegative, bool scaling, float factor);
        /// <summary>perElement[s length + i] = perVector[s] for i &lt; length; perElement holds a vector more (the stores
        /// of the last one may reach past it).</summary>
        static abstract void Expand(ReadOnlySpan<float> perVector, int length, Span<float> perElement);
    }

    /// <summary>Any length: each step chooses its own width (the scalar width).</summary>
    internal readonly struct DispatchedSteps : IVectorSteps
    {
        public static void Dac(DacOperator dac, ReadOnlySpan<float> x, Span<float> destination) => SimdMap.Unary(dac, x, destination);

        public static bool NoiseAdcScale(Span<float> y, ReadOnlySpan<float> noise, float outNoise, float step, float bound, bool testNegative, bool scaling, float factor) =>
            NoisyAdc(y, noise, outNoise, default, scaling ? factor : 1f, y, step, bound, testNegative, stopAtHit: false) < 0;

        public static void Expand(ReadOnlySpan<float> perVector, int length, Span<float> perElement)
        {
            for (int s = 0; s < perVector.Length; s++) perElement.Slice(s * length, length).Fill(perVector[s]);
        }
    }

    /// <summary>Vectors of at least TOps.Count elements: whole vectors, then one vector ending at the last element; in
    /// place, that last vector keeps its already finished lanes.</summary>
    internal readonly struct WidthSteps<TOps, TVec> : IVectorSteps where TOps : struct, ISimdElementOps<TVec> where TVec : struct
    {
        // The loops read and write whole vectors through refs: a length below one vector would reach outside the span.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void RequireFits(int length)
        {
            if (length < TOps.Count) throw new InvalidOperationException($"A vector step at {TOps.Count} lanes got {length} elements.");
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Dac(DacOperator dac, ReadOnlySpan<float> x, Span<float> destination)
        {
            RequireFits(x.Length);
            if (destination.Length != x.Length) throw new ArgumentException("The DAC's destination must be as long as its input.", nameof(destination));
            ref float src = ref MemoryMarshal.GetReference(x);
            ref float dst = ref MemoryMarshal.GetReference(destination);
            int n = x.Length, last = n - TOps.Count;
            // Out of place, so the last vector may simply redo the lanes it shares with the one before.
            for (int i = 0; ; i += TOps.Count)
            {
                if (i > last) i = last;
                TOps.Store(dac.Invoke<TOps, TVec>(TOps.Load(ref src, (nuint)i)), ref dst, (nuint)i);
                if (i == last) return;
            }
        }

        public static void Expand(ReadOnlySpan<float> perVector, int length, Span<float> perElement)
        {
            RequireFits(length);
            if (perElement.Length < perVector.Length * length + TOps.Count) throw new ArgumentException("The spread values need a vector of slack.", nameof(perElement));
            ref float dst = ref MemoryMarshal.GetReference(perElement);
            // Each vector's stores may reach into the next one's elements, which its own stores then overwrite.
            for (int s = 0; s < perVector.Length; s++)
            {
                TVec value = TOps.Broadcast(perVector[s]);
                nuint at = (nuint)(s * length);
                for (int i = 0; i < length; i += TOps.Count) TOps.Store(value, ref dst, at + (nuint)i);
            }
        }

        public static bool NoiseAdcScale(Span<float> y, ReadOnlySpan<float> noise, float outNoise, float step, float bound, bool testNegative, bool scaling, float factor)
        {
            RequireFits(y.Length);
            if (!noise.IsEmpty && noise.Length < y.Length) throw new ArgumentException("The output noise must cover the outputs.", nameof(noise));
            return NoisyAdcCore<TOps, TVec>(y, noise, outNoise, default, scaling ? factor : 1f, y, step, bound, testNegative, stopAtHit: false) < 0;
        }
    }
}

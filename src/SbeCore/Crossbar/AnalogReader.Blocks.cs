using System.Runtime.Intrinsics;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

// Short vectors a group of inputs at a time, where the one-vector steps (AnalogReader.Converters.cs) cost more in
// set-up than in arithmetic: each step runs once over the group's vectors laid end to end. The per-vector values (the
// DAC's scale, the output's rescale factor) are spread over their elements, the group's Gaussians are drawn in one call
// and placed at the vectors that draw them, and the DAC or the noisy ADC runs as one element-wise pass. Each element
// gets the same operations and the same Gaussian as one vector at a time, so the bits are those (tested against them).
internal sealed partial class AnalogReader
{
    /// <summary>Vectors up to this length run a group at a time (AnalogReader.Blocks.cs); longer ones one by one, where
    /// the set-up is amortised and spreading the per-vector values would be one more pass over the outputs. Tests set it
    /// to 0 to compare the two.</summary>
    internal int BlockMaxLength { get; set; } = DefaultBlockMaxLength;

    internal const int DefaultBlockMaxLength = 256;

    /// <summary>A part's random stream, its chunk's DAC outputs and per-vector values (grown before a read to the largest
    /// chunk seen) and the scratch of its group passes (grown to the largest group seen).</summary>
    private sealed class PartScratch(RandomStream random)
    {
        public readonly RandomStream Random = random;
        public float[] Dac = [];         // the chunk's input vectors after the DAC
        public float[] Scales = [];      // per input vector without noise management: its value s, 1 (with it: the scan's maxima)
        public float[] InputScales = []; // per input vector: the DAC's scale 1/s, or 0 when the vector reads zero
        public float[] PerVector = [], PerElement = [], Noise = [], Staged = [];

        public void GrowChunk(int vectors, int inLen)
        {
            Grow(ref Dac, vectors * inLen);
            Grow(ref Scales, vectors);
            Grow(ref InputScales, vectors);
        }

        public static Span<float> Grow(ref float[] array, int length)
        {
            if (array.Length < length) array = new float[length];
            return array.AsSpan(0, length);
        }
    }

    // The group's DAC (and input noise) over all its elements; vectors that read zero are cleared.
    private void InputBlock(PartScratch part, int from, int to, ReadOnlySpan<float> input, Span<float> dac, ReadOnlySpan<float> inputScales, int inLen)
    {
        IOConfig io = _io;
        int count = to - from;
        var groupScales = inputScales.Slice(from, count);
        var perElement = PartScratch.Grow(ref part.PerElement, count * inLen + Vector512<float>.Count);
        Expand(groupScales, inLen, perElement);
        var x = input.Slice(from * inLen, count * inLen);
        var xq = dac.Slice(from * inLen, count * inLen);
        SimdMap.Binary(new ScaledDacOperator(Step(io.InpRes, io.InpBound), io.InpBound), x, perElement.Slice(0, xq.Length), xq);
        int drawing = Drawing(groupScales);
        if (io.InpNoise > 0) SimdMap.Binary(new AddScaledOperator(io.InpNoise), xq, DrawForVectors(part, groupScales, drawing, inLen), xq);
        if (drawing < count) ClearZeroVectors(groupScales, xq, inLen);
    }

    // The group's output side: output noise, the ADC and the rescale over all its elements. With bound management the
    // pass writes to scratch and stops at the first stretch of outputs where one hit the bound; from the vector that
    // stretch starts in, the group goes on one vector at a time (its retries draw before the next vector's noise), from the
    // same place in the stream. Weight noise (a second Gaussian per output, scaled per vector) goes one vector at a time.
    private void OutputBlock<TSteps>(PartScratch part, int first, int from, int to, ReadOnlySpan<float> input, ReadOnlySpan<float> scales,
        ReadOnlySpan<float> inputScales, Span<float> output)
        where TSteps : struct, IVectorSteps
    {
        IOConfig io = _io;
        bool transposed = _transposed;
        int outLen = transposed ? _cols : _rows, count = to - from;
        bool bm = BoundManaged(io, transposed);
        var groupScales = inputScales.Slice(from, count);
        var factors = PartScratch.Grow(ref part.PerVector, count);
        SimdMap.Binary(new OutputFactorOperator(io.NoiseManagement == NoiseManagement.AbsMax, bm, transposed), scales.Slice(from, count), groupScales, factors);
        var perElement = PartScratch.Grow(ref part.PerElement, count * outLen + Vector512<float>.Count);
        Expand(factors, outLen, perElement);
        var y = output.Slice(from * outLen, count * outLen);
        int drawing = Drawing(groupScales);
        ReadOnlySpan<float> noise = io.OutNoise > 0 ? DrawForVectors(part, groupScales, drawing, outLen) : default;
        var destination = bm ? PartScratch.Grow(ref part.Staged, y.Length) : y;
        int hitAt = NoisyAdc(y, noise, io.OutNoise, perElement.Slice(0, y.Length), 1f, destination, OutputStep(io), io.OutBound, io.BmTestNegativeBound, stopAtHit: bm);
        int done = bm && hitAt >= 0 ? hitAt / outLen : count; // without bound management a hit changes nothing
        if (bm) destination.Slice(0, done * outLen).CopyTo(y);
        if (drawing < count) ClearZeroVectors(groupScales.Slice(0, done), y, outLen);
        if (done == count) return;
        part.Random.Seek(Line(first + from, output: true), _read, 2 * _group * outLen, 0);
        if (io.OutNoise > 0) part.Random.SkipGaussians(Drawing(groupScales.Slice(0, done)) * outLen);
        OutputVectors<TSteps>(part, first, from + done, to, input, scales, inputScales, output);
    }

    // perElement[s length + i] = perVector[s] at the width the vectors' length picks.
    private static void Expand(ReadOnlySpan<float> perVector, int length, Span<float> perElement)
    {
        switch (SimdDispatch.For(length))
        {
            case SimdWidth.V512: WidthSteps<Simd512, Vector512<float>>.Expand(perVector, length, perElement); break;
            case SimdWidth.V256: WidthSteps<Simd256, Vector256<float>>.Expand(perVector, length, perElement); break;
            case SimdWidth.V128: WidthSteps<Simd128, Vector128<float>>.Expand(perVector, length, perElement); break;
            default: DispatchedSteps.Expand(perVector, length, perElement); break;
        }
    }

    // Vectors that draw noise: those that do not read zero (DAC scale 0).
    private static int Drawing(ReadOnlySpan<float> inputScales) => inputScales.Length - SimdReduce.CountZeros(inputScales);

    // The next Gaussians, `length` for each drawing vector of the group (in order), placed at those vectors' elements; a
    // zero vector's elements get whatever is left there (its output is cleared).
    private static Span<float> DrawForVectors(PartScratch part, ReadOnlySpan<float> inputScales, int drawing, int length)
    {
        var noise = PartScratch.Grow(ref part.Noise, inputScales.Length * length);
        part.Random.DrawGaussians(noise.Slice(0, drawing * length));
        // From the last vector back, each drawing vector's run moves to its own place (never below where it was drawn).
        for (int s = inputScales.Length - 1, next = drawing; s >= 0 && next > 0 && next <= s; s--)
        {
            if (inputScales[s] == 0) continue;
            next--;
            if (next != s) noise.Slice(next * length, length).CopyTo(noise.Slice(s * length, length));
        }
        return noise;
    }

    private static void ClearZeroVectors(ReadOnlySpan<float> inputScales, Span<float> values, int length)
    {
        for (int s = 0; s < inputScales.Length; s++)
            if (inputScales[s] == 0) values.Slice(s * length, length).Clear();
    }
}

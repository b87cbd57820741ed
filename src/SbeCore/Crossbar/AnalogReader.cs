using System.Runtime.Intrinsics;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

/// <summary>
/// One read direction with peripheral non-idealities, in the order and float32 arithmetic of aihwkit's
/// ForwardBackwardPassIOManaged (rpu_forward_backward_pass.cpp), and checked against it (tests/SbeCore.Tests/Fidelity):
/// per input vector, noise management scale s = max|x| (AbsMax, capped at nm_thres) and the DAC
/// x' = clip(rint(x (1/s)/bm / Δin) Δin, ±inp_bound) + inp_noise ξ; one batched matrix product for the whole batch; per
/// output, w_noise ‖x'‖ ξ (aihwkit ADDITIVE_CONSTANT) and out_noise ξ, the ADC y = clip(rint(y / Δout) Δout, ±out_bound),
/// iterative bound management (bm = 2, 4, ... while an output hit the bound), and the rescale y · 1/((1/s)/bm).
/// Backward reads (<c>transposed</c>) run without bound management, as aihwkit does, unless
/// <see cref="IOConfig.BackwardBoundManagement"/>. Scratch grows to the largest batch seen, so steady-state reads
/// allocate nothing. Every random number is keyed by (tile, read number, group of inputs; <see cref="GroupSize"/>), so
/// the groups can run on any thread in any order and give the same bits.
/// </summary>
internal sealed partial class AnalogReader
{
    /// <summary>
    /// Inputs per keyed line of read noise: 16, or more for short vectors so that each side of a group draws about 1,000
    /// values (a line costs one keyed seeding: 8-18 % of a 6 x 26 read in groups of 16). A read split over threads gives each thread
    /// whole groups (a multiple of the matrix product's 4-input register tiles too), so the bits do not depend on the
    /// thread count; they depend on the shape only.
    /// </summary>
    internal static int GroupSize(int inLen, int outLen) => 16 * Math.Max(1, 64 / Math.Max(1, Math.Min(inLen, outLen)));

    private readonly ulong _gaussianKey, _uniformKey;
    private readonly Action<int> _runPart;
    private readonly ParallelKernels _product = new();
    private PartScratch[] _parts = [];
    private float[] _maxima = []; // per input vector of the scanned batch: max|x| capped at nm_thres (noise management)
    private int _scanned = -1;    // inputs ScanInputs checked and took the maxima of, for the read that follows

    // The read in flight, in fields so that parts on other threads see it.
    private IOConfig _io = null!;
    private float[] _weights = null!;
    private int _rows, _cols, _n, _per, _group, _chunk, _productThreads;
    private bool _transposed;
    private ulong _read;
    private unsafe float* _input, _output;

    /// <summary>A reader whose noise is keyed by (<paramref name="gaussianKey"/>, <paramref name="uniformKey"/>), the read
    /// number and the group of inputs.</summary>
    public AnalogReader(ulong gaussianKey, ulong uniformKey)
    {
        _gaussianKey = gaussianKey; _uniformKey = uniformKey;
        _runPart = RunPart;
        EnsureParts(1);
    }

    /// <summary>Bytes worker threads allocated running this reader's parts (tests: steady state allocates nothing).</summary>
    public long WorkerAllocatedBytes
    {
        get => _workerAllocated + _product.WorkerAllocatedBytes;
        private set => _workerAllocated = value;
    }
    private long _workerAllocated;

    /// <summary>Tests: multiply-adds per thread below which a read (or its matrix product) is not split.</summary>
    public long MinWorkPerThread
    {
        get => _minWork;
        set { _minWork = value; _product.MinWorkPerThread = value; }
    }
    private long _minWork = ParallelTuning.MinMultiplyAddsPerThread;

    /// <summary>
    /// Before a read with noise management: each input vector's max|x| (capped at nm_thres) for the whole batch, which
    /// is also the check that the inputs are finite (NaN for a vector holding a NaN or an infinity), so the inputs are
    /// scanned once, not twice. False when the config has no noise management, the batch is empty, or an input is not
    /// finite: the caller then scans for (and names) a bad element itself. A read with noise management must follow a
    /// scan of its inputs that returned true.
    /// </summary>
    public bool ScanInputs(IOConfig io, ReadOnlySpan<float> input, int n, int inLen)
    {
        _scanned = -1;
        if (io.NoiseManagement != NoiseManagement.AbsMax || n == 0) return false;
        if (_maxima.Length < n) _maxima = new float[n];
        var maxima = _maxima.AsSpan(0, n);
        SimdReduce.AbsMaxEach(input.Slice(0, n * inLen), inLen, io.NmThres > 0 ? io.NmThres : float.PositiveInfinity, maxima);
        if (float.IsNaN(SimdReduce.AbsMax(maxima))) return false;
        _scanned = n;
        return true;
    }

    /// <summary>Reads n inputs; read <paramref name="readNumber"/> keys its noise (each number once per tile). The groups
    /// of inputs run on up to <paramref name="threads"/> threads when the work pays for it.</summary>
    public unsafe void Read(IOConfig io, float[] weights, int rows, int cols, bool transposed,
        ReadOnlySpan<float> input, int n, Span<float> output, ulong readNumber, int threads)
    {
        int inLen = transposed ? rows : cols, outLen = transposed ? cols : rows;
        bool scanned = _scanned == n;
        _scanned = -1;
        if (io.NoiseManagement == NoiseManagement.AbsMax && n > 0 && !scanned)
            throw new InvalidOperationException("A read with noise management needs ScanInputs of its inputs first.");
        int group = _group = GroupSize(inLen, outLen);
        int groups = (n + group - 1) / group;
        long work = (long)n * rows * cols;
        int parts = (int)Math.Clamp(Math.Min(threads, work / Math.Max(1, MinWorkPerThread)), 1, Math.Max(1, groups));
        _per = (groups + parts - 1) / parts * group;
        parts = Math.Max(1, (n + _per - 1) / _per);
        EnsureParts(parts);
        _chunk = ChunkVectors(rows, cols, group);
        for (int p = 0; p < parts; p++) _parts[p].GrowChunk(Math.Min(_chunk, _per), inLen);
        _io = io; _weights = weights; _rows = rows; _cols = cols; _n = n; _transposed = transposed; _read = readNumber;
        _productThreads = parts == 1 ? threads : 1; // too few inputs to split: the matrix product alone may still split by rows
        fixed (float* pi = input, po = output)
        {
            _input = pi; _output = po;
            try
            {
                if (parts == 1) ReadInputs(_parts[0], 0, n);
                else WorkerAllocatedBytes += WorkerPool.Shared.Run(_runPart, parts);
            }
            finally { _input = _output = null; _weights = null!; }
        }
    }

    private void EnsureParts(int count)
    {
        if (_parts.Length >= count) return;
        var grown = new PartScratch[count];
        _parts.CopyTo(grown, 0);
        for (int p = _parts.Length; p < count; p++) grown[p] = new PartScratch(RandomStream.Keyed(_gaussianKey, _uniformKey));
        _parts = grown;
    }

    private void RunPart(int part)
    {
        int first = part * _per;
        ReadInputs(_parts[part], first, Math.Min(_n, first + _per));
    }

    /// <summary>Bytes of input (or output) vectors a part reads through all its steps before the next ones, so that the
    /// DAC's output and the product's come back from L2 rather than memory: a convolution's batch (LeNet-5's first layer,
    /// 50,176 patches) is megabytes, read four times over. A chunk holds whole groups and at least four times the
    /// weights' bytes, so reading the weights again per chunk adds at most a quarter to the inputs' traffic (a batch of
    /// up to four times the layer's shorter side is one chunk). The bits do not depend on it: the product's bits do not
    /// depend on where a batch is split at multiples of 16 inputs, and the noise is keyed by group. Tests set it small.</summary>
    internal int ChunkBytes { get; set; } = DefaultChunkBytes;

    internal const int DefaultChunkBytes = 64 * 1024;

    // Whole groups whose vectors (input or output, the longer) fill ChunkBytes or four times the weights' bytes.
    private int ChunkVectors(int rows, int cols, int group)
    {
        long bytes = Math.Max(ChunkBytes, 4L * rows * cols * sizeof(float));
        long groups = Math.Max(1, bytes / (sizeof(float) * (long)Math.Max(rows, cols)) / group);
        return (int)Math.Min(groups * group, int.MaxValue / 2);
    }

    // Inputs [first, end) (first a multiple of the group size), a chunk at a time.
    private void ReadInputs(PartScratch part, int first, int end)
    {
        for (int from = first; from < end; from += _chunk) ReadChunk(part, from, Math.Min(end, from + _chunk));
    }

    // Inputs [first, end) (first a multiple of the group size): the DAC of each, one batched matrix product, then per output
    // vector noise, ADC, bound management and rescale. Group g draws its input-side noise from keyed line 2g and its
    // output side (bound management's repeated conversions included) from line 2g + 1. Each side runs at one width for
    // the whole chunk (AnalogReader.Converters.cs), short vectors a group at a time (AnalogReader.Blocks.cs).
    private unsafe void ReadChunk(PartScratch part, int first, int end)
    {
        bool transposed = _transposed;
        int rows = _rows, cols = _cols, count = end - first;
        int inLen = transposed ? rows : cols, outLen = transposed ? cols : rows;
        var input = new ReadOnlySpan<float>(_input + (long)first * inLen, count * inLen);
        var output = new Span<float>(_output + (long)first * outLen, count * outLen);
        var dac = part.Dac.AsSpan(0, count * inLen);
        var inputScales = part.InputScales.AsSpan(0, count);
        // The noise-management values s (the scan's maxima), or 1 without noise management.
        Span<float> scales;
        if (_io.NoiseManagement == NoiseManagement.AbsMax) scales = _maxima.AsSpan(first, count);
        else (scales = part.Scales.AsSpan(0, count)).Fill(1f);
        switch (SimdDispatch.For(inLen))
        {
            case SimdWidth.V512: InputSide<WidthSteps<Simd512, Vector512<float>>>(part, first, input, dac, scales, inputScales, inLen); break;
            case SimdWidth.V256: InputSide<WidthSteps<Simd256, Vector256<float>>>(part, first, input, dac, scales, inputScales, inLen); break;
            case SimdWidth.V128: InputSide<WidthSteps<Simd128, Vector128<float>>>(part, first, input, dac, scales, inputScales, inLen); break;
            default: InputSide<DispatchedSteps>(part, first, input, dac, scales, inputScales, inLen); break;
        }
        if (transposed) _product.BatchReadTransposed(_weights, rows, cols, cols, dac, count, output, _productThreads);
        else _product.BatchRead(_weights, rows, cols, cols, dac, count, output, _productThreads);
        switch (SimdDispatch.For(outLen))
        {
            case SimdWidth.V512: OutputSide<WidthSteps<Simd512, Vector512<float>>>(part, first, input, scales, inputScales, output); break;
            case SimdWidth.V256: OutputSide<WidthSteps<Simd256, Vector256<float>>>(part, first, input, scales, inputScales, output); break;
            case SimdWidth.V128: OutputSide<WidthSteps<Simd128, Vector128<float>>>(part, first, input, scales, inputScales, output); break;
            default: OutputSide<DispatchedSteps>(part, first, input, scales, inputScales, output); break;
        }
    }

    // Group by group: the DAC scales (0: reads zero) from the noise-management values in one pass, then the DAC a group
    // or a vector at a time.
    private void InputSide<TSteps>(PartScratch part, int first, ReadOnlySpan<float> input, Span<float> dac, Span<float> scales, Span<float> inputScales, int inLen)
        where TSteps : struct, IVectorSteps
    {
        IOConfig io = _io;
        bool nm = io.NoiseManagement == NoiseManagement.AbsMax, block = inLen <= BlockMaxLength;
        var scaleOperator = new InputScaleOperator(nm, zeroWhenNonPositive: _transposed || io.InpNoise <= 0);
        for (int from = 0; from < scales.Length; from += _group)
        {
            int to = Math.Min(scales.Length, from + _group);
            part.Random.Seek(Line(first + from, output: false), _read, _group * inLen, 0);
            SimdMap.Unary(scaleOperator, scales.Slice(from, to - from), inputScales.Slice(from, to - from));
            if (block) InputBlock(part, from, to, input, dac, inputScales, inLen);
            else InputVectors<TSteps>(part.Random, from, to, input, dac, inputScales, inLen);
        }
    }

    // Group by group: noise, ADC, bound management and rescale, a group or a vector at a time.
    private void OutputSide<TSteps>(PartScratch part, int first, ReadOnlySpan<float> input, ReadOnlySpan<float> scales, ReadOnlySpan<float> inputScales, Span<float> output)
        where TSteps : struct, IVectorSteps
    {
        int outLen = _transposed ? _cols : _rows;
        bool block = outLen <= BlockMaxLength && _io.WNoise <= 0;
        for (int from = 0; from < scales.Length; from += _group)
        {
            int to = Math.Min(scales.Length, from + _group);
            part.Random.Seek(Line(first + from, output: true), _read, 2 * _group * outLen, 0);
            if (block) OutputBlock<TSteps>(part, first, from, to, input, scales, inputScales, output);
            else OutputVectors<TSteps>(part, first, from, to, input, scales, inputScales, output);
        }
    }

    // Per input vector: the DAC (plus input noise), or zeros.
    private void InputVectors<TSteps>(RandomStream random, int from, int to, ReadOnlySpan<float> input, Span<float> dac, ReadOnlySpan<float> inputScales, int inLen)
        where TSteps : struct, IVectorSteps
    {
        IOConfig io = _io;
        float inStep = Step(io.InpRes, io.InpBound);
        for (int s = from; s < to; s++)
        {
            var xq = dac.Slice(s * inLen, inLen);
            if (inputScales[s] == 0) xq.Clear();
            else Convert<TSteps>(io, input.Slice(s * inLen, inLen), inputScales[s], inStep, xq, random);
        }
    }

    // Per output vector: weight and output noise, the ADC, iterative bound management (halve the input, read the vector
    // again) and the rescale. The stream stands at vector `from`'s first draw.
    private void OutputVectors<TSteps>(PartScratch part, int first, int from, int to, ReadOnlySpan<float> input, ReadOnlySpan<float> scales,
        ReadOnlySpan<float> inputScales, Span<float> output)
        where TSteps : struct, IVectorSteps
    {
        RandomStream random = part.Random;
        IOConfig io = _io;
        bool transposed = _transposed;
        int rows = _rows, cols = _cols;
        int inLen = transposed ? rows : cols, outLen = transposed ? cols : rows;
        bool bm = BoundManaged(io, transposed);
        var factors = new OutputFactorOperator(io.NoiseManagement == NoiseManagement.AbsMax, bm, transposed);
        float inStep = Step(io.InpRes, io.InpBound), outStep = OutputStep(io);
        for (int s = from; s < to; s++)
        {
            var y = output.Slice(s * outLen, outLen);
            float inputScale = inputScales[s];
            if (inputScale == 0) { y.Clear(); continue; }
            var x = input.Slice(s * inLen, inLen);
            var xq = part.Dac.AsSpan(s * inLen, inLen);
            float nmValue = scales[s], reduction = 1f, scale = inputScale;
            while (true)
            {
                bool passed = Finalize<TSteps>(io, y, xq, outStep, factors.Scales(nmValue), factors.Factor(nmValue, scale), part);
                if (!bm || passed || (int)reduction > io.MaxBmFactor || (inStep > 0 && reduction > io.MaxBmRes / inStep)) break;
                // An output hit the bound: halve the input and read this vector again (rare: the input's own width is
                // not this side's, so the DAC picks it). aihwkit divides the scale by the reduction.
                reduction *= 2f;
                scale = inputScale / reduction;
                Convert<DispatchedSteps>(io, x, scale, inStep, xq, random);
                if (transposed) Blas.GemvT(_weights, rows, cols, cols, xq, y);
                else Blas.Gemv(_weights, rows, cols, cols, xq, y);
            }
        }
    }

    private static bool BoundManaged(IOConfig io, bool transposed) =>
        io.BoundManagement == BoundManagement.Iterative && (!transposed || io.BackwardBoundManagement);

    private static float OutputStep(IOConfig io) => float.IsFinite(io.OutBound) ? Step(io.OutRes, io.OutBound) : 0f;

    private uint Line(int sample, bool output) => (uint)(2 * (sample / _group) + (output ? 1 : 0));

    // aihwkit checkRes: res < 0 -> 0 (off), res > 1 -> 1/res (a number of states); the step is res * (2 bound).
    internal static float Step(float res, float bound)
    {
        float r = res < 0 ? 0f : res;
        if (r > 1f) r = 1f / r;
        return r * (2f * bound);
    }

    // x * scale, quantised (rint: round half to even) to steps of Δin, clipped to ±inp_bound, plus input noise.
    private static void Convert<TSteps>(IOConfig io, ReadOnlySpan<float> x, float scale, float step, Span<float> destination, RandomStream random)
        where TSteps : struct, IVectorSteps
    {
        TSteps.Dac(new DacOperator(scale, step, io.InpBound), x, destination);
        if (io.InpNoise > 0) random.AddGaussian(io.InpNoise, destination);
    }

    // Weight noise, output noise, ADC quantisation and clipping. Returns false if an output hit the bound (+out_bound,
    // or -out_bound with bm_test_negative_bound), i.e. if bound management should try again.
    // The output is then rescaled (scaling) by the factor; an attempt that hit the bound is read again, so its rescale is moot.
    private static bool Finalize<TSteps>(IOConfig io, Span<float> y, ReadOnlySpan<float> xq, float step, bool scaling, float factor, PartScratch part)
        where TSteps : struct, IVectorSteps
    {
        // aihwkit ADDITIVE_CONSTANT: fresh N(0, w_noise^2) weight noise summed over the inputs, N(0, w_noise^2 ||x'||^2) per output.
        if (io.WNoise > 0) part.Random.AddGaussian(io.WNoise * (float)Blas.Nrm2(xq), y);
        // The output noise drawn for the whole vector at once (whole blocks straight from the generator).
        Span<float> noise = default;
        if (io.OutNoise > 0)
        {
            noise = PartScratch.Grow(ref part.Noise, y.Length);
            part.Random.DrawGaussians(noise);
        }
        return TSteps.NoiseAdcScale(y, noise, io.OutNoise, step, io.OutBound, io.BmTestNegativeBound, scaling, factor);
    }
}

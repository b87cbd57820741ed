using SbeCore.Crossbar;
using SbeCore.Kernels;
using SbeCore.Numerics;
using SbeCore.Updates;

namespace SbeCore.Training.Layers;

/// <summary>
/// One tile layer (dense or convolutional) driven call by call by an outside autograd, as a torch.autograd.Function
/// drives it: <see cref="Forward"/> reads the batch through the tile, <see cref="Backward"/> reads the gradient back and
/// hands the layer's (delta, input) pairs to its rule, <see cref="Update"/> writes what the rule made of them. A
/// streaming rule (<see cref="IStreamingUpdateRule"/>: SBE) takes the pairs at once and keeps nothing of the batch; the
/// others get the pairs, buffered, at the update. Batches are rows with a stride (elements between row starts, at least
/// the row's width), so a caller's row-strided views pass without a copy. Not thread-safe; steady-state calls allocate
/// nothing.
/// </summary>
public sealed class StepwiseLayer
{
    private readonly ITileLayer _layer;
    private readonly IStreamingUpdateRule? _streaming;
    private float[] _in = [], _out = [], _grad = [], _gradIn = [];
    private float[] _pendingDeltas = [], _pendingInputs = [];
    private int _capacity, _forwardN;
    private long _pending;

    /// <summary>Drives <paramref name="layer"/> (a <see cref="DenseLayer"/> or <see cref="Conv2dLayer"/>: their backward
    /// reads only the gradient and what their forward kept).</summary>
    public StepwiseLayer(ITileLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer is not (DenseLayer or Conv2dLayer))
            throw new ArgumentException($"a stepwise layer drives a dense or conv layer, not {layer.GetType().Name}.", nameof(layer));
        _layer = layer;
        _streaming = layer.Rule is IStreamingUpdateRule { CanStream: true } s ? s : null;
    }

    /// <summary>Layer 0 of a network built with <paramref name="options"/> (its method, rank, estimator options, tile
    /// config and seed; the layer sizes and architecture are not read): the same tile, He-normal weights and rule.</summary>
    public static StepwiseLayer Dense(int inputs, int outputs, NetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (inputs < 1 || outputs < 1) throw new ArgumentException($"a dense layer needs inputs and outputs >= 1 (got {inputs} -> {outputs}).", nameof(inputs));
        CheckDevices(outputs, inputs + 1L);
        return new StepwiseLayer(new DenseLayer(FirstTile(options, outputs, inputs + 1), Network.CreateRule(options, 0, outputs, inputs + 1)));
    }

    /// <summary>As <see cref="Dense"/>, a convolution of <paramref name="geometry"/>.</summary>
    public static StepwiseLayer Conv2d(ConvGeometry geometry, NetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        geometry.Validate("conv");
        CheckDevices(geometry.OutChannels, geometry.PatchSize + 1L);
        if ((long)geometry.Positions * Math.Max(geometry.PatchSize + 1, geometry.OutChannels) > Array.MaxLength)
            throw new ArgumentException($"a sample of this convolution unfolds to more floats than an array holds.", nameof(geometry));
        int rows = geometry.OutChannels, cols = geometry.PatchSize + 1;
        return new StepwiseLayer(new Conv2dLayer(geometry, FirstTile(options, rows, cols), Network.CreateRule(options, 0, rows, cols)));
    }

    private static void CheckDevices(long rows, long cols)
    {
        if (rows * cols > Network.MaxTotalDevices)
            throw new ArgumentException($"a {rows} x {cols} tile has more than {Network.MaxTotalDevices} devices.", nameof(rows));
    }

    private static CrossbarTile FirstTile(NetworkOptions o, int rows, int cols)
    {
        var rng = new Xoshiro256(o.Seed);
        var tile = new CrossbarTile(rows, cols, o.TileConfig, Network.DeriveSeed(o.Seed, 1));
        tile.SetWeights(Network.HeNormal(ref rng, rows, cols));
        return tile;
    }

    /// <summary>The layer driven.</summary>
    public ITileLayer Layer => _layer;
    /// <summary>The tile (rows = outputs or output channels, cols = inputs + 1 bias column).</summary>
    public CrossbarTile Tile => _layer.Tile;
    /// <summary>The update rule.</summary>
    public IUpdateRule Rule => _layer.Rule;
    /// <summary>Floats per input sample.</summary>
    public int InputSize => _layer.Input.Size;
    /// <summary>Floats per output sample.</summary>
    public int OutputSize => _layer.Output.Size;
    /// <summary>Whether the rule takes the pairs as backward produces them (nothing of the batch is kept).</summary>
    public bool Streams => _streaming is not null;
    /// <summary>Pairs observed since the last <see cref="Update"/> (n x positions per backward).</summary>
    public long PendingPairs => _pending;
    /// <summary>Floats buffered for the pending pairs (0 when the rule streams).</summary>
    public long BufferedFloats => _streaming is null ? _pending * (Tile.Rows + Tile.Cols) : 0;

    /// <summary>output rows (n, stride <paramref name="outputStride"/>) = the tile's read of input rows (n, stride
    /// <paramref name="inputStride"/>). Arms one <see cref="Backward"/> of the same n.</summary>
    /// <exception cref="ArgumentException">n &lt; 1, a stride below the row width, a span too short, or non-finite input.</exception>
    public void Forward(ReadOnlySpan<float> input, int n, int inputStride, Span<float> output, int outputStride)
    {
        int inSize = InputSize, outSize = OutputSize;
        StridedBatch.Check(input, n, inSize, inputStride, nameof(input));
        StridedBatch.Check(output, n, outSize, outputStride, nameof(output));
        StridedBatch.CheckFinite(input, n, inSize, inputStride, nameof(input));
        EnsureCapacity(n);
        _forwardN = 0;
        ReadOnlySpan<float> packedIn = StridedBatch.Packed(input, n, inSize, inputStride, _in);
        Span<float> packedOut = outputStride == outSize ? output[..(n * outSize)] : _out.AsSpan(0, n * outSize);
        _layer.Forward(packedIn, n, packedOut);
        if (outputStride != outSize) StridedBatch.Scatter(packedOut, n, outSize, output, outputStride);
        _forwardN = n;
    }

    /// <summary>gradInput rows (n, stride <paramref name="gradInputStride"/>; empty: not needed) = the tile's transposed
    /// read of gradOutput rows (n, stride <paramref name="gradOutputStride"/>), the gradient at the outputs of the last
    /// <see cref="Forward"/> (same n); its (delta, input) pairs go to the rule.</summary>
    /// <exception cref="InvalidOperationException">No forward armed this backward (each forward arms one).</exception>
    /// <exception cref="ArgumentException">n differs from the forward's, a bad stride or length, or non-finite gradient.</exception>
    public void Backward(ReadOnlySpan<float> gradOutput, int n, int gradOutputStride, Span<float> gradInput, int gradInputStride)
    {
        int inSize = InputSize, outSize = OutputSize;
        if (_forwardN == 0) throw new InvalidOperationException("backward needs a forward first (each forward arms one backward).");
        if (n != _forwardN) throw new ArgumentException($"n is {n}; the forward this backward belongs to read {_forwardN} samples.", nameof(n));
        StridedBatch.Check(gradOutput, n, outSize, gradOutputStride, nameof(gradOutput));
        if (!gradInput.IsEmpty) StridedBatch.Check(gradInput, n, inSize, gradInputStride, nameof(gradInput));
        StridedBatch.CheckFinite(gradOutput, n, outSize, gradOutputStride, nameof(gradOutput));
        int positions = _layer.Positions;
        long pairs = (long)n * positions;
        if (_streaming is null) EnsurePending(_pending + pairs);
        ReadOnlySpan<float> grad = StridedBatch.Packed(gradOutput, n, outSize, gradOutputStride, _grad);
        // The pairs first (without gradInput the layers only lay them out), so a rule that refuses them leaves the
        // caller's gradInput as it was; then the transposed read.
        _layer.Backward([], [], grad, n, []);
        ReadOnlySpan<float> deltas = _layer.PairDeltas(grad, n), inputs = _layer.PairInputs(n);
        if (_streaming is not null) _streaming.Observe(deltas, inputs, (int)pairs);
        else
        {
            deltas.CopyTo(_pendingDeltas.AsSpan((int)(_pending * Tile.Rows)));
            inputs.CopyTo(_pendingInputs.AsSpan((int)(_pending * Tile.Cols)));
        }
        _pending += pairs;
        _forwardN = 0;
        if (gradInput.IsEmpty) return;
        Span<float> packedIn = gradInputStride == inSize ? gradInput[..(n * inSize)] : _gradIn.AsSpan(0, n * inSize);
        _layer.Backward([], [], grad, n, packedIn);
        if (gradInputStride != inSize) StridedBatch.Scatter(packedIn, n, inSize, gradInput, gradInputStride);
    }

    /// <summary>
    /// W -= learningRate * sum over the pairs observed since the last update of delta x^T, as the rule writes it (the
    /// step of a summed loss, as torch's gradients are: per-sample rules write each pair at learningRate, batch rules
    /// their estimate of the sum), then the tile's post-update step (refresh, decay, diffusion) once, as an analog
    /// optimizer's step does. With no pairs pending nothing is written; the post-update step still runs.
    /// </summary>
    /// <exception cref="ArgumentException">A non-finite learning rate.</exception>
    public void Update(float learningRate)
    {
        if (!float.IsFinite(learningRate)) throw new ArgumentException($"learningRate is {learningRate}; it must be finite.", nameof(learningRate));
        int m = (int)_pending;
        if (m > 0)
        {
            if (_streaming is not null) _streaming.WriteObserved(Tile, m == 1 ? learningRate : learningRate * m);
            else Rule.ApplyPositions(Tile, _pendingDeltas.AsSpan(0, m * Tile.Rows), _pendingInputs.AsSpan(0, m * Tile.Cols), 1, m, learningRate);
        }
        _pending = 0;
        Tile.PostUpdateStep();
    }

    private void EnsureCapacity(int n)
    {
        _layer.EnsureCapacity(n);
        if (n <= _capacity) return;
        _in = LayerBuffers.Floats(n, InputSize, _layer.Name);
        _gradIn = LayerBuffers.Floats(n, InputSize, _layer.Name);
        _out = LayerBuffers.Floats(n, OutputSize, _layer.Name);
        _grad = LayerBuffers.Floats(n, OutputSize, _layer.Name);
        _capacity = n;
    }

    // Pending pairs grow by doubling, so a fixed number of backwards per update allocates only while warming up.
    private void EnsurePending(long pairs)
    {
        long have = _pendingInputs.Length / Tile.Cols;
        if (pairs <= have) return;
        long grown = Math.Max(pairs, 2 * have);
        if (grown * Math.Max(Tile.Rows, Tile.Cols) > Array.MaxLength) grown = pairs;
        if (pairs * Math.Max(Tile.Rows, Tile.Cols) > Array.MaxLength)
            throw new InvalidOperationException($"{pairs} pending pairs of layer {_layer.Name} need more floats than an array holds; call Update more often.");
        Array.Resize(ref _pendingDeltas, (int)(grown * Tile.Rows));
        Array.Resize(ref _pendingInputs, (int)(grown * Tile.Cols));
    }

    /// <summary>Checks and copies of row-strided batches.</summary>
    private static class StridedBatch
    {
        public static void Check(ReadOnlySpan<float> span, int n, int width, int stride, string name)
        {
            if (n < 1) throw new ArgumentException($"n is {n}; it must be >= 1.", nameof(n));
            if (stride < width) throw new ArgumentException($"{name}'s row stride is {stride}; it must be at least the row width {width}.", name);
            long needed = (long)(n - 1) * stride + width;
            if (span.Length < needed)
                throw new ArgumentException($"{name} has {span.Length} elements; {n} rows of {width} at stride {stride} need {needed}.", name);
        }

        public static void CheckFinite(ReadOnlySpan<float> span, int n, int width, int stride, string name)
        {
            for (int j = 0; j < n; j++)
            {
                int bad = Blas.IndexOfNonFinite(span.Slice(j * stride, width));
                if (bad >= 0) throw new ArgumentException($"{name}[{j}, {bad}] is {span[j * stride + bad]}; data must be finite.", name);
            }
        }

        public static ReadOnlySpan<float> Packed(ReadOnlySpan<float> span, int n, int width, int stride, float[] scratch)
        {
            if (stride == width) return span[..(n * width)];
            for (int j = 0; j < n; j++) span.Slice(j * stride, width).CopyTo(scratch.AsSpan(j * width, width));
            return scratch.AsSpan(0, n * width);
        }

        public static void Scatter(ReadOnlySpan<float> packed, int n, int width, Span<float> span, int stride)
        {
            for (int j = 0; j < n; j++) packed.Slice(j * width, width).CopyTo(span.Slice(j * stride, width));
        }
    }
}

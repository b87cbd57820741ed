using System.Diagnostics;
using Microsoft.Extensions.ObjectPool;
using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.IO;
using SbeCore.Numerics;
using SbeCore.Training.Layers;
using SbeCore.Updates;

namespace SbeCore.Training;

/// <summary>
/// A multi-layer perceptron of crossbar tiles, one <see cref="CrossbarTile"/> per layer (rows = outputs,
/// cols = inputs + 1: the bias is an extra input column fed a constant 1, so it rides the same rank-1 writes),
/// ReLU or sigmoid hidden layers and a softmax cross-entropy output. A batch is read forward and backward at once
/// through the tiles' batched reads with the weights frozen; at its end each layer's <see cref="IUpdateRule"/> gets
/// <c>deltas</c> (n x rows) and <c>inputs</c> (n x cols), where delta_j = dL_j / dz_j is the gradient of sample j's own
/// cross-entropy L_j at the layer's pre-activation (NOT divided by n). The rule forms the batch mean, so MiniBatch
/// applies exactly W -= lr * (1/n) sum_j delta_j x_j^T, the gradient step of the mean loss.
/// Not thread-safe: one thread per network. Steady-state training steps allocate nothing (scratch is pooled).
/// </summary>
public sealed class Network
{
    private const int EvaluationChunk = 256;

    /// <summary>
    /// Most devices (sum over layers of outputs x (inputs + 1)) a network may have: 2^26, one 8192 x 8191 layer or
    /// about 1.5 GB of tile state. Checked before any tile is allocated, so absurd layer sizes fail fast instead of
    /// exhausting memory.
    /// </summary>
    public const long MaxTotalDevices = 1L << 26;
    private readonly int[] _sizes;
    private readonly CrossbarTile[] _tiles;
    private readonly IUpdateRule[] _rules;
    private readonly ObjectPool<NetworkWorkspace> _pool;
    private readonly LayerStack? _stack; // set when Options.Architecture names layers; the MLP path never touches it
    private int[] _order = [];

    /// <summary>Builds the network with the rules of <see cref="NetworkOptions.Method"/> (see <see cref="UpdateRuleFactory"/>).</summary>
    /// <exception cref="ArgumentException">Invalid layer sizes, rank or sub-batch.</exception>
    public Network(NetworkOptions options)
        : this(options, (layer, rows, cols) => CreateRule(options, layer, rows, cols)) { }

    /// <summary>
    /// Builds the network with a custom rule per layer: <paramref name="ruleFactory"/>(layer, rows, cols).
    /// Initial weights depend only on the layer sizes and <see cref="NetworkOptions.Seed"/>, never on the rules.
    /// </summary>
    public Network(NetworkOptions options, Func<int, int, int, IUpdateRule> ruleFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ruleFactory);
        Validate(options);
        Options = options;
        if (options.Architecture is not null)
        {
            _stack = new LayerStack(this, options, ArchitectureSpec.Parse(options.Architecture), ruleFactory);
            _sizes = [_stack.InputSize, _stack.OutputSize];
            _tiles = _stack.Tiles(); _rules = _stack.Rules();
            _pool = new DefaultObjectPool<NetworkWorkspace>(new NetworkWorkspace.Policy(_sizes), 1);
            return;
        }
        _sizes = (int[])options.LayerSizes.Clone();
        int layers = _sizes.Length - 1;
        _tiles = new CrossbarTile[layers];
        _rules = new IUpdateRule[layers];
        var rng = new Xoshiro256(options.Seed);
        for (int l = 0; l < layers; l++)
        {
            int rows = _sizes[l + 1], cols = _sizes[l] + 1;
            _tiles[l] = new CrossbarTile(rows, cols, options.TileConfig, DeriveSeed(options.Seed, 2 * l + 1));
            _tiles[l].SetWeights(HeNormal(ref rng, rows, cols));
            _rules[l] = ruleFactory(l, rows, cols) ?? throw new ArgumentException($"ruleFactory returned null for layer {l}.", nameof(ruleFactory));
        }
        _pool = new DefaultObjectPool<NetworkWorkspace>(new NetworkWorkspace.Policy(_sizes), 4);
    }

    /// <summary>The options the network was built with.</summary>
    public NetworkOptions Options { get; }
    /// <summary>Floats per input sample (LayerSizes[0]).</summary>
    public int InputSize => _sizes[0];
    /// <summary>Number of classes (last entry of LayerSizes).</summary>
    public int OutputSize => _sizes[^1];
    /// <summary>Number of weight layers (tiles).</summary>
    public int LayerCount => _tiles.Length;
    /// <summary>Rank-1 writes issued to all tiles so far (the paper's "matrix updates").</summary>
    public long RankOneWrites { get { long s = 0; foreach (var t in _tiles) s += t.Counters.RankOneWrites; return s; } }
    /// <summary>Device pulses applied to all tiles so far (0 for the ideal device, which writes exact floats).</summary>
    public long TotalPulses { get { long s = 0; foreach (var t in _tiles) s += t.Counters.TotalPulses; return s; } }
    /// <summary>Peripheral memory of all layers' update rules, in bytes.</summary>
    public long PeripheralMemoryBytes { get { long s = 0; foreach (var r in _rules) s += r.PeripheralMemoryBytes; return s; } }
    /// <summary>Optional hook that sees every layer's batch before its update (diagnostics).</summary>
    public IBatchObserver? BatchObserver { get; set; }

    /// <summary>The layers of a network built from <see cref="NetworkOptions.Architecture"/> (null for the MLP).</summary>
    public IReadOnlyList<ILayer>? Layers => _stack?.Layers;

    /// <summary>The tile of layer <paramref name="layer"/> (0 = first hidden layer).</summary>
    public CrossbarTile GetTile(int layer) => _tiles[layer];
    /// <summary>The update rule of layer <paramref name="layer"/>.</summary>
    public IUpdateRule GetRule(int layer) => _rules[layer];

    /// <summary>
    /// One epoch: shuffles the sample order with <paramref name="shuffleSeed"/> (Xoshiro256 Fisher-Yates), trains on
    /// consecutive batches of <paramref name="batchSize"/> (the last may be smaller) and returns what it did.
    /// images is n x InputSize (values in [0, 1] for MNIST), labels has n class indices.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths, a label out of range, a non-finite input or learning rate, batchSize &lt; 1. Nothing is changed.</exception>
    /// <exception cref="InvalidOperationException">Training diverged (a batch loss is not finite); batches before it were applied.</exception>
    public EpochMetrics TrainEpoch(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, int batchSize, float learningRate, ulong shuffleSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ValidateLearningRate(learningRate);
        ValidateSamples(images, labels, requireNonEmpty: true);
        int n = labels.Length;
        if (_order.Length != n) _order = new int[n]; // once per data-set size, not per step
        ShuffledOrder(shuffleSeed, _order);
        long start = Stopwatch.GetTimestamp();
        double lossSum = 0;
        int batches = 0;
        for (int first = 0; first < n; first += batchSize, batches++)
        {
            int m = Math.Min(batchSize, n - first);
            lossSum += TrainOrdered(images, labels, _order.AsSpan(first, m), learningRate) * m;
        }
        return new EpochMetrics
        {
            Samples = n, Batches = batches, MeanTrainingLoss = lossSum / n, RankOneWrites = RankOneWrites, Pulses = TotalPulses,
            Seconds = Stopwatch.GetElapsedTime(start).TotalSeconds,
        };
    }

    /// <summary>Fills <paramref name="order"/> with the permutation of 0..order.Length-1 that TrainEpoch uses for <paramref name="shuffleSeed"/>.</summary>
    public static void ShuffledOrder(ulong shuffleSeed, Span<int> order)
    {
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var rng = new Xoshiro256(shuffleSeed);
        rng.Shuffle(order);
    }

    /// <summary>
    /// One batch (one weight update) on the samples <paramref name="indices"/> of images/labels, in that order.
    /// Returns the batch's mean cross-entropy before the update. Allocation-free in steady state.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths, an index or label out of range, non-finite values. Nothing is changed.</exception>
    public double TrainBatch(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, ReadOnlySpan<int> indices, float learningRate)
    {
        ValidateLearningRate(learningRate);
        if (indices.IsEmpty) throw new ArgumentException("indices is empty: a batch needs at least one sample.", nameof(indices));
        if ((long)labels.Length * InputSize != images.Length)
            throw new ArgumentException($"images has {images.Length} floats, expected labels ({labels.Length}) x InputSize ({InputSize}).", nameof(images));
        foreach (int i in indices)
        {
            if ((uint)i >= (uint)labels.Length) throw new ArgumentException($"index {i} is outside [0, {labels.Length}).", nameof(indices));
            ValidateSample(images.Slice(i * InputSize, InputSize), labels[i], nameof(images));
        }
        return TrainOrdered(images, labels, indices, learningRate);
    }

    /// <summary>One batch on all of images (n x InputSize) and labels (n), in order. Returns the mean loss before the update.</summary>
    /// <exception cref="ArgumentException">Wrong lengths, a label out of range, non-finite values. Nothing is changed.</exception>
    public double TrainBatch(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, float learningRate)
    {
        ValidateLearningRate(learningRate);
        ValidateSamples(images, labels, requireNonEmpty: true);
        if (_stack is not null) return _stack.Train(images, labels, learningRate);
        var ws = _pool.Get();
        try
        {
            int n = labels.Length;
            ws.EnsureCapacity(n);
            for (int j = 0; j < n; j++) Gather(ws, j, images.Slice(j * InputSize, InputSize), labels[j]);
            return Step(ws, n, learningRate);
        }
        finally { _pool.Return(ws); }
    }

    /// <summary>Mean cross-entropy and accuracy on images (n x InputSize) and labels (n); weights are not changed.</summary>
    /// <exception cref="ArgumentException">Wrong lengths, a label out of range or a non-finite input.</exception>
    public Evaluation Evaluate(ReadOnlySpan<float> images, ReadOnlySpan<int> labels)
    {
        ValidateSamples(images, labels, requireNonEmpty: false);
        if (_stack is not null) return _stack.Evaluate(images, labels);
        int n = labels.Length, classes = OutputSize, correct = 0;
        double loss = 0;
        var ws = _pool.Get();
        try
        {
            ws.EnsureCapacity(Math.Min(EvaluationChunk, Math.Max(n, 1)));
            for (int first = 0; first < n; first += EvaluationChunk)
            {
                int m = Math.Min(EvaluationChunk, n - first);
                for (int j = 0; j < m; j++) Gather(ws, j, images.Slice((first + j) * InputSize, InputSize), labels[first + j]);
                Forward(ws, m);
                var logits = ws.Outputs[^1];
                for (int j = 0; j < m; j++)
                {
                    var z = logits.AsSpan(j * classes, classes);
                    loss += SoftmaxCrossEntropy.Loss(z, ws.Labels[j]);
                    if (SoftmaxCrossEntropy.ArgMax(z) == ws.Labels[j]) correct++;
                }
            }
        }
        finally { _pool.Return(ws); }
        return new Evaluation { Loss = n == 0 ? 0 : loss / n, Accuracy = n == 0 ? 0 : (double)correct / n, Samples = n };
    }

    /// <summary>Class probabilities (softmax) for images (n x InputSize) into probabilities (n x OutputSize).</summary>
    /// <exception cref="ArgumentException">Wrong lengths or a non-finite input.</exception>
    public void Predict(ReadOnlySpan<float> images, Span<float> probabilities)
    {
        if (images.Length % InputSize != 0)
            throw new ArgumentException($"images has {images.Length} floats, not a multiple of InputSize ({InputSize}).", nameof(images));
        int n = images.Length / InputSize, classes = OutputSize;
        if (probabilities.Length != (long)n * classes)
            throw new ArgumentException($"probabilities has {probabilities.Length} floats, expected {n} x {classes}.", nameof(probabilities));
        for (int i = 0; i < images.Length; i++)
            if (!float.IsFinite(images[i])) throw new ArgumentException($"images[{i}] is {images[i]}; inputs must be finite.", nameof(images));
        if (_stack is not null) { _stack.Predict(images, probabilities); return; }
        var ws = _pool.Get();
        try
        {
            ws.EnsureCapacity(Math.Min(EvaluationChunk, Math.Max(n, 1)));
            for (int first = 0; first < n; first += EvaluationChunk)
            {
                int m = Math.Min(EvaluationChunk, n - first);
                for (int j = 0; j < m; j++) Gather(ws, j, images.Slice((first + j) * InputSize, InputSize), 0);
                Forward(ws, m);
                for (int j = 0; j < m; j++)
                    SoftmaxCrossEntropy.Softmax(ws.Outputs[^1].AsSpan(j * classes, classes), probabilities.Slice((first + j) * classes, classes));
            }
        }
        finally { _pool.Return(ws); }
    }

    private double TrainOrdered(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, ReadOnlySpan<int> indices, float learningRate)
    {
        if (_stack is not null) return _stack.Train(images, labels, indices, learningRate);
        var ws = _pool.Get();
        try
        {
            ws.EnsureCapacity(indices.Length);
            for (int j = 0; j < indices.Length; j++) Gather(ws, j, images.Slice(indices[j] * InputSize, InputSize), labels[indices[j]]);
            return Step(ws, indices.Length, learningRate);
        }
        finally { _pool.Return(ws); }
    }

    private void Gather(NetworkWorkspace ws, int j, ReadOnlySpan<float> image, int label)
    {
        int cols = InputSize + 1;
        image.CopyTo(ws.Inputs[0].AsSpan(j * cols, InputSize)); // the bias column stays 1
        ws.Labels[j] = label;
    }

    /// <summary>Forward, backward, then every layer's update: the weights stay frozen until all deltas are known.</summary>
    private double Step(NetworkWorkspace ws, int n, float learningRate)
    {
        Forward(ws, n);
        int classes = OutputSize, last = _tiles.Length - 1;
        double loss = 0;
        var logits = ws.Outputs[last];
        var delta = ws.Deltas[last];
        for (int j = 0; j < n; j++)
        {
            loss += SoftmaxCrossEntropy.Loss(logits.AsSpan(j * classes, classes), ws.Labels[j]);
            SoftmaxCrossEntropy.Gradient(logits.AsSpan(j * classes, classes), ws.Labels[j], delta.AsSpan(j * classes, classes));
        }
        if (!double.IsFinite(loss))
            throw new InvalidOperationException($"training diverged: the batch loss is {loss}; no weights were changed. Lower the learning rate.");
        for (int l = last; l > 0; l--) BackwardInto(ws, l, n);
        for (int l = 0; l <= last; l++)
            UpdateBounds.Check(l, _tiles[l], ws.Deltas[l].AsSpan(0, n * _tiles[l].Rows), ws.Inputs[l].AsSpan(0, n * _tiles[l].Cols), n, 1, Options.Rank, learningRate);
        for (int l = 0; l <= last; l++)
        {
            int rows = _tiles[l].Rows, cols = _tiles[l].Cols;
            ReadOnlySpan<float> deltas = ws.Deltas[l].AsSpan(0, n * rows), inputs = ws.Inputs[l].AsSpan(0, n * cols);
            BatchObserver?.OnBatch(l, deltas, inputs, n, rows, cols);
            _rules[l].Apply(_tiles[l], deltas, inputs, n, learningRate);
            _tiles[l].PostUpdateStep(); // once per optimizer step, as aihwkit's analog optimizer does
            BatchObserver?.AfterUpdate(l, _rules[l]);
        }
        return loss / n;
    }


    private void Forward(NetworkWorkspace ws, int n)
    {
        for (int l = 0; l < _tiles.Length; l++)
        {
            var tile = _tiles[l];
            int rows = tile.Rows;
            Span<float> z = ws.Outputs[l].AsSpan(0, n * rows);
            tile.Read(ws.Inputs[l].AsSpan(0, n * tile.Cols), n, z);
            if (l == _tiles.Length - 1) break;
            int nextCols = rows + 1;
            var next = ws.Inputs[l + 1];
            for (int j = 0; j < n; j++)
                Activations.Apply(Options.Activation, z.Slice(j * rows, rows), next.AsSpan(j * nextCols, rows));
        }
    }

    /// <summary>delta_{l-1} = (delta_l W_l)[:, :in] * act'(h_{l-1}), read through layer l's tile.</summary>
    private void BackwardInto(NetworkWorkspace ws, int l, int n)
    {
        var tile = _tiles[l];
        int cols = tile.Cols, hidden = cols - 1;
        Span<float> back = ws.Back.AsSpan(0, n * cols);
        tile.ReadTransposed(ws.Deltas[l].AsSpan(0, n * tile.Rows), n, back);
        var h = ws.Inputs[l];
        var d = ws.Deltas[l - 1];
        for (int j = 0; j < n; j++)
            Activations.MultiplyByDerivative(Options.Activation, back.Slice(j * cols, hidden), h.AsSpan(j * cols, hidden), d.AsSpan(j * hidden, hidden));
    }

    internal static float[] HeNormal(ref Xoshiro256 rng, int rows, int cols)
    {
        int fanIn = cols - 1;
        double sigma = Math.Sqrt(2.0 / fanIn);
        var w = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            rng.FillGaussian(w.AsSpan(r * cols, fanIn), sigma); // bias column starts at 0
        return w;
    }

    private static IUpdateRule CreateRule(NetworkOptions o, int layer, int rows, int cols)
    {
        var est = o.Estimator ?? new EstimatorOptions { Rank = o.Rank, SubBatch = o.SubBatch };
        int rank = Math.Min(est.Rank, Math.Min(rows, cols)); // the factory applies it, keeping every other option
        return UpdateRuleFactory.Create(o.Method, rows, cols, rank, est, RuleSeed(o.Seed, layer), o.PublishedSchedule);
    }

    /// <summary>The seed the built-in rule of <paramref name="layer"/> gets (a diagnostic shadow estimator uses the same).</summary>
    public static ulong RuleSeed(ulong seed, int layer) => DeriveSeed(seed, 2 * layer + 2);

    internal static ulong DeriveSeed(ulong seed, int stream)
    {
        // SplitMix64 finaliser over (seed, stream): independent, reproducible sub-seeds.
        ulong z = seed + 0x9E3779B97F4A7C15UL * (ulong)(stream + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static void Validate(NetworkOptions o)
    {
        var s = o.LayerSizes ?? throw new ArgumentException("LayerSizes is null.", nameof(o));
        if (s.Length < 2) throw new ArgumentException($"LayerSizes has {s.Length} entries; need at least input and output.", nameof(o));
        for (int i = 0; i < s.Length; i++)
            if (s[i] < 1) throw new ArgumentException($"LayerSizes[{i}] is {s[i]}; every layer needs at least one neuron.", nameof(o));
        if (s[^1] < 2) throw new ArgumentException($"the output layer has {s[^1]} neuron; softmax needs at least 2 classes.", nameof(o));
        long total = 0;
        for (int l = 0; l + 1 < s.Length; l++)
            if (!CheckedSize.TryProduct([s[l + 1], s[l] + 1L], MaxTotalDevices, out long devices) || !CheckedSize.TrySum(total, devices, MaxTotalDevices, out total))
                throw new ArgumentException($"LayerSizes [{string.Join(", ", s)}] need more than {MaxTotalDevices:N0} devices (the limit); use smaller layers.", nameof(o));
        if (!Enum.IsDefined(o.Activation)) throw new ArgumentException($"Activation {(int)o.Activation} is not defined.", nameof(o));
        if (!UpdateRules.TryGet(o.Method, out _)) throw new ArgumentException($"Method {(int)o.Method} is not defined; registered: {UpdateRules.Names}.", nameof(o));
        int rank = o.Estimator?.Rank ?? o.Rank, sub = o.Estimator?.SubBatch ?? o.SubBatch;
        if (rank < 1) throw new ArgumentException($"Rank is {rank}; it must be >= 1.", nameof(o));
        if (sub < 1) throw new ArgumentException($"SubBatch is {sub}; it must be >= 1.", nameof(o));
    }

    private static void ValidateLearningRate(float learningRate)
    {
        if (!float.IsFinite(learningRate) || learningRate <= 0)
            throw new ArgumentException($"learningRate is {learningRate}; it must be finite and > 0.", nameof(learningRate));
    }

    private void ValidateSamples(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, bool requireNonEmpty)
    {
        if (requireNonEmpty && labels.IsEmpty) throw new ArgumentException("labels is empty: at least one sample is needed.", nameof(labels));
        if ((long)labels.Length * InputSize != images.Length)
            throw new ArgumentException($"images has {images.Length} floats, expected labels ({labels.Length}) x InputSize ({InputSize}).", nameof(images));
        for (int j = 0; j < labels.Length; j++) ValidateSample(images.Slice(j * InputSize, InputSize), labels[j], nameof(images));
    }

    private void ValidateSample(ReadOnlySpan<float> image, int label, string paramName)
    {
        if ((uint)label >= (uint)OutputSize) throw new ArgumentException($"label {label} is outside [0, {OutputSize}).", "labels");
        foreach (float v in image)
            if (!float.IsFinite(v)) throw new ArgumentException($"an input value is {v}; inputs must be finite.", paramName);
    }
}

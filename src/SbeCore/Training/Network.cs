using System.Diagnostics;
using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.IO;
using SbeCore.Kernels;
using SbeCore.Numerics;
using SbeCore.Training.Layers;
using SbeCore.Updates;

namespace SbeCore.Training;

/// <summary>
/// A network of crossbar tiles: the multi-layer perceptron of <see cref="NetworkOptions.LayerSizes"/> or the layers of
/// <see cref="NetworkOptions.Architecture"/> (convolutions, pooling, dense), one code path (<see cref="Layers"/>). Every
/// weight layer is one <see cref="CrossbarTile"/> (rows = outputs, cols = inputs + 1: the bias is an extra input column
/// fed a constant 1, so it rides the same rank-1 writes), ReLU or sigmoid hidden layers and a softmax cross-entropy
/// output. A batch is read forward and backward at once through the tiles' batched reads with the weights frozen; at
/// its end each layer's <see cref="IUpdateRule"/> gets <c>deltas</c> (n x rows) and <c>inputs</c> (n x cols), where
/// delta_j = dL_j / dz_j is the gradient of sample j's own cross-entropy L_j at the layer's pre-activation (NOT divided
/// by n). The rule forms the batch mean, so MiniBatch applies exactly W -= lr * (1/n) sum_j delta_j x_j^T, the gradient
/// step of the mean loss (a convolution's n x P pairs: <see cref="IUpdateRule.ApplyPositions"/>).
/// Not thread-safe: one thread per network. Steady-state training steps allocate nothing (scratch grows on demand).
/// </summary>
public sealed partial class Network
{
    /// <summary>
    /// Most devices (sum over layers of outputs x (inputs + 1)) a network may have: 2^26, one 8192 x 8191 layer or
    /// about 1.5 GB of tile state. Checked before any tile is allocated, so absurd layer sizes fail fast instead of
    /// exhausting memory.
    /// </summary>
    public const long MaxTotalDevices = 1L << 26;
    private readonly CrossbarTile[] _tiles;
    private readonly IUpdateRule[] _rules;
    private readonly LayerStack _stack;
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
        var spec = options.Architecture is not null ? ArchitectureSpec.Parse(options.Architecture) : ArchitectureSpec.Dense(options.LayerSizes.AsSpan(1, options.LayerSizes.Length - 2));
        _stack = new LayerStack(this, options, spec, ruleFactory);
        _tiles = _stack.Tiles(); _rules = _stack.Rules();
        if (options.LayerRanks is { } ranks && ranks.Length != _tiles.Length)
            throw new ArgumentException($"LayerRanks has {ranks.Length} entries for {_tiles.Length} weight layers; give one rank per weight layer.", nameof(options));
    }

    /// <summary>The options the network was built with.</summary>
    public NetworkOptions Options { get; }
    /// <summary>Floats per input sample (LayerSizes[0]).</summary>
    public int InputSize => _stack.InputSize;
    /// <summary>Number of classes (last entry of LayerSizes).</summary>
    public int OutputSize => _stack.OutputSize;
    /// <summary>Number of weight layers (tiles).</summary>
    public int LayerCount => _tiles.Length;

    /// <summary>Threads every tile's reads, mini-batch gradient and pulsed writes may split over (<see cref="CrossbarTile.Threads"/>, 1 to 64;
    /// the same bits for every value). Starts at <see cref="NetworkOptions.Threads"/>.</summary>
    /// <exception cref="ArgumentException">A value outside 1 to 64 (nothing changes).</exception>
    public int Threads
    {
        get => _tiles.Length == 0 ? 1 : _tiles[0].Threads;
        set
        {
            CrossbarTile.CheckThreads(value);
            foreach (var tile in _tiles) tile.Threads = value;
        }
    }
    /// <summary>Which thread updates which layer in a training step (layers side by side when their rules' serial work
    /// pays for it; tests lower its threshold).</summary>
    internal LayerUpdateSchedule UpdateSchedule => _stack.UpdateSchedule;
    /// <summary>Rank-1 writes issued to all tiles so far (the paper's "matrix updates").</summary>
    public long RankOneWrites { get { long s = 0; foreach (var t in _tiles) s += t.Counters.RankOneWrites; return s; } }
    /// <summary>Device pulses applied to all tiles so far (0 for the ideal device, which writes exact floats).</summary>
    public long TotalPulses { get { long s = 0; foreach (var t in _tiles) s += t.Counters.TotalPulses; return s; } }
    /// <summary>Peripheral memory of all layers' update rules, in bytes.</summary>
    public long PeripheralMemoryBytes { get { long s = 0; foreach (var r in _rules) s += r.PeripheralMemoryBytes; return s; } }
    /// <summary>Optional hook that sees every layer's batch before its update (diagnostics).</summary>
    public IBatchObserver? BatchObserver { get; set; }

    /// <summary>The layers in order (for the MLP of LayerSizes: dense layers, each hidden one followed by its activation).</summary>
    public IReadOnlyList<ILayer> Layers => _stack.Layers;

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
        Check.AtLeast(batchSize, 1);
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
        CompletedEpochs++;
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
        return _stack.Train(images, labels, learningRate);
    }

    /// <summary>Mean cross-entropy and accuracy on images (n x InputSize) and labels (n); weights are not changed.</summary>
    /// <exception cref="ArgumentException">Wrong lengths, a label out of range or a non-finite input.</exception>
    public Evaluation Evaluate(ReadOnlySpan<float> images, ReadOnlySpan<int> labels)
    {
        ValidateSamples(images, labels, requireNonEmpty: false);
        return _stack.Evaluate(images, labels);
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
        int bad = Blas.IndexOfNonFinite(images);
        if (bad >= 0) throw new ArgumentException($"images[{bad}] is {images[bad]}; inputs must be finite.", nameof(images));
        _stack.Predict(images, probabilities);
    }

    private double TrainOrdered(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, ReadOnlySpan<int> indices, float learningRate)
        => _stack.Train(images, labels, indices, learningRate);

    internal static float[] HeNormal(ref Xoshiro256 rng, int rows, int cols)
    {
        int fanIn = cols - 1;
        double sigma = Math.Sqrt(2.0 / fanIn);
        var w = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            rng.FillGaussian(w.AsSpan(r * cols, fanIn), sigma); // bias column starts at 0
        return w;
    }

    internal static IUpdateRule CreateRule(NetworkOptions o, int layer, int rows, int cols)
    {
        var est = o.Estimator ?? new EstimatorOptions { Rank = o.Rank, SubBatch = o.SubBatch };
        int rank = Math.Min(o.RankOf(layer), Math.Min(rows, cols)); // the factory applies it, keeping every other option
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
        CrossbarTile.CheckThreads(o.Threads);
        if (!Enum.IsDefined(o.Activation)) throw new ArgumentException($"Activation {(int)o.Activation} is not defined.", nameof(o));
        if (!UpdateRules.TryGet(o.Method, out _)) throw new ArgumentException($"Method {(int)o.Method} is not defined; registered: {UpdateRules.Names}.", nameof(o));
        int rank = o.Estimator?.Rank ?? o.Rank, sub = o.Estimator?.SubBatch ?? o.SubBatch;
        if (rank < 1) throw new ArgumentException($"Rank is {rank}; it must be >= 1.", nameof(o));
        if (o.LayerRanks is { } ranks)
        {
            if (ranks.Length == 0) throw new ArgumentException("LayerRanks is empty: give one rank per weight layer, or null for Rank on every layer.", nameof(o));
            for (int i = 0; i < ranks.Length; i++)
                if (ranks[i] < 1) throw new ArgumentException($"LayerRanks[{i}] is {ranks[i]}; every rank must be >= 1.", nameof(o));
        }
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
        int bad = Blas.IndexOfNonFinite(image); // a vector scan: every training batch checks its samples
        if (bad >= 0) throw new ArgumentException($"an input value is {image[bad]}; inputs must be finite.", paramName);
    }
}

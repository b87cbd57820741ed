using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.IO;
using SbeCore.Numerics;
using SbeCore.Updates;

namespace SbeCore.Training.Layers;

/// <summary>
/// A network as a sequence of <see cref="ILayer"/>s ending in a dense output layer and softmax cross-entropy: the
/// engine behind a <see cref="Network"/> built with <see cref="NetworkOptions.Architecture"/>. One step reads the
/// batch forward and backward with the weights frozen, then streams every tile layer's n x Positions pairs into its
/// rule (<see cref="IUpdateRule.ApplyPositions"/>). Tiles, seeds and initial weights follow the MLP's scheme (tile l:
/// He-normal from one generator in layer order, tile seed DeriveSeed(seed, 2l + 1), rule seed RuleSeed(seed, l)), so
/// a stack of dense layers is the MLP, bit for bit. Not thread-safe; steady-state steps allocate nothing.
/// </summary>
internal sealed class LayerStack
{
    // Evaluation reads chunks of samples whose largest tile input (a conv layer's unfolded patches: P x Cols floats a
    // sample) fits about a megabyte, between 64 and 256 samples.
    private const int EvaluationFloats = 1 << 18, MinEvaluationChunk = 64, MaxEvaluationChunk = 256;
    private readonly int _evaluationChunk;
    private readonly ILayer[] _layers;
    private readonly ITileLayer[] _tileLayers;
    private readonly int[] _tileLayerAt;
    private readonly Network _owner;
    private float[][] _acts = [], _grads = [];
    private int[] _labels = [];
    private int _capacity;

    public LayerStack(Network owner, NetworkOptions o, ArchitectureSpec spec, Func<int, int, int, IUpdateRule> ruleFactory)
    {
        _owner = owner;
        int features = o.LayerSizes[0], classes = o.LayerSizes[^1];
        var layerSpecs = new List<LayerSpec>(spec.Layers);
        if (layerSpecs.Count == 0 || layerSpecs[^1] is not DenseSpec last || last.Units != classes) layerSpecs.Add(new DenseSpec(classes));
        TensorShape shape = spec.InputShape ?? DefaultShape(features, layerSpecs);
        if (shape.Size != features)
            throw new ArgumentException($"the architecture's input {shape} has {shape.Size} features, LayerSizes[0] is {features}.", nameof(o));
        CheckDevices(shape, layerSpecs);

        var rng = new Xoshiro256(o.Seed);
        var layers = new List<ILayer>();
        var tileLayers = new List<ITileLayer>();
        var at = new List<int>();
        for (int i = 0; i < layerSpecs.Count; i++)
        {
            bool output = i == layerSpecs.Count - 1;
            string where = $"{i} ({Token(layerSpecs[i])})";
            ITileLayer? tl = null;
            switch (layerSpecs[i])
            {
                case ConvSpec c:
                    var g = new ConvGeometry(shape, c.Channels, c.Kernel, c.Stride, c.Padding);
                    g.Validate(where);
                    if (g.OutHeight < 1 || g.OutWidth < 1) throw new ArgumentException($"layer {where}: output size {g.OutHeight}x{g.OutWidth} is empty.", nameof(o));
                    tl = new Conv2dLayer(g, NewTile(o, tileLayers.Count, g.OutChannels, g.PatchSize + 1, ref rng), NewRule(ruleFactory, tileLayers.Count, g.OutChannels, g.PatchSize + 1));
                    break;
                case PoolSpec p:
                    if (p.Size < 1 || shape.Height < p.Size || shape.Width < p.Size)
                        throw new ArgumentException($"layer {where}: a {p.Size}x{p.Size} window does not fit its input {shape}.", nameof(o));
                    layers.Add(new PoolLayer(p.Kind, p.Size, shape));
                    break;
                case DenseSpec d:
                    if (d.Units < 1) throw new ArgumentException($"layer {where}: {d.Units} units; need at least 1.", nameof(o));
                    tl = new DenseLayer(NewTile(o, tileLayers.Count, d.Units, shape.Size + 1, ref rng), NewRule(ruleFactory, tileLayers.Count, d.Units, shape.Size + 1));
                    break;
            }
            if (tl is not null)
            {
                at.Add(layers.Count);
                layers.Add(tl); tileLayers.Add(tl);
                if (!output) layers.Add(new ActivationLayer(o.Activation, tl.Output));
            }
            shape = layers[^1].Output;
        }
        _layers = [.. layers]; _tileLayers = [.. tileLayers]; _tileLayerAt = [.. at];
        UpdateSchedule = new LayerUpdateSchedule(_tileLayers, CheckLayer, UpdateLayer);
        long widest = 1;
        foreach (var t in _tileLayers) widest = Math.Max(widest, (long)t.Positions * t.Tile.Cols);
        _evaluationChunk = (int)Math.Clamp(EvaluationFloats / widest, MinEvaluationChunk, MaxEvaluationChunk);
        InputSize = features; OutputSize = classes;
    }

    public int InputSize { get; }
    public int OutputSize { get; }
    public IReadOnlyList<ILayer> Layers => _layers;
    public CrossbarTile[] Tiles() => Array.ConvertAll(_tileLayers, t => t.Tile);
    public IUpdateRule[] Rules() => Array.ConvertAll(_tileLayers, t => t.Rule);
    public ITileLayer GetTileLayer(int layer) => _tileLayers[layer];
    /// <summary>Which thread updates which layer (<see cref="LayerUpdateSchedule"/>).</summary>
    public LayerUpdateSchedule UpdateSchedule { get; }

    /// <summary>One batch on images[indices] (already validated). Returns the mean loss before the update.</summary>
    public double Train(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, ReadOnlySpan<int> indices, float learningRate)
    {
        int n = indices.Length;
        EnsureCapacity(n);
        for (int j = 0; j < n; j++) Gather(j, images.Slice(indices[j] * InputSize, InputSize), labels[indices[j]]);
        return Step(n, learningRate);
    }

    /// <summary>One batch on all of images and labels, in order (already validated).</summary>
    public double Train(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, float learningRate)
    {
        int n = labels.Length;
        EnsureCapacity(n);
        for (int j = 0; j < n; j++) Gather(j, images.Slice(j * InputSize, InputSize), labels[j]);
        return Step(n, learningRate);
    }

    public Evaluation Evaluate(ReadOnlySpan<float> images, ReadOnlySpan<int> labels)
    {
        int n = labels.Length, classes = OutputSize, correct = 0;
        double loss = 0;
        EnsureCapacity(Math.Min(_evaluationChunk, Math.Max(n, 1)));
        for (int first = 0; first < n; first += _evaluationChunk)
        {
            int m = Math.Min(_evaluationChunk, n - first);
            for (int j = 0; j < m; j++) Gather(j, images.Slice((first + j) * InputSize, InputSize), labels[first + j]);
            Forward(m);
            var logits = _acts[^1];
            for (int j = 0; j < m; j++)
            {
                var z = logits.AsSpan(j * classes, classes);
                loss += SoftmaxCrossEntropy.Loss(z, _labels[j]);
                if (SoftmaxCrossEntropy.ArgMax(z) == _labels[j]) correct++;
            }
        }
        return new Evaluation { Loss = n == 0 ? 0 : loss / n, Accuracy = n == 0 ? 0 : (double)correct / n, Samples = n };
    }

    public void Predict(ReadOnlySpan<float> images, Span<float> probabilities)
    {
        int n = images.Length / InputSize, classes = OutputSize;
        EnsureCapacity(Math.Min(_evaluationChunk, Math.Max(n, 1)));
        for (int first = 0; first < n; first += _evaluationChunk)
        {
            int m = Math.Min(_evaluationChunk, n - first);
            for (int j = 0; j < m; j++) Gather(j, images.Slice((first + j) * InputSize, InputSize), 0);
            Forward(m);
            for (int j = 0; j < m; j++)
                SoftmaxCrossEntropy.Softmax(_acts[^1].AsSpan(j * classes, classes), probabilities.Slice((first + j) * classes, classes));
        }
    }

    private void Gather(int j, ReadOnlySpan<float> image, int label)
    {
        image.CopyTo(_acts[0].AsSpan(j * InputSize, InputSize));
        _labels[j] = label;
    }

    private void Forward(int n)
    {
        for (int i = 0; i < _layers.Length; i++)
            _layers[i].Forward(_acts[i].AsSpan(0, n * _layers[i].Input.Size), n, _acts[i + 1].AsSpan(0, n * _layers[i].Output.Size));
    }

    /// <summary>Forward, backward, then every tile layer's check and update (in order, or side by side:
    /// <see cref="UpdateSchedule"/>): the weights stay frozen until all deltas are known and every layer's check passed.</summary>
    private double Step(int n, float learningRate)
    {
        Forward(n);
        int classes = OutputSize;
        double loss = 0;
        var logits = _acts[^1];
        var delta = _grads[^1];
        for (int j = 0; j < n; j++)
        {
            loss += SoftmaxCrossEntropy.Loss(logits.AsSpan(j * classes, classes), _labels[j]);
            SoftmaxCrossEntropy.Gradient(logits.AsSpan(j * classes, classes), _labels[j], delta.AsSpan(j * classes, classes));
        }
        if (!double.IsFinite(loss))
            throw new InvalidOperationException($"training diverged: the batch loss is {loss}; no weights were changed. Lower the learning rate.");
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            var layer = _layers[i];
            Span<float> gradInput = i == 0 ? [] : _grads[i].AsSpan(0, n * layer.Input.Size);
            layer.Backward(_acts[i].AsSpan(0, n * layer.Input.Size), _acts[i + 1].AsSpan(0, n * layer.Output.Size), _grads[i + 1].AsSpan(0, n * layer.Output.Size), n, gradInput);
        }
        UpdateSchedule.Run(n, learningRate, _owner.Threads, inOrder: _owner.BatchObserver is not null);
        return loss / n;
    }

    private void CheckLayer(int l, int n, float learningRate)
        => UpdateBounds.Check(l, _tileLayers[l], GradOutput(l, n), LayerInput(l, n), n, _owner.Options.RankOf(l), learningRate);

    private void UpdateLayer(int l, int n, float learningRate)
    {
        var t = _tileLayers[l];
        ReadOnlySpan<float> gradOutput = GradOutput(l, n);
        _owner.BatchObserver?.OnBatch(l, t.PairDeltas(gradOutput, n), t.PairInputs(n), n * t.Positions, t.Tile.Rows, t.Tile.Cols);
        if (t.Positions > 1 && t.PairsAsColumns && t.Rule is IColumnPairsRule columns) // a convolution's pairs in the layer's own layout
            columns.ApplyPositionColumns(t.Tile, t.PairDeltaColumns(gradOutput, n), t.PairInputColumns(n), n, t.Positions, learningRate);
        else t.Rule.ApplyPositions(t.Tile, t.PairDeltas(gradOutput, n), t.PairInputs(n), n, t.Positions, learningRate);
        t.Tile.PostUpdateStep(); // once per optimizer step, as for the MLP
        _owner.BatchObserver?.AfterUpdate(l, t.Rule);
    }

    private ReadOnlySpan<float> LayerInput(int tileLayer, int n)
    {
        int i = _tileLayerAt[tileLayer];
        return _acts[i].AsSpan(0, n * _layers[i].Input.Size);
    }

    private ReadOnlySpan<float> GradOutput(int tileLayer, int n)
    {
        int i = _tileLayerAt[tileLayer];
        return _grads[i + 1].AsSpan(0, n * _layers[i].Output.Size);
    }


    private void EnsureCapacity(int n)
    {
        if (n <= _capacity) return;
        foreach (var layer in _layers) layer.EnsureCapacity(n);
        _acts = new float[_layers.Length + 1][];
        _grads = new float[_layers.Length + 1][];
        _acts[0] = LayerBuffers.Floats(n, InputSize, "input");
        _grads[0] = [];
        for (int i = 0; i < _layers.Length; i++)
        {
            _acts[i + 1] = LayerBuffers.Floats(n, _layers[i].Output.Size, _layers[i].Name);
            _grads[i + 1] = LayerBuffers.Floats(n, _layers[i].Output.Size, _layers[i].Name);
        }
        _labels = new int[n];
        _capacity = n;
    }

    private static CrossbarTile NewTile(NetworkOptions o, int l, int rows, int cols, ref Xoshiro256 rng)
    {
        var tile = new CrossbarTile(rows, cols, o.TileConfig, Network.DeriveSeed(o.Seed, 2 * l + 1)) { Threads = o.Threads };
        tile.SetWeights(Network.HeNormal(ref rng, rows, cols));
        return tile;
    }

    private static IUpdateRule NewRule(Func<int, int, int, IUpdateRule> factory, int l, int rows, int cols)
        => factory(l, rows, cols) ?? throw new ArgumentException($"ruleFactory returned null for layer {l}.", "ruleFactory");

    // Features of a conv network's input: one s x s channel when they are a square, else the text must say.
    private static TensorShape DefaultShape(int features, List<LayerSpec> layers)
    {
        if (layers.TrueForAll(s => s is DenseSpec)) return TensorShape.Vector(features);
        int s = (int)Math.Round(Math.Sqrt(features));
        if (s * s == features) return new TensorShape(1, s, s);
        throw new ArgumentException($"{features} features are not a square image; lead the architecture with the input shape, e.g. 3x32x32-...", "options");
    }

    // The MLP's device limit, checked on the tile shapes before any tile is allocated.
    private static void CheckDevices(TensorShape shape, List<LayerSpec> layers)
    {
        long total = 0;
        foreach (var spec in layers)
        {
            long rows, cols;
            switch (spec)
            {
                case ConvSpec c:
                    var g = new ConvGeometry(shape, c.Channels, c.Kernel, c.Stride, c.Padding);
                    g.Validate(Token(c));
                    if (g.OutHeight < 1 || g.OutWidth < 1) throw new ArgumentException($"layer {Token(c)}: output size {g.OutHeight}x{g.OutWidth} is empty.", "options");
                    rows = c.Channels; cols = (long)shape.Channels * c.Kernel * c.Kernel + 1; shape = g.Output; break;
                case PoolSpec p:
                    if (p.Size < 1 || shape.Height < p.Size || shape.Width < p.Size)
                        throw new ArgumentException($"layer {Token(p)}: a {p.Size}x{p.Size} window does not fit its input {shape}.", "options");
                    shape = new TensorShape(shape.Channels, shape.Height / p.Size, shape.Width / p.Size); continue;
                case DenseSpec d: rows = d.Units; cols = shape.Size + 1L; shape = TensorShape.Vector(d.Units); break;
                default: continue;
            }
            if (!CheckedSize.TryProduct([rows, cols], Network.MaxTotalDevices, out long devices) || !CheckedSize.TrySum(total, devices, Network.MaxTotalDevices, out total))
                throw new ArgumentException($"the architecture needs more than {Network.MaxTotalDevices:N0} devices (the limit); use smaller layers.", "options");
        }
    }

    private static string Token(LayerSpec s) => s switch
    {
        ConvSpec c => $"conv{c.Channels}k{c.Kernel}{(c.Stride != 1 ? $"s{c.Stride}" : "")}{(c.Padding != 0 ? $"p{c.Padding}" : "")}",
        PoolSpec p => $"{(p.Kind == PoolKind.Max ? "maxpool" : "avgpool")}{p.Size}",
        DenseSpec d => $"fc{d.Units}",
        _ => "?",
    };
}

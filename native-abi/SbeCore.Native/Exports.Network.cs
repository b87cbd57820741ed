using System.Runtime.InteropServices;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Native;

// Network exports: an MLP of crossbar tiles trained by one update method, enough for a host to run the
// paper's experiment (784-100-10, softmax cross-entropy). Not thread-safe per handle.
internal static unsafe partial class Exports
{
    internal static readonly HandleTable<Network> Networks = new(0x5BE3, "network");

    private static int NetworkCount() => Networks.Count;

    /// <summary>sbe_network_create: builds a network from a config struct; *out receives the handle (NULL on failure).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_create")]
    public static int NetworkCreate(NetworkConfigV1* config, nint* outNetwork)
    {
        try
        {
            Args.NotNull(outNetwork, "out");
            *outNetwork = 0;
            *outNetwork = Networks.Add(new Network(NetworkOptionsOf(config, null)));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>The options of a network config struct; the tiles use <paramref name="tile"/>, or config->tile when null
    /// (then its header and fields are checked, otherwise it is ignored).</summary>
    internal static NetworkOptions NetworkOptionsOf(NetworkConfigV1* config, Crossbar.TileConfig? tile)
    {
        StructHeader.Check(config, NetworkConfigV1.CurrentVersion, "config");
        if (tile is null) StructHeader.Check(&config->Tile, TileConfigV1.CurrentVersion, "config->tile");
        if (config->LayerCount < 2 || config->LayerCount > 64)
            throw new SbeException(SbeStatus.InvalidArgument, $"config->layer_count is {config->LayerCount}; it must be in [2, 64].");
        Args.NotNull(config->LayerSizes, "config->layer_sizes");
        var sizes = new int[config->LayerCount];
        for (int i = 0; i < sizes.Length; i++) sizes[i] = Args.Dim(config->LayerSizes[i], $"config->layer_sizes[{i}]");
        for (int i = 0; i + 1 < sizes.Length; i++) Args.Product(sizes[i + 1], sizes[i] + 1, $"layer {i}");
        if (config->Activation > (uint)Activation.Sigmoid)
            throw new SbeException(SbeStatus.InvalidArgument, $"config->activation is {config->Activation}; valid values are 0 (relu) and 1 (sigmoid).");
        if (!UpdateRules.TryGetByAbiId(config->Method, out var rule))
            throw new SbeException(SbeStatus.InvalidArgument, $"config->method is {config->Method}; valid values are {MethodValues()}.");
        int rank = Args.Dim(config->Rank, "config->rank"), subBatch = Args.Dim(config->SubBatch, "config->sub_batch");
        if (config->Reserved != 0) throw new SbeException(SbeStatus.InvalidArgument, $"config->reserved is {config->Reserved}; it must be 0.");
        if (tile is null && (config->Tile.Rows != 0 || config->Tile.Cols != 0))
            throw new SbeException(SbeStatus.InvalidArgument, "config->tile.rows and cols must be 0: the layer sizes give each tile's shape.");
        return new NetworkOptions
        {
            LayerSizes = sizes,
            Activation = (Activation)config->Activation,
            Method = rule.Id,
            Rank = rank,
            SubBatch = subBatch,
            TileConfig = tile ?? TileConfigs.From(&config->Tile, "config->tile"),
            Seed = config->Seed,
        };
    }

    /// <summary>sbe_network_destroy: frees the network; NULL is a no-op.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_destroy")]
    public static int NetworkDestroy(nint network)
    {
        try { Networks.Remove(network, "network"); return 0; }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_network_shape: input size, number of classes and number of layers (tiles).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_shape")]
    public static int NetworkShape(nint network, nuint* inputs, nuint* classes, nuint* layers)
    {
        try
        {
            using var lease = Networks.Use(network, "network", out var n);
            Args.NotNull(inputs, "inputs");
            Args.NotNull(classes, "classes");
            Args.NotNull(layers, "layers");
            *inputs = (nuint)n.InputSize; *classes = (nuint)n.OutputSize; *layers = (nuint)n.LayerCount;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    // images (n x InputSize) and labels (n), each label in [0, classes): checked here so the message names the ABI parameters.
    private static void Samples(Network net, float* images, nuint imagesLen, int* labels, nuint n, out ReadOnlySpan<float> xs, out ReadOnlySpan<int> ys)
    {
        int count = Args.Dim(n, "n");
        int length = Args.Product(count, net.InputSize, "images");
        Args.Length(imagesLen, length, "images_len", "n * inputs");
        xs = Args.In(images, length, "images");
        Args.NotNull(labels, "labels");
        ys = new ReadOnlySpan<int>(labels, count);
        for (int i = 0; i < ys.Length; i++)
            if ((uint)ys[i] >= (uint)net.OutputSize)
                throw new SbeException(SbeStatus.InvalidArgument, $"labels[{i}] is {ys[i]}; classes are 0..{net.OutputSize - 1}.");
        Args.Finite(xs, "images");
    }

    /// <summary>sbe_network_train_epoch: one shuffled epoch in batches of batch_size; *metrics (optional) receives what it did.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_train_epoch")]
    public static int NetworkTrainEpoch(nint network, float* images, nuint imagesLen, int* labels, nuint n, nuint batchSize,
        float learningRate, ulong shuffleSeed, EpochMetricsV1* metrics)
    {
        try
        {
            using var lease = Networks.Use(network, "network", out var net);
            if (metrics != null) StructHeader.Check(metrics, EpochMetricsV1.CurrentVersion, "metrics");
            Samples(net, images, imagesLen, labels, n, out var xs, out var ys);
            int batch = Args.Dim(batchSize, "batch_size");
            Args.Finite(learningRate, "learning_rate");
            var result = net.TrainEpoch(xs, ys, batch, learningRate, shuffleSeed);
            if (metrics != null)
            {
                metrics->Samples = result.Samples; metrics->Batches = result.Batches; metrics->RankOneWrites = result.RankOneWrites;
                metrics->MeanTrainingLoss = result.MeanTrainingLoss; metrics->Seconds = result.Seconds;
            }
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_network_train_batch: one batch (one weight update) on all n samples in order; *loss (optional) is the mean loss before it.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_train_batch")]
    public static int NetworkTrainBatch(nint network, float* images, nuint imagesLen, int* labels, nuint n, float learningRate, double* loss)
    {
        try
        {
            using var lease = Networks.Use(network, "network", out var net);
            Samples(net, images, imagesLen, labels, n, out var xs, out var ys);
            Args.Finite(learningRate, "learning_rate");
            double value = net.TrainBatch(xs, ys, learningRate);
            if (loss != null) *loss = value;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_network_evaluate: mean cross-entropy and accuracy; the weights are not changed.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_evaluate")]
    public static int NetworkEvaluate(nint network, float* images, nuint imagesLen, int* labels, nuint n, EvaluationV1* result)
    {
        try
        {
            using var lease = Networks.Use(network, "network", out var net);
            StructHeader.Check(result, EvaluationV1.CurrentVersion, "result");
            Samples(net, images, imagesLen, labels, n, out var xs, out var ys);
            var e = net.Evaluate(xs, ys);
            result->Samples = e.Samples; result->Loss = e.Loss; result->Accuracy = e.Accuracy;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_network_predict: class probabilities (n x classes) for images (n x inputs).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_predict")]
    public static int NetworkPredict(nint network, float* images, nuint imagesLen, nuint n, float* probabilities, nuint probabilitiesLen)
    {
        try
        {
            using var lease = Networks.Use(network, "network", out var net);
            int count = Args.Dim(n, "n");
            int inLen = Args.Product(count, net.InputSize, "images"), outLen = Args.Product(count, net.OutputSize, "probabilities");
            Args.Length(imagesLen, inLen, "images_len", "n * inputs");
            Args.Length(probabilitiesLen, outLen, "probabilities_len", "n * classes");
            var xs = Args.In(images, inLen, "images");
            Args.Finite(xs, "images");
            net.Predict(xs, Args.Out(probabilities, outLen, "probabilities"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_network_get_weights: the weights of one layer's tile (rows = outputs, cols = inputs + 1 bias column).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_get_weights")]
    public static int NetworkGetWeights(nint network, nuint layer, float* weights, nuint weightsLen)
    {
        try
        {
            using var lease = Networks.Use(network, "network", out var net);
            if (layer >= (nuint)net.LayerCount)
                throw new SbeException(SbeStatus.InvalidArgument, $"layer is {layer}; the network has layers 0..{net.LayerCount - 1}.");
            var tile = net.GetTile((int)layer);
            int count = tile.Rows * tile.Cols;
            Args.Length(weightsLen, count, "weights_len", $"layer {layer} ({tile.Rows} x {tile.Cols})");
            tile.GetWeights(Args.Out(weights, count, "weights"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }
}

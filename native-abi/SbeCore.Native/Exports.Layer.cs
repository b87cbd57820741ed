using System.Runtime.InteropServices;
using SbeCore.Training;
using SbeCore.Training.Layers;
using SbeCore.Updates;

namespace SbeCore.Native;

// Layer exports: one dense or conv tile layer with its update rule, driven call by call (forward, backward, update) by a
// host's autograd, e.g. a torch.autograd.Function. Batches are rows with a row stride (ld), so strided views pass as they are.
internal static unsafe partial class Exports
{
    internal static readonly HandleTable<LayerBox> Layers = new(0x5BE5, "layer");

    /// <summary>A layer and the rule options it was built with (sbe_layer_get_rule_options).</summary>
    internal sealed record LayerBox(StepwiseLayer Layer, Eigen.EstimatorOptions? Estimator, bool PublishedSchedule);

    /// <summary>sbe_layer_create: a layer from a config struct, rule options (NULL: defaults) and a device config handle
    /// (NULL: config->tile); *out receives the handle (NULL on failure).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_layer_create")]
    public static int LayerCreate(LayerConfigV1* config, RuleOptionsV1* options, nint device, nint* outLayer)
    {
        try
        {
            Args.NotNull(outLayer, "out");
            *outLayer = 0;
            StructHeader.Check(config, LayerConfigV1.CurrentVersion, "config");
            Crossbar.TileConfig tile;
            if (device != 0)
            {
                using var lease = Configs.Use(device, "device", out var box);
                tile = box.Value;
            }
            else
            {
                StructHeader.Check(&config->Tile, TileConfigV1.CurrentVersion, "config->tile");
                if (config->Tile.Rows != 0 || config->Tile.Cols != 0)
                    throw new SbeException(SbeStatus.InvalidArgument, "config->tile.rows and cols must be 0: the layer's sizes give the tile's shape.");
                tile = TileConfigs.From(&config->Tile, "config->tile");
            }
            if (!UpdateRules.TryGetByAbiId(config->Method, out var rule))
                throw new SbeException(SbeStatus.InvalidArgument, $"config->method is {config->Method}; valid values are {MethodValues()}.");
            int rank = Args.Dim(config->Rank, "config->rank"), subBatch = Args.Dim(config->SubBatch, "config->sub_batch");
            if (config->Reserved != 0) throw new SbeException(SbeStatus.InvalidArgument, $"config->reserved is {config->Reserved}; it must be 0.");
            var (estimator, published) = RuleOptions.From(options, rule.Id, rank, subBatch, "options");
            var o = new NetworkOptions
            {
                Method = rule.Id, Rank = rank, SubBatch = subBatch, Estimator = estimator, PublishedSchedule = published,
                TileConfig = tile, Seed = config->Seed,
            };
            int inputs = Args.Dim(config->Inputs, "config->inputs"), outputs = Args.Dim(config->Outputs, "config->outputs");
            StepwiseLayer layer;
            switch (config->Kind)
            {
                case 0:
                    if ((config->Height | config->Width | config->Kernel | config->Stride | config->Padding) != 0)
                        throw new SbeException(SbeStatus.InvalidArgument, "config->height, width, kernel, stride and padding must be 0 for a dense layer.");
                    Args.Product(outputs, inputs + 1, "the layer's tile");
                    layer = StepwiseLayer.Dense(inputs, outputs, o);
                    break;
                case 1:
                    int height = Args.Dim(config->Height, "config->height"), width = Args.Dim(config->Width, "config->width");
                    int kernel = Args.Dim(config->Kernel, "config->kernel"), stride = Args.Dim(config->Stride, "config->stride");
                    if (config->Padding > 1024) throw new SbeException(SbeStatus.InvalidArgument, $"config->padding is {config->Padding}; at most 1024.");
                    Args.Product(Args.Product(inputs, height, "the input"), width, "the input");
                    Args.Product(Args.Product(inputs, kernel, "a patch"), kernel, "a patch");
                    var geometry = new ConvGeometry(new TensorShape(inputs, height, width), outputs, kernel, stride, (int)config->Padding);
                    layer = StepwiseLayer.Conv2d(geometry, o);
                    break;
                default:
                    throw new SbeException(SbeStatus.InvalidArgument, $"config->kind is {config->Kind}; valid values are 0 (dense) and 1 (conv2d).");
            }
            *outLayer = Layers.Add(new LayerBox(layer, estimator, published));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_layer_destroy: frees the layer; NULL is a no-op.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_layer_destroy")]
    public static int LayerDestroy(nint layer)
    {
        try { Layers.Remove(layer, "layer"); return 0; }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_layer_shape: floats per input and output sample, and the tile's rows and cols (bias column included).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_layer_shape")]
    public static int LayerShape(nint layer, nuint* inputs, nuint* outputs, nuint* rows, nuint* cols)
    {
        try
        {
            using var lease = Layers.Use(layer, "layer", out var box);
            var l = box.Layer;
            Args.NotNull(inputs, "inputs"); Args.NotNull(outputs, "outputs");
            Args.NotNull(rows, "rows"); Args.NotNull(cols, "cols");
            *inputs = (nuint)l.InputSize; *outputs = (nuint)l.OutputSize; *rows = (nuint)l.Tile.Rows; *cols = (nuint)l.Tile.Cols;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_layer_forward: y rows (n, stride y_ld) = the tile's read of x rows (n, stride x_ld); ld 0 = packed.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_layer_forward")]
    public static int LayerForward(nint layer, float* x, nuint xLen, nuint xLd, nuint n, float* y, nuint yLen, nuint yLd)
    {
        try
        {
            using var lease = Layers.Use(layer, "layer", out var box);
            var l = box.Layer;
            int count = Args.Dim(n, "n");
            var xs = StridedRows.In(x, xLen, xLd, count, l.InputSize, "x");
            var ys = StridedRows.Out(y, yLen, yLd, count, l.OutputSize, "y");
            StridedRows.Disjoint(x, xs.Length, y, ys.Length, "x", "y");
            StridedRows.Finite(xs, count, l.InputSize, xLd, "x");
            l.Forward(xs, count, StridedRows.Stride(xLd, l.InputSize), ys, StridedRows.Stride(yLd, l.OutputSize));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_layer_backward: dx rows (may be NULL) = the transposed read of dy rows; the pairs go to the rule.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_layer_backward")]
    public static int LayerBackward(nint layer, float* dy, nuint dyLen, nuint dyLd, nuint n, float* dx, nuint dxLen, nuint dxLd)
    {
        try
        {
            using var lease = Layers.Use(layer, "layer", out var box);
            var l = box.Layer;
            int count = Args.Dim(n, "n");
            var dys = StridedRows.In(dy, dyLen, dyLd, count, l.OutputSize, "dy");
            StridedRows.Finite(dys, count, l.OutputSize, dyLd, "dy");
            Span<float> dxs = [];
            if (dx != null)
            {
                dxs = StridedRows.Out(dx, dxLen, dxLd, count, l.InputSize, "dx");
                StridedRows.Disjoint(dy, dys.Length, dx, dxs.Length, "dy", "dx");
            }
            else if (dxLen != 0 || dxLd != 0) throw new SbeException(SbeStatus.InvalidArgument, $"dx is NULL but dx_len is {dxLen} and dx_ld {dxLd}; both must be 0.");
            if (l.PendingPairs + (long)count * l.Layer.Positions > int.MaxValue / Math.Max(l.Tile.Rows, l.Tile.Cols))
                throw new SbeException(SbeStatus.InvalidState, $"layer has {l.PendingPairs} pairs pending; call sbe_layer_update before more backwards.");
            l.Backward(dys, count, StridedRows.Stride(dyLd, l.OutputSize), dxs, StridedRows.Stride(dxLd, l.InputSize));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_layer_update: writes the pending pairs (W -= lr * their summed gradient, as the rule writes it), then the
    /// tile's post-update step.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_layer_update")]
    public static int LayerUpdate(nint layer, float learningRate)
    {
        try
        {
            using var lease = Layers.Use(layer, "layer", out var box);
            var l = box.Layer;
            Args.Finite(learningRate, "learning_rate");
            l.Update(learningRate);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_layer_get_weights: the tile's weights, rows x cols (the last column is the bias).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_layer_get_weights")]
    public static int LayerGetWeights(nint layer, float* weights, nuint weightsLen)
    {
        try
        {
            using var lease = Layers.Use(layer, "layer", out var box);
            var l = box.Layer;
            int count = l.Tile.Rows * l.Tile.Cols;
            Args.Length(weightsLen, count, "weights_len", "rows * cols");
            l.Tile.GetWeights(Args.Out(weights, count, "weights"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_layer_set_weights: programs the tile (not counted as training writes; clipped to the device bounds).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_layer_set_weights")]
    public static int LayerSetWeights(nint layer, float* weights, nuint weightsLen)
    {
        try
        {
            using var lease = Layers.Use(layer, "layer", out var box);
            var l = box.Layer;
            int count = l.Tile.Rows * l.Tile.Cols;
            Args.Length(weightsLen, count, "weights_len", "rows * cols");
            var w = Args.In(weights, count, "weights");
            Args.Finite(w, "weights");
            l.Tile.SetWeights(w);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_layer_get_counters: the tile's counters, the pairs pending and the rule's peripheral memory.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_layer_get_counters")]
    public static int LayerGetCounters(nint layer, LayerCountersV1* counters)
    {
        try
        {
            using var lease = Layers.Use(layer, "layer", out var box);
            var l = box.Layer;
            StructHeader.Check(counters, LayerCountersV1.CurrentVersion, "counters");
            var c = l.Tile.Counters;
            counters->RankOneWrites = c.RankOneWrites; counters->TotalPulses = c.TotalPulses;
            counters->ClippedPulses = c.ClippedPulses; counters->MaxPulsesPerDevice = c.MaxPulsesPerDevice;
            counters->PendingPairs = l.PendingPairs;
            counters->PeripheralMemoryBytes = l.Rule.PeripheralMemoryBytes + l.BufferedFloats * sizeof(float);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_layer_get_rule_options: the rule options the layer was built with.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_layer_get_rule_options")]
    public static int LayerGetRuleOptions(nint layer, RuleOptionsV1* options)
    {
        try
        {
            using var lease = Layers.Use(layer, "layer", out var box);
            RuleOptions.Fill(options, box.Estimator, box.PublishedSchedule, "options");
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_live_layers: the number of live layer handles.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_live_layers")]
    public static int LiveLayers(nuint* layers)
    {
        try
        {
            Args.NotNull(layers, "layers");
            *layers = (nuint)Layers.Count;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }
}

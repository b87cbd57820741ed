using System.Runtime.InteropServices;
using SbeCore.Training;

namespace SbeCore.Native;

// Networks described by layers (convolutions, pools, dense): the MLP config plus an architecture string, and the tile
// shape of any layer so hosts can size weight buffers without knowing the geometry.
internal static unsafe partial class Exports
{
    private const int MaxArchitectureBytes = 4096;

    /// <summary>sbe_network_create_layers: as sbe_network_create, with the layers given by <paramref name="architecture"/>
    /// (UTF-8, e.g. "lenet5" or "conv6k5p2-pool2-conv16k5-pool2-fc120-fc84"); config->layer_sizes gives only the
    /// features (first) and classes (last).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_create_layers")]
    public static int NetworkCreateLayers(NetworkConfigV1* config, byte* architecture, nint* outNetwork)
    {
        try
        {
            Args.NotNull(outNetwork, "out");
            *outNetwork = 0;
            Args.NotNull(architecture, "architecture");
            string text = ArchitectureOf(architecture);
            var options = NetworkOptionsOf(config, null);
            *outNetwork = Networks.Add(new Network(new NetworkOptions
            {
                LayerSizes = options.LayerSizes, Architecture = text, Activation = options.Activation, Method = options.Method,
                Rank = options.Rank, SubBatch = options.SubBatch, TileConfig = options.TileConfig, Seed = options.Seed,
            }));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>A NUL-terminated UTF-8 architecture spec of at most <see cref="MaxArchitectureBytes"/> bytes.</summary>
    internal static string ArchitectureOf(byte* architecture)
    {
        var span = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(architecture);
        if (span.Length > MaxArchitectureBytes)
            throw new SbeException(SbeStatus.InvalidArgument, $"architecture is {span.Length} bytes; at most {MaxArchitectureBytes}.");
        return System.Text.Encoding.UTF8.GetString(span);
    }

    /// <summary>sbe_network_layer_shape: rows and cols (bias column included) of tile <paramref name="layer"/>.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_layer_shape")]
    public static int NetworkLayerShape(nint network, nuint layer, nuint* rows, nuint* cols)
    {
        try
        {
            using var lease = Networks.Use(network, "network", out var n);
            Args.NotNull(rows, "rows");
            Args.NotNull(cols, "cols");
            if (layer >= (nuint)n.LayerCount)
                throw new SbeException(SbeStatus.InvalidArgument, $"layer is {layer}; the network has {n.LayerCount} layers.");
            var tile = n.GetTile((int)layer);
            *rows = (nuint)tile.Rows; *cols = (nuint)tile.Cols;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }
}

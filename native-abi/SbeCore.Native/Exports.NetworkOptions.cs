using System.Runtime.InteropServices;
using SbeCore.Training;

namespace SbeCore.Native;

// Networks with the update rule's options (estimator magnitudes, initial state, quantisation, warm or cold start,
// SBPCA's schedule): one create call covering the MLP, the layered networks and device configs, and the options back.
internal static unsafe partial class Exports
{
    /// <summary>sbe_network_create_ex: sbe_network_create with <paramref name="options"/> (NULL: the defaults), every tile
    /// from <paramref name="device"/> when it is not NULL (config->tile is then ignored) and the layers of
    /// <paramref name="architecture"/> when it is not NULL (as sbe_network_create_layers).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_create_ex")]
    public static int NetworkCreateEx(NetworkConfigV1* config, RuleOptionsV1* options, nint device, byte* architecture, nint* outNetwork)
    {
        try
        {
            Args.NotNull(outNetwork, "out");
            *outNetwork = 0;
            string? arch = architecture == null ? null : ArchitectureOf(architecture);
            NetworkOptions basic;
            if (device != 0)
            {
                using var lease = Configs.Use(device, "device", out var box);
                basic = NetworkOptionsOf(config, box.Value);
            }
            else basic = NetworkOptionsOf(config, null);
            var (estimator, published) = RuleOptions.From(options, basic.Method, basic.Rank, basic.SubBatch, "options");
            *outNetwork = Networks.Add(new Network(new NetworkOptions
            {
                LayerSizes = basic.LayerSizes, Architecture = arch, Activation = basic.Activation, Method = basic.Method,
                Rank = basic.Rank, SubBatch = basic.SubBatch, TileConfig = basic.TileConfig, Seed = basic.Seed,
                Estimator = estimator, PublishedSchedule = published,
            }));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_network_get_rule_options: the rule options the network was built with (the defaults when none were given).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_get_rule_options")]
    public static int NetworkGetRuleOptions(nint network, RuleOptionsV1* options)
    {
        try
        {
            using var lease = Networks.Use(network, "network", out var n);
            RuleOptions.Fill(options, n.Options.Estimator, n.Options.PublishedSchedule, "options");
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }
}

using SbeCore.Crossbar;

namespace SbeCore.Cli;

/// <summary>Maps --device / --pulse-type to a <see cref="TileConfig"/> (aihwkit preset names, see docs/crossbar.md).</summary>
internal static class DeviceOptions
{
    private static readonly Dictionary<string, Func<TileConfig>> s_presets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ideal"] = () => new TileConfig(),
        ["idealized"] = TileConfig.Idealized,
        ["gokmen-vlasov"] = TileConfig.GokmenVlasov,
        ["capacitor"] = TileConfig.Capacitor,
        ["ecram"] = TileConfig.EcRam,
        ["reram-sb"] = TileConfig.ReRamSB,
        ["reram-es"] = TileConfig.ReRamES,
        ["pcm"] = TileConfig.Pcm,
    };

    private static readonly Dictionary<string, PulseType> s_pulseTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = PulseType.None,
        ["stochastic"] = PulseType.StochasticCompressed,
        ["stochastic-compressed"] = PulseType.StochasticCompressed,
        ["deterministic"] = PulseType.DeterministicImplicit,
        ["deterministic-implicit"] = PulseType.DeterministicImplicit,
    };

    public static string AcceptedDevices => string.Join(", ", s_presets.Keys);
    public const string AcceptedPulseTypes = "stochastic (default for device presets), deterministic, none (exact float update, then clip)";

    /// <summary>Builds the tile configuration or returns a one-line error. The ideal device always writes exact floats.</summary>
    public static bool TryCreate(string device, string? pulseType, out TileConfig? config, out string error)
    {
        config = null; error = "";
        if (!s_presets.TryGetValue(device.Trim(), out var preset))
        {
            error = $"unknown device preset '{device}'; expected one of: {AcceptedDevices}.";
            return false;
        }
        config = preset();
        if (pulseType is not null)
        {
            if (!s_pulseTypes.TryGetValue(pulseType.Trim(), out var type))
            {
                error = $"unknown pulse type '{pulseType}'; expected one of: stochastic, deterministic, none.";
                return false;
            }
            config = config with { Update = config.Update with { PulseType = type } };
        }
        return true;
    }

    public static string Describe(TileConfig? config)
    {
        if (config is null) return "ideal";
        string device = config.Device.GetType().Name;
        return device == "IdealDevice" ? "ideal" : $"{device}, pulse type {config.Update.PulseType}";
    }
}

using SbeCore.Crossbar;
using SbeCore.Experiments;

namespace SbeCore.Cli;

/// <summary>Maps --device / --pulse-type to a <see cref="TileConfig"/> through <see cref="DeviceCatalog"/> (aihwkit preset names, see docs/crossbar.md).</summary>
internal static class DeviceOptions
{
    public static string AcceptedDevices => DeviceCatalog.PresetNames;
    public const string AcceptedPulseTypes = "stochastic (default for device presets), deterministic, none (exact float update, then clip)";

    /// <summary>Builds the tile configuration or returns a one-line error. The ideal device always writes exact floats.</summary>
    public static bool TryCreate(string device, string? pulseType, out TileConfig? config, out string error)
    {
        bool ok = DeviceCatalog.TryCreate(pulseType is null ? device : $"{device}:{pulseType}", out var created, out error);
        config = ok ? created : null;
        return ok;
    }

    public static string Describe(TileConfig? config)
    {
        if (config is null) return "ideal";
        string device = config.Device.GetType().Name;
        return device == "IdealDevice" ? "ideal" : $"{device}, pulse type {config.Update.PulseType}";
    }
}

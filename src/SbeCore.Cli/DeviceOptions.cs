using SbeCore.Crossbar;

namespace SbeCore.Cli;

/// <summary>Maps --device / --pulse-type to a <see cref="TileConfig"/>.</summary>
internal static class DeviceOptions
{
    public const string AcceptedDevices = "ideal";
    public const string AcceptedPulseTypes = "none";

    /// <summary>Builds the tile configuration or returns a one-line error.</summary>
    public static bool TryCreate(string device, string? pulseType, out TileConfig? config, out string error)
    {
        config = null; error = "";
        if (!device.Equals("ideal", StringComparison.OrdinalIgnoreCase))
        {
            error = $"unknown device preset '{device}'; expected one of: {AcceptedDevices}.";
            return false;
        }
        if (pulseType is not null && !pulseType.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            error = $"unknown pulse type '{pulseType}'; expected one of: {AcceptedPulseTypes}.";
            return false;
        }
        config = new TileConfig();
        return true;
    }

    public static string Describe(TileConfig? config) => "ideal";
}

using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Experiments;

namespace SbeCore.Cli;

/// <summary>Maps --device / --pulse-type / --device-file / --device-param to a <see cref="TileConfig"/> through
/// <see cref="DeviceCatalog"/> (aihwkit preset names) and the parameter schema (docs/crossbar.md, "Configs as data").</summary>
internal static class DeviceOptions
{
    public static string AcceptedDevices => DeviceCatalog.PresetNames;
    public const string AcceptedPulseTypes = "stochastic (default for device presets), deterministic, rounded (the deterministic count rounded stochastically; not in aihwkit), none (exact float update, then clip)";

    /// <summary>Builds the tile configuration or returns a one-line error. The ideal device always writes exact floats.</summary>
    public static bool TryCreate(string device, string? pulseType, out TileConfig? config, out string error)
    {
        bool ok = DeviceCatalog.TryCreate(pulseType is null ? device : $"{device}:{pulseType}", out var created, out error);
        config = ok ? created : null;
        return ok;
    }

    /// <summary>The preset (or <paramref name="file"/>, which replaces it), then --pulse-type, then each name=value in order.</summary>
    public static bool TryCreate(string device, string? pulseType, string? file, IReadOnlyList<string>? parameters, out TileConfig? config, out string error)
    {
        config = null;
        if (file is not null && pulseType is not null)
        {
            error = "--pulse-type goes with --device; with --device-file set update.pulse_type in the file or by --device-param update.pulse_type=...";
            return false;
        }
        if (!TryCreate(file ?? device, pulseType, out var c, out error)) return false;
        foreach (string assignment in parameters ?? [])
        {
            if (!TrySplit(assignment, out string name, out string value, out error)) return false;
            try { c = TileConfigPaths.Set(c!, name, value); }
            catch (ArgumentException e) { error = $"--device-param {ConfigValuesShown(assignment)}: {e.Message}"; return false; }
        }
        config = c;
        return true;
    }

    /// <summary>Splits "name=value" (the value may be empty only to get a clear error from the schema).</summary>
    public static bool TrySplit(string assignment, out string name, out string value, out string error)
    {
        int eq = assignment.IndexOf('=');
        name = eq > 0 ? assignment[..eq].Trim() : "";
        value = eq > 0 ? assignment[(eq + 1)..] : "";
        error = eq > 0 ? "" : $"--device-param expects name=value (e.g. dw_min=0.002 or forward.out_noise=0), got '{ConfigValuesShown(assignment)}'.";
        return eq > 0;
    }

    /// <summary>A short label for results: the preset or file name, with the parameters set on top.</summary>
    public static string Label(string device, string? file, IReadOnlyList<string>? parameters)
    {
        string label = file is null ? device.ToLowerInvariant() : Path.GetFileNameWithoutExtension(file);
        return parameters is { Count: > 0 } ? $"{label} {string.Join(' ', parameters)}" : label;
    }

    /// <summary>The device as plot titles and console headers name it: the label, and for a pulsed device its model
    /// and pulse type.</summary>
    public static string Describe(string label, TileConfig? config)
    {
        string model = Describe(config);
        return model == "ideal" ? label : $"{label} ({model})";
    }

    /// <summary>The device model and pulse type of a config ("ideal" for exact updates).</summary>
    public static string Describe(TileConfig? config)
    {
        if (config is null) return "ideal";
        string device = config.Device.GetType().Name;
        return device == "IdealDevice" ? "ideal" : $"{device}, pulse type {config.Update.PulseType}";
    }

    private static string ConfigValuesShown(string s) => s.Length <= 80 ? s : string.Concat(s.AsSpan(0, 80), "...");
}

using SbeCore.Crossbar;

namespace SbeCore.Experiments;

/// <summary>
/// Device presets by name for sweeps: <c>ideal</c> (exact float writes, exact reads: the paper's setting) and the
/// aihwkit-style presets of <see cref="TileConfig"/> with their preset I/O (7-bit DAC, 9-bit ADC, read noise) and
/// stochastic pulsed updates (BL 31, update management). <c>constantstep</c> is the Gokmen-Vlasov ConstantStep device
/// (about 1200 states, 30% device-to-device and cycle-to-cycle variation). A suffix <c>:none</c>, <c>:stochastic</c> or
/// <c>:deterministic</c> picks the pulse type (none = exact update then clip to each device's bounds).
/// </summary>
public static class DeviceCatalog
{
    // Sweep-friendly names on top of TileConfig's presets (which ignore case, '-' and '_').
    private const string ConstantStepAlias = "constantstep";

    /// <summary>The sweep names of the presets in the catalog's order (<see cref="TilePresets"/>, lower case), with
    /// <c>constantstep</c> just before the preset it names.</summary>
    public static IReadOnlyList<string> Names { get; } = TilePresets.All
        .SelectMany(p => p.Name == nameof(TileConfig.GokmenVlasov) ? [ConstantStepAlias, p.Name.ToLowerInvariant()] : new[] { p.Name.ToLowerInvariant() })
        .ToArray();

    /// <summary>The accepted preset names, comma-separated (without the pulse-type suffixes).</summary>
    public static string PresetNames => string.Join(", ", Names);

    /// <summary>The accepted preset names, comma-separated.</summary>
    public static string Accepted => PresetNames + " (optionally :none, :stochastic, :deterministic or :rounded), or a device file NAME.json (docs/crossbar.md, Configs as data)";

    /// <summary>Builds the tile configuration named by <paramref name="spec"/> (e.g. <c>ecram</c>, <c>reramsb:deterministic</c>).</summary>
    /// <exception cref="ArgumentException">Unknown preset or pulse type.</exception>
    public static TileConfig Create(string spec)
    {
        if (!TryCreate(spec, out var config, out string error)) throw new ArgumentException(error, nameof(spec));
        return config;
    }

    /// <summary>Like <see cref="Create"/> but returns a one-line error instead of throwing.</summary>
    public static bool TryCreate(string spec, out TileConfig config, out string error)
    {
        config = new TileConfig(); error = "";
        var parts = (spec ?? "").Split(':', 2, StringSplitOptions.TrimEntries);
        if (parts[0].EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return TryLoad(parts, out config, out error);
        string name = parts[0].Equals(ConstantStepAlias, StringComparison.OrdinalIgnoreCase) ? nameof(TileConfig.GokmenVlasov) : parts[0];
        if (!TileConfig.TryPreset(name, out var preset))
        {
            error = $"unknown device preset '{parts[0]}'; expected one of: {Accepted}.";
            return false;
        }
        config = preset;
        if (parts.Length == 2)
        {
            PulseType? pulse = parts[1].Replace("-", "", StringComparison.Ordinal).ToLowerInvariant() switch
            {
                "none" => PulseType.None,
                "stochastic" or "stochasticcompressed" => PulseType.StochasticCompressed,
                "deterministic" or "deterministicimplicit" => PulseType.DeterministicImplicit,
                "rounded" or "implicitstochasticround" => PulseType.ImplicitStochasticRound,
                _ => null,
            };
            if (pulse is null)
            {
                error = $"unknown pulse type '{parts[1]}' in device '{spec}'; expected none, stochastic, deterministic or rounded.";
                return false;
            }
            config = config with { Update = config.Update with { PulseType = pulse.Value } };
        }
        return true;
    }

    // A device file (TileConfigJson) in place of a preset name, so sweeps can run any configured device.
    private static bool TryLoad(string[] parts, out TileConfig config, out string error)
    {
        config = new TileConfig(); error = "";
        if (parts.Length == 2) { error = $"a device file ('{parts[0]}') takes no pulse-type suffix: set update.pulse_type in the file."; return false; }
        try { config = Devices.TileConfigJson.Load(parts[0]); return true; }
        catch (ArgumentException e) { error = e.Message; return false; }
    }
}

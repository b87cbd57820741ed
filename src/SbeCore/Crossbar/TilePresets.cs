namespace SbeCore.Crossbar;

/// <summary>One named tile preset: its name (aihwkit's, without "Preset"), its value in the C ABI's sbe_device enum,
/// a one-line description and the configuration it builds.</summary>
public sealed record TilePresetInfo(string Name, uint AbiId, string Description, Func<TileConfig> Create);

/// <summary>
/// The catalog of tile presets: the one list of preset names. <see cref="TileConfig.Preset"/>/<see cref="TileConfig.TryPreset"/>,
/// <see cref="TileConfig.PresetNames"/>, the sweeps' device names, the CLI's help, the C ABI's sbe_device values and
/// sbe_device_names, and Python's preset list derive from it (a test checks sbecore.h's enum and Python's presets module
/// against it). Names are looked up ignoring case, '-' and '_' ("reram-sb" is ReRamSB).
/// </summary>
public static class TilePresets
{
    /// <summary>The exact device with exact reads: <c>new TileConfig()</c>.</summary>
    public const string IdealName = "Ideal";

    /// <summary>Every preset, <see cref="IdealName"/> first, in the order help texts list them.</summary>
    public static IReadOnlyList<TilePresetInfo> All { get; } =
    [
        new(IdealName, 0, "exact float updates and reads", () => new TileConfig()),
        new("Idealized", 1, "ConstantStep, about 10000 states", TileConfig.Idealized),
        new("GokmenVlasov", 2, "ConstantStep, about 1200 states, 30% variation", TileConfig.GokmenVlasov),
        new("Capacitor", 3, "LinearStep with leakage", TileConfig.Capacitor),
        new("EcRam", 4, "LinearStep, asymmetric", TileConfig.EcRam),
        new("EcRamMO", 8, "LinearStep, metal-oxide ECRAM", TileConfig.EcRamMO),
        new("ReRamSB", 5, "SoftBounds with large write noise", TileConfig.ReRamSB),
        new("ReRamES", 6, "ExpStep", TileConfig.ReRamES),
        new("PCM", 7, "a refreshed pair of one-sided PCM devices", TileConfig.Pcm),
        new("TikiTakaEcRam", 9, "Tiki-Taka: EcRam fast and slow devices, one column transferred per mini-batch", TileConfig.TikiTakaEcRam),
        new("TikiTakaReRamSB", 10, "Tiki-Taka: ReRamSB fast and slow devices (symmetry point subtracted)", TileConfig.TikiTakaReRamSB),
    ];

    /// <summary>Finds a preset by name, ignoring case, '-', '_' and surrounding white space.</summary>
    public static bool TryFind(string? name, out TilePresetInfo preset)
    {
        string key = Fold(name);
        foreach (var p in All)
            if (Fold(p.Name) == key) { preset = p; return true; }
        preset = null!;
        return false;
    }

    /// <summary>The presets in ascending sbe_device order (the C ABI's numbering).</summary>
    public static IEnumerable<TilePresetInfo> ByAbiId => All.OrderBy(p => p.AbiId);

    private static string Fold(string? name) =>
        (name ?? "").Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Trim().ToLowerInvariant();
}

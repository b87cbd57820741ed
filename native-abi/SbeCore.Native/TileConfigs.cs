using SbeCore.Crossbar;
using SbeCore.Devices;

namespace SbeCore.Native;

/// <summary>
/// Maps sbe_tile_config_t's device preset and overrides onto a <see cref="TileConfig"/>; every enum is range-checked.
/// Presets are resolved by name through <see cref="TileConfig.TryPreset"/> only (the mechanism DeviceCatalog and the
/// CLI use): the sbe_device enum is just a frozen index into <see cref="DeviceNames"/>, so there is one preset table.
/// </summary>
internal static unsafe class TileConfigs
{
    /// <summary>sbe_device value -> preset name. Part of the ABI: append only, never reorder.</summary>
    public static readonly string[] DeviceNames = ["Ideal", "Idealized", "GokmenVlasov", "Capacitor", "EcRam", "ReRamSB", "ReRamES", "PCM", "EcRamMO"];

    /// <summary>The names sbe_tile_config_preset accepts, for error messages (TryPreset ignores case, '-' and '_').</summary>
    public static string AcceptedNames => "Ideal, " + string.Join(", ", TileConfig.PresetNames);

    public static TileConfig From(TileConfigV1* c, string name)
    {
        if (c->Device >= DeviceNames.Length)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}->device is {c->Device}; valid presets are 0..{DeviceNames.Length - 1} ({string.Join(", ", DeviceNames.Select((n, i) => $"{i} {n}"))}).");
        if (c->PulseType > 3)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}->pulse_type is {c->PulseType}; valid values are 0 (preset default), 1 (none), 2 (stochastic compressed), 3 (deterministic implicit).");
        if (c->DesiredBl > UpdateConfig.MaxBl)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}->desired_bl is {c->DesiredBl}; it must be 0 (preset default) or 1..{UpdateConfig.MaxBl}.");
        if (c->Io > 2)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}->io is {c->Io}; valid values are 0 (preset default), 1 (perfect), 2 (preset I/O: 7-bit DAC, 9-bit ADC, noise).");
        if (!TileConfig.TryPreset(DeviceNames[c->Device], out var config))
            throw new SbeException(SbeStatus.Internal, $"{name}->device {c->Device} maps to '{DeviceNames[c->Device]}', which TileConfig.TryPreset does not know.");
        var update = config.Update;
        if (c->PulseType != 0) update = update with { PulseType = (PulseType)(c->PulseType - 1) };
        if (c->DesiredBl != 0) update = update with { DesiredBl = (int)c->DesiredBl };
        config = config with { Update = update };
        if (c->Io == 1) config = config with { Forward = IOConfig.Perfect, Backward = IOConfig.Perfect };
        else if (c->Io == 2) config = config with { Forward = TileConfig.PresetIO(), Backward = TileConfig.PresetIO() };
        config.Validate();
        return config;
    }

    /// <summary>
    /// The sbe_device value of a preset name: the name is resolved by <see cref="TileConfig.TryPreset"/> and matched to
    /// the enum entry whose preset is the same configuration (TileConfig and its parts are records: value equality).
    /// </summary>
    public static uint DeviceOf(string presetName, string name)
    {
        if (!TileConfig.TryPreset(presetName, out var config))
            throw new SbeException(SbeStatus.InvalidArgument, $"{name} is '{Shown(presetName)}', not a known preset; accepted (case, '-' and '_' ignored): {AcceptedNames}.");
        for (int i = 0; i < DeviceNames.Length; i++)
            if (TileConfig.TryPreset(DeviceNames[i], out var candidate) && candidate == config) return (uint)i;
        throw new SbeException(SbeStatus.NotSupported, $"{name} is '{Shown(presetName)}', a preset this library knows but sbe_tile_config_t (version {TileConfigV1.CurrentVersion}) has no sbe_device value for.");
    }

    // A caller's string echoed in a message is cut short: it may be any length.
    private static string Shown(string s) => s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 64), "...");
}

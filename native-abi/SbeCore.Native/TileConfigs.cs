using SbeCore.Crossbar;
using SbeCore.Devices;

namespace SbeCore.Native;

/// <summary>
/// Maps sbe_tile_config_t's device preset and overrides onto a <see cref="TileConfig"/>; every enum is range-checked.
/// Presets come from <see cref="TilePresets"/> only (the catalog DeviceCatalog and the CLI use): an sbe_device value is
/// a preset's <see cref="TilePresetInfo.AbiId"/>, so there is one preset table.
/// </summary>
internal static unsafe class TileConfigs
{
    /// <summary>sbe_device value -> preset name (the catalog's ids are 0..n-1, a test checks them against sbecore.h).</summary>
    public static readonly string[] DeviceNames = TilePresets.ByAbiId.Select(p => p.Name).ToArray();

    /// <summary>The names sbe_tile_config_preset accepts, for error messages (TryPreset ignores case, '-' and '_').</summary>
    public static string AcceptedNames => string.Join(", ", TilePresets.All.Select(p => p.Name));

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
    /// The sbe_device value of a preset name, looked up in <see cref="TilePresets"/> as <see cref="TileConfig.TryPreset"/> does.
    /// </summary>
    public static uint DeviceOf(string presetName, string name)
    {
        if (!TilePresets.TryFind(presetName, out var preset))
            throw new SbeException(SbeStatus.InvalidArgument, $"{name} is '{Shown(presetName)}', not a known preset; accepted (case, '-' and '_' ignored): {AcceptedNames}.");
        return preset.AbiId;
    }

    // A caller's string echoed in a message is cut short: it may be any length.
    private static string Shown(string s) => s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 64), "...");
}

using SbeCore.Crossbar;
using SbeCore.Devices;

namespace SbeCore.Native;

/// <summary>Maps sbe_tile_config_t's device preset and overrides onto a <see cref="TileConfig"/>; every enum is range-checked.</summary>
internal static unsafe class TileConfigs
{
    private static readonly string[] s_presets = ["ideal", "idealized", "gokmen_vlasov", "capacitor", "ecram", "reram_sb", "reram_es", "pcm"];

    public static TileConfig From(TileConfigV1* c, string name)
    {
        if (c->Device >= s_presets.Length)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}->device is {c->Device}; valid presets are 0..{s_presets.Length - 1} ({string.Join(", ", s_presets)}).");
        if (c->PulseType > 3)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}->pulse_type is {c->PulseType}; valid values are 0 (preset default), 1 (none), 2 (stochastic compressed), 3 (deterministic implicit).");
        if (c->DesiredBl > UpdateConfig.MaxBl)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}->desired_bl is {c->DesiredBl}; it must be 0 (preset default) or 1..{UpdateConfig.MaxBl}.");
        if (c->Io > 2)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}->io is {c->Io}; valid values are 0 (preset default), 1 (perfect), 2 (preset I/O: 7-bit DAC, 9-bit ADC, noise).");
        TileConfig config = c->Device switch
        {
            0 => new TileConfig(),
            1 => TileConfig.Idealized(),
            2 => TileConfig.GokmenVlasov(),
            3 => TileConfig.Capacitor(),
            4 => TileConfig.EcRam(),
            5 => TileConfig.ReRamSB(),
            6 => TileConfig.ReRamES(),
            _ => TileConfig.Pcm(),
        };
        var update = config.Update;
        if (c->PulseType != 0) update = update with { PulseType = (PulseType)(c->PulseType - 1) };
        if (c->DesiredBl != 0) update = update with { DesiredBl = (int)c->DesiredBl };
        config = config with { Update = update };
        if (c->Io == 1) config = config with { Forward = IOConfig.Perfect, Backward = IOConfig.Perfect };
        else if (c->Io == 2) config = config with { Forward = TileConfig.PresetIO(), Backward = TileConfig.PresetIO() };
        config.Validate();
        return config;
    }
}

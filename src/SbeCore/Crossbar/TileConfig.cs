using System.Diagnostics.CodeAnalysis;
using SbeCore.Devices;

namespace SbeCore.Crossbar;

/// <summary>
/// aihwkit: SingleRPUConfig. Device model, update (pulse) config and forward/backward I/O configs.
/// <c>new TileConfig()</c> is an ideal device with exact float updates and exact reads.
/// </summary>
public sealed record TileConfig
{
    /// <summary>aihwkit: device. The device model (default <see cref="IdealDevice"/>).</summary>
    public IDeviceModel Device { get; init; } = new IdealDevice();

    /// <summary>aihwkit: update. How rank-1 writes become pulses.</summary>
    public UpdateConfig Update { get; init; } = new();

    /// <summary>aihwkit: forward. I/O model of <see cref="CrossbarTile.Read"/> (default exact).</summary>
    public IOConfig Forward { get; init; } = IOConfig.Perfect;

    /// <summary>aihwkit: backward. I/O model of <see cref="CrossbarTile.ReadTransposed"/> (default exact).</summary>
    public IOConfig Backward { get; init; } = IOConfig.Perfect;

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending parameter if any part is invalid.</summary>
    public void Validate()
    {
        if (Device is null) throw new ArgumentException("Device must not be null.", nameof(Device));
        if (Update is null) throw new ArgumentException("Update must not be null.", nameof(Update));
        if (Forward is null) throw new ArgumentException("Forward must not be null.", nameof(Forward));
        if (Backward is null) throw new ArgumentException("Backward must not be null.", nameof(Backward));
        if (Device.ParametersPerDevice < 0) throw new ArgumentException($"Device.ParametersPerDevice must be >= 0, got {Device.ParametersPerDevice}.", nameof(Device));
        Device.Validate();
        Update.Validate();
        if (Device is TransferCompound && Update.PulseType == PulseType.None)
            throw new ArgumentException("A TransferCompound routes pulses to its fast device: Update (update.pulse_type) must be a pulsed update.", nameof(Update));
        Forward.Validate();
        Backward.Validate();
    }

    /// <summary>aihwkit: PresetIOParameters. 7-bit DAC, 9-bit ADC, out_bound 20, out_noise 0.1, AbsMax, iterative bound management.</summary>
    public static IOConfig PresetIO() => new() { InpRes = 1f / 126f, OutRes = 1f / 510f, OutBound = 20f, OutNoise = 0.1f, WNoise = 0f };

    /// <summary>aihwkit: PresetUpdateParameters. StochasticCompressed, desired_bl 31, BL and update management on.</summary>
    public static UpdateConfig PresetUpdate() => new() { DesiredBl = 31, UpdateBlManagement = true, UpdateManagement = true };

    /// <summary>A preset config around <paramref name="device"/>: <see cref="PresetUpdate"/> and <see cref="PresetIO"/> both ways.</summary>
    public static TileConfig FromPreset(IDeviceModel device) => new() { Device = device, Update = PresetUpdate(), Forward = PresetIO(), Backward = PresetIO() };

    /// <summary>Names accepted by <see cref="Preset"/> besides "Ideal" (from <see cref="TilePresets"/>).</summary>
    public static IReadOnlyList<string> PresetNames { get; } = TilePresets.All.Where(p => p.Name != TilePresets.IdealName).Select(p => p.Name).ToArray();

    /// <summary>A preset config by name (see <see cref="PresetNames"/>; case, '-' and '_' are ignored, so "reram-sb" is ReRamSB;
    /// "Ideal" gives <c>new TileConfig()</c>).</summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static TileConfig Preset(string name) => TryPreset(name, out var config) ? config
        : throw new ArgumentException($"Unknown preset '{name}'; known: Ideal, {string.Join(", ", PresetNames)}.", nameof(name));

    /// <summary>Like <see cref="Preset"/>, returning false for an unknown name.</summary>
    public static bool TryPreset(string? name, [NotNullWhen(true)] out TileConfig? config)
    {
        config = TilePresets.TryFind(name, out var preset) ? preset.Create() : null;
        return config is not null;
    }

    /// <summary>aihwkit: IdealizedPreset.</summary>
    public static TileConfig Idealized() => FromPreset(DevicePresets.Idealized());
    /// <summary>aihwkit: GokmenVlasovPreset.</summary>
    public static TileConfig GokmenVlasov() => FromPreset(DevicePresets.GokmenVlasov());
    /// <summary>aihwkit: CapacitorPreset.</summary>
    public static TileConfig Capacitor() => FromPreset(DevicePresets.Capacitor());
    /// <summary>aihwkit: EcRamPreset.</summary>
    public static TileConfig EcRam() => FromPreset(DevicePresets.EcRam());
    /// <summary>aihwkit: TikiTakaEcRamPreset (a transfer compound of two EcRam devices).</summary>
    public static TileConfig TikiTakaEcRam() => FromPreset(DevicePresets.TikiTakaEcRam());
    /// <summary>aihwkit: TikiTakaReRamSBPreset (a transfer compound of two ReRamSB devices).</summary>
    public static TileConfig TikiTakaReRamSB() => FromPreset(DevicePresets.TikiTakaReRamSB());
    /// <summary>aihwkit: EcRamMOPreset.</summary>
    public static TileConfig EcRamMO() => FromPreset(DevicePresets.EcRamMO());

    /// <summary>aihwkit: ReRamSBPreset.</summary>
    public static TileConfig ReRamSB() => FromPreset(DevicePresets.ReRamSB());
    /// <summary>aihwkit: ReRamESPreset.</summary>
    public static TileConfig ReRamES() => FromPreset(DevicePresets.ReRamES());
    /// <summary>aihwkit: PCMPreset. A refreshed pair of one-sided PCM devices per weight (<see cref="DevicePresets.PcmUnitCell"/>).</summary>
    public static TileConfig Pcm() => FromPreset(DevicePresets.PcmUnitCell());
}

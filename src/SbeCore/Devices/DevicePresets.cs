namespace SbeCore.Devices;

/// <summary>
/// The device presets aihwkit users know by name (aihwkit.simulator.presets.devices), with aihwkit's values,
/// including write noise (ReRamES, ReRamSB), the capacitor's leakage (lifetime), PCM's additive noise and reset.
/// </summary>
public static class DevicePresets
{
    /// <summary>aihwkit: IdealizedPresetDevice. ConstantStep, dw_min 0.0002 (about 10000 states), bounds +-1, no asymmetry spread.</summary>
    public static ConstantStepDevice Idealized() => new()
    {
        DwMin = 0.0002f, DwMinDtod = 0.3f, DwMinStd = 0.3f, UpDown = 0f, UpDownDtod = 0f,
        WMax = 1f, WMin = -1f, WMaxDtod = 0.3f, WMinDtod = 0.3f,
    };

    /// <summary>aihwkit: GokmenVlasovPresetDevice. ConstantStep, dw_min 0.0016 (about 1200 states), bounds +-1.</summary>
    public static ConstantStepDevice GokmenVlasov() => new()
    {
        DwMin = 0.0016f, DwMinDtod = 0.3f, DwMinStd = 0.3f, UpDown = 0f, UpDownDtod = 0.01f,
        WMax = 1f, WMin = -1f, WMaxDtod = 0.3f, WMinDtod = 0.3f,
    };

    /// <summary>aihwkit: CapacitorPresetDevice. LinearStep, dw_min 0.005, bounds +-1, gamma 0.05/0.05, additive noise.</summary>
    public static LinearStepDevice Capacitor() => new()
    {
        DwMin = 0.005f, UpDown = 0f, WMax = 1f, WMin = -1f, MultNoise = false,
        GammaUp = 0.05f, GammaDown = 0.05f, DwMinDtod = 0.1f, UpDownDtod = 0.06f,
        WMaxDtod = 0.07f, WMinDtod = 0.07f, GammaUpDtod = 0.01f, GammaDownDtod = 0.01f,
        DwMinStd = 0.3f, MeanBoundReference = true, Lifetime = 1e6f, LifetimeDtod = 0.3f,
    };

    /// <summary>aihwkit: EcRamPresetDevice. LinearStep, dw_min 0.002, bounds 1.1724/-0.8276, gamma 0.1153/0.5085.</summary>
    public static LinearStepDevice EcRam() => new()
    {
        DwMin = 0.002f, UpDown = 0f, WMax = 1.1724f, WMin = -0.8276f, MultNoise = true,
        GammaUp = 0.1153f, GammaDown = 0.5085f, DwMinDtod = 0.1f, UpDownDtod = 0.01f,
        WMaxDtod = 0.05f, WMinDtod = 0.05f, GammaUpDtod = 0.05f, GammaDownDtod = 0.05f,
        DwMinStd = 0.3f, MeanBoundReference = true,
    };

    /// <summary>aihwkit: EcRamMOPresetDevice. LinearStep, dw_min 2.8214e-4, bounds 1.1714/-0.8286, gamma 0.4152/0.7342.</summary>
    public static LinearStepDevice EcRamMO() => new()
    {
        DwMin = 2.8214e-4f, UpDown = 0f, WMax = 1.1714f, WMin = -0.8286f, MultNoise = true,
        GammaUp = 0.4152f, GammaDown = 0.7342f, DwMinDtod = 0.1f, UpDownDtod = 0.01f,
        WMaxDtod = 0.05f, WMinDtod = 0.05f, GammaUpDtod = 0.05f, GammaDownDtod = 0.05f,
        DwMinStd = 2f, MeanBoundReference = true,
    };

    /// <summary>aihwkit: ReRamSBPresetDevice. SoftBoundsReference, dw_min 0.002, bounds 1.25/-0.75, large additive
    /// cycle-to-cycle noise (3.75) and write noise (56 dw_min).</summary>
    public static SoftBoundsReferenceDevice ReRamSB() => new()
    {
        DwMin = 0.002f, UpDown = 0f, WMax = 1.25f, WMin = -0.75f, MultNoise = false,
        DwMinDtod = 0.3f, UpDownDtod = 0.01f, WMaxDtod = 0.3f / 1.25f, WMinDtod = 0.3f / 0.75f,
        DwMinStd = 3.75f, WriteNoiseStd = 56f,
    };

    /// <summary>aihwkit: ReRamESPresetDevice. ExpStep, dw_min 0.00135, bounds +-1 (fit to Gong et al. 2018).</summary>
    public static ExpStepDevice ReRamES() => new()
    {
        DwMin = 0.00135f, UpDown = 0.259359f, WMax = 1f, WMin = -1f,
        A = -0.5f, B = -0.5f, GammaUp = 5f, GammaDown = 5f, AUp = -1.18445f, ADown = -0.081404f,
        DwMinDtod = 0.2f, UpDownDtod = 0.05f, WMaxDtod = 0.3f, WMinDtod = 0.3f, DwMinStd = 5f, WriteNoiseStd = 75f,
    };

    /// <summary>aihwkit: PCMPresetDevice. ExpStep, one-sided range [0, 2], dw_min 0.01, additive and |w|-proportional
    /// cycle noise, reset to 0.01 (one device of <see cref="PcmUnitCell"/>).</summary>
    public static ExpStepDevice Pcm() => new()
    {
        DwMin = 0.01f, UpDown = 0f, WMax = 2f, WMin = 0f,
        A = -1f, B = 0f, GammaUp = 2.5f, GammaDown = 2.5f, AUp = -27.235f, ADown = -2.235f,
        DwMinDtod = 0.2f, UpDownDtod = 0.05f, WMaxDtod = 0.1f, WMinDtod = 0f, DwMinStd = 0.6f,
        DwMinStdAdd = 0.042f, DwMinStdSlope = 0.108f, Reset = 0.01f, ResetDtod = 0.02f,
    };

    /// <summary>aihwkit: PCMPresetUnitCell. Two <see cref="Pcm"/> devices (w = g+ - g-) refreshed after every
    /// mini-batch, read out with the preset I/O and rewritten with the preset update (BL 31).</summary>
    public static OneSidedUnitCell PcmUnitCell() => new()
    {
        Device = Pcm(), RefreshEvery = 1, UnitsInMbatch = true,
        RefreshForward = Crossbar.TileConfig.PresetIO(), RefreshUpdate = Crossbar.TileConfig.PresetUpdate(),
    };

    /// <summary>aihwkit: TikiTakaEcRamPreset's device. A transfer compound of two <see cref="EcRam"/> devices (read
    /// weight C, gamma 0), one column transferred after every mini-batch, read with the preset I/O without noise and
    /// bound management and written with the preset update (BL 31); aihwkit's TransferCompound defaults otherwise.</summary>
    public static TransferCompound TikiTakaEcRam() => TikiTaka(EcRam());

    /// <summary>aihwkit: TikiTakaReRamSBPreset's device. Two <see cref="ReRamSB"/> devices with their symmetry point
    /// subtracted (subtract_symmetry_point), transferred as in <see cref="TikiTakaEcRam"/>.</summary>
    public static TransferCompound TikiTakaReRamSB() => TikiTaka(ReRamSB() with { SubtractSymmetryPoint = true });

    private static TransferCompound TikiTaka(PulsedDevice device) => new()
    {
        FastDevice = device, SlowDevice = device, TransferEvery = 1f, UnitsInMbatch = true,
        TransferForward = Crossbar.TileConfig.PresetIO() with { NoiseManagement = Crossbar.NoiseManagement.None, BoundManagement = Crossbar.BoundManagement.None },
        TransferUpdate = Crossbar.TileConfig.PresetUpdate(),
    };
}

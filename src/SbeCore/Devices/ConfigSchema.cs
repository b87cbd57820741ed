using SbeCore.Crossbar;

namespace SbeCore.Devices;

/// <summary>One config record type: its aihwkit class name and every parameter (a fixed order, used by JSON output).</summary>
public sealed class ConfigSection
{
    internal ConfigSection(string name, Type recordType, Func<object> create, IReadOnlyList<ConfigParameter> parameters)
    {
        Name = name; RecordType = recordType; _create = create; Parameters = parameters;
    }

    private readonly Func<object> _create;

    /// <summary>aihwkit's class name (ConstantStepDevice, OneSidedUnitCell, UpdateParameters, IOParameters, SingleRPUConfig).</summary>
    public string Name { get; }

    /// <summary>The C# record.</summary>
    public Type RecordType { get; }

    /// <summary>Every parameter, in a fixed order.</summary>
    public IReadOnlyList<ConfigParameter> Parameters { get; }

    /// <summary>Whether the record is a device model (its JSON carries a "type").</summary>
    public bool IsDevice => typeof(IDeviceModel).IsAssignableFrom(RecordType);

    /// <summary>A record with every default.</summary>
    public object CreateDefault() => _create();

    /// <summary>The parameter named <paramref name="name"/> (aihwkit name, exact), or null.</summary>
    public ConfigParameter? Find(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}

/// <summary>
/// The one description of every configurable parameter: each device model, the unit cell, UpdateParameters,
/// IOParameters and the tile config, with aihwkit's names. JSON (<see cref="TileConfigJson"/>), key/value paths
/// (<see cref="TileConfigPaths"/>), the CLI, the C ABI and the Python dataclasses are all driven by (or checked
/// against) this table; a test checks it covers every settable property of every record.
/// </summary>
public static class ConfigSchema
{
    /// <summary>Every section: the device models, then OneSidedUnitCell, TransferCompound, UpdateParameters, IOParameters, SingleRPUConfig.</summary>
    public static IReadOnlyList<ConfigSection> Sections { get; } = Build();

    /// <summary>The device sections (the "type" values a device may have).</summary>
    public static IEnumerable<ConfigSection> Devices => Sections.Where(s => s.IsDevice);

    /// <summary>aihwkit's TransferCompound parameters SbeCore does not implement: refused by name in the data form.</summary>
    public static IReadOnlyList<string> TransferCompoundNotImplemented { get; } =
        ["gamma_vec", "transfer_every_vec", "transfer_lr_vec", "random_selection", "no_self_transfer"];

    /// <summary>The section of UpdateConfig (aihwkit UpdateParameters).</summary>
    public static ConfigSection Update => Section("UpdateParameters");

    /// <summary>The section of IOConfig (aihwkit IOParameters).</summary>
    public static ConfigSection IO => Section("IOParameters");

    /// <summary>The section of TileConfig (aihwkit SingleRPUConfig).</summary>
    public static ConfigSection Tile => Section("SingleRPUConfig");

    /// <summary>The section named <paramref name="name"/> (aihwkit class name), or throws.</summary>
    public static ConfigSection Section(string name) => Sections.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"Unknown config type '{name}'; known: {string.Join(", ", Sections.Select(s => s.Name))}.", nameof(name));

    /// <summary>The device section of a model's runtime type; a custom <see cref="IDeviceModel"/> has none.</summary>
    public static ConfigSection SectionOf(IDeviceModel device) => Devices.FirstOrDefault(s => s.RecordType == device.GetType())
        ?? throw new NotSupportedException($"The device model '{device.Name}' ({device.GetType().Name}) is not one of the built-in models, so it has no data form.");

    private static ConfigSection[] Build()
    {
        var pulsed = PulsedParameters();
        ConfigParameter writeNoise = F<PulsedDevice>("write_noise_std", nameof(PulsedDevice.WriteNoiseStd), d => d.WriteNoiseStd, (d, v) => d with { WriteNoiseStd = v }, min: 0);
        return
        [
            new("IdealDevice", typeof(IdealDevice), () => new IdealDevice(), []),
            new("ConstantStepDevice", typeof(ConstantStepDevice), () => new ConstantStepDevice(), pulsed),
            new("LinearStepDevice", typeof(LinearStepDevice), () => new LinearStepDevice(),
            [
                .. pulsed,
                F<LinearStepDevice>("gamma_up", nameof(LinearStepDevice.GammaUp), d => d.GammaUp, (d, v) => d with { GammaUp = v }),
                F<LinearStepDevice>("gamma_down", nameof(LinearStepDevice.GammaDown), d => d.GammaDown, (d, v) => d with { GammaDown = v }),
                F<LinearStepDevice>("gamma_up_dtod", nameof(LinearStepDevice.GammaUpDtod), d => d.GammaUpDtod, (d, v) => d with { GammaUpDtod = v }, min: 0),
                F<LinearStepDevice>("gamma_down_dtod", nameof(LinearStepDevice.GammaDownDtod), d => d.GammaDownDtod, (d, v) => d with { GammaDownDtod = v }, min: 0),
                B<LinearStepDevice>("allow_increasing", nameof(LinearStepDevice.AllowIncreasing), d => d.AllowIncreasing, (d, v) => d with { AllowIncreasing = v }),
                B<LinearStepDevice>("mean_bound_reference", nameof(LinearStepDevice.MeanBoundReference), d => d.MeanBoundReference, (d, v) => d with { MeanBoundReference = v }),
                B<LinearStepDevice>("mult_noise", nameof(LinearStepDevice.MultNoise), d => d.MultNoise, (d, v) => d with { MultNoise = v }),
                writeNoise,
                B<LinearStepDevice>("zero_shift", nameof(LinearStepDevice.ZeroShift), d => d.ZeroShift, (d, v) => d with { ZeroShift = v }),
            ]),
            // aihwkit's SoftBoundsDevice has no gamma fields: they are fixed by the model.
            new("SoftBoundsDevice", typeof(SoftBoundsDevice), () => new SoftBoundsDevice(),
            [
                .. pulsed,
                B<SoftBoundsDevice>("mult_noise", nameof(SoftBoundsDevice.MultNoise), d => d.MultNoise, (d, v) => d with { MultNoise = v }),
                writeNoise,
                B<SoftBoundsDevice>("zero_shift", nameof(SoftBoundsDevice.ZeroShift), d => d.ZeroShift, (d, v) => d with { ZeroShift = v }),
            ]),
            new("ExpStepDevice", typeof(ExpStepDevice), () => new ExpStepDevice(),
            [
                .. pulsed,
                F<ExpStepDevice>("A_up", nameof(ExpStepDevice.AUp), d => d.AUp, (d, v) => d with { AUp = v }),
                F<ExpStepDevice>("A_down", nameof(ExpStepDevice.ADown), d => d.ADown, (d, v) => d with { ADown = v }),
                F<ExpStepDevice>("gamma_up", nameof(ExpStepDevice.GammaUp), d => d.GammaUp, (d, v) => d with { GammaUp = v }),
                F<ExpStepDevice>("gamma_down", nameof(ExpStepDevice.GammaDown), d => d.GammaDown, (d, v) => d with { GammaDown = v }),
                F<ExpStepDevice>("a", nameof(ExpStepDevice.A), d => d.A, (d, v) => d with { A = v }),
                F<ExpStepDevice>("b", nameof(ExpStepDevice.B), d => d.B, (d, v) => d with { B = v }),
                F<ExpStepDevice>("dw_min_std_add", nameof(ExpStepDevice.DwMinStdAdd), d => d.DwMinStdAdd, (d, v) => d with { DwMinStdAdd = v }),
                F<ExpStepDevice>("dw_min_std_slope", nameof(ExpStepDevice.DwMinStdSlope), d => d.DwMinStdSlope, (d, v) => d with { DwMinStdSlope = v }),
                writeNoise,
            ]),
            new("PowStepDevice", typeof(PowStepDevice), () => new PowStepDevice(),
            [
                .. pulsed,
                F<PowStepDevice>("pow_gamma", nameof(PowStepDevice.PowGamma), d => d.PowGamma, (d, v) => d with { PowGamma = v }, min: 0),
                F<PowStepDevice>("pow_gamma_dtod", nameof(PowStepDevice.PowGammaDtod), d => d.PowGammaDtod, (d, v) => d with { PowGammaDtod = v }, min: 0),
                F<PowStepDevice>("pow_up_down", nameof(PowStepDevice.PowUpDown), d => d.PowUpDown, (d, v) => d with { PowUpDown = v }),
                F<PowStepDevice>("pow_up_down_dtod", nameof(PowStepDevice.PowUpDownDtod), d => d.PowUpDownDtod, (d, v) => d with { PowUpDownDtod = v }, min: 0),
                writeNoise,
            ]),
            new("SoftBoundsReferenceDevice", typeof(SoftBoundsReferenceDevice), () => new SoftBoundsReferenceDevice(),
            [
                .. pulsed,
                F<SoftBoundsReferenceDevice>("slope_up_dtod", nameof(SoftBoundsReferenceDevice.SlopeUpDtod), d => d.SlopeUpDtod, (d, v) => d with { SlopeUpDtod = v }, min: 0),
                F<SoftBoundsReferenceDevice>("slope_down_dtod", nameof(SoftBoundsReferenceDevice.SlopeDownDtod), d => d.SlopeDownDtod, (d, v) => d with { SlopeDownDtod = v }, min: 0),
                F<SoftBoundsReferenceDevice>("reference_mean", nameof(SoftBoundsReferenceDevice.ReferenceMean), d => d.ReferenceMean, (d, v) => d with { ReferenceMean = v }),
                F<SoftBoundsReferenceDevice>("reference_std", nameof(SoftBoundsReferenceDevice.ReferenceStd), d => d.ReferenceStd, (d, v) => d with { ReferenceStd = v }, min: 0),
                B<SoftBoundsReferenceDevice>("subtract_symmetry_point", nameof(SoftBoundsReferenceDevice.SubtractSymmetryPoint), d => d.SubtractSymmetryPoint, (d, v) => d with { SubtractSymmetryPoint = v }),
                B<SoftBoundsReferenceDevice>("mult_noise", nameof(SoftBoundsReferenceDevice.MultNoise), d => d.MultNoise, (d, v) => d with { MultNoise = v }),
                writeNoise,
            ]),
            new("OneSidedUnitCell", typeof(OneSidedUnitCell), () => new OneSidedUnitCell(),
            [
                Nested<OneSidedUnitCell>("unit_cell_devices", nameof(OneSidedUnitCell.Device), ParameterKind.Device, u => u.Device, (u, v) => u with { Device = (PulsedDevice)v }),
                I<OneSidedUnitCell>("refresh_every", nameof(OneSidedUnitCell.RefreshEvery), u => u.RefreshEvery, (u, v) => u with { RefreshEvery = v }, min: 0),
                B<OneSidedUnitCell>("units_in_mbatch", nameof(OneSidedUnitCell.UnitsInMbatch), u => u.UnitsInMbatch, (u, v) => u with { UnitsInMbatch = v }),
                F<OneSidedUnitCell>("refresh_upper_thres", nameof(OneSidedUnitCell.RefreshUpperThres), u => u.RefreshUpperThres, (u, v) => u with { RefreshUpperThres = v }, min: 0, max: 1),
                F<OneSidedUnitCell>("refresh_lower_thres", nameof(OneSidedUnitCell.RefreshLowerThres), u => u.RefreshLowerThres, (u, v) => u with { RefreshLowerThres = v }, min: 0, max: 1),
                Nested<OneSidedUnitCell>("refresh_forward", nameof(OneSidedUnitCell.RefreshForward), ParameterKind.IO, u => u.RefreshForward, (u, v) => u with { RefreshForward = (IOConfig)v }),
                Nested<OneSidedUnitCell>("refresh_update", nameof(OneSidedUnitCell.RefreshUpdate), ParameterKind.Update, u => u.RefreshUpdate, (u, v) => u with { RefreshUpdate = (UpdateConfig)v }),
            ]),
            // unit_cell_devices is [fast, slow] in JSON; here it names the fast device, and setting it sets both
            // (as a path sets both devices of a cell whose two devices are equal).
            new("TransferCompound", typeof(TransferCompound), () => new TransferCompound(),
            [
                Nested<TransferCompound>("unit_cell_devices", nameof(TransferCompound.FastDevice), ParameterKind.Device, u => u.FastDevice, (u, v) => u with { FastDevice = (PulsedDevice)v, SlowDevice = (PulsedDevice)v }),
                F<TransferCompound>("gamma", nameof(TransferCompound.Gamma), u => u.Gamma, (u, v) => u with { Gamma = v }),
                F<TransferCompound>("transfer_every", nameof(TransferCompound.TransferEvery), u => u.TransferEvery, (u, v) => u with { TransferEvery = v }, min: 0),
                B<TransferCompound>("units_in_mbatch", nameof(TransferCompound.UnitsInMbatch), u => u.UnitsInMbatch, (u, v) => u with { UnitsInMbatch = v }),
                I<TransferCompound>("n_reads_per_transfer", nameof(TransferCompound.NReadsPerTransfer), u => u.NReadsPerTransfer, (u, v) => u with { NReadsPerTransfer = v }, min: 1),
                B<TransferCompound>("transfer_columns", nameof(TransferCompound.TransferColumns), u => u.TransferColumns, (u, v) => u with { TransferColumns = v }),
                F<TransferCompound>("with_reset_prob", nameof(TransferCompound.WithResetProb), u => u.WithResetProb, (u, v) => u with { WithResetProb = v }, min: 0, max: 1),
                F<TransferCompound>("fast_lr", nameof(TransferCompound.FastLr), u => u.FastLr, (u, v) => u with { FastLr = v }, min: 0),
                F<TransferCompound>("transfer_lr", nameof(TransferCompound.TransferLr), u => u.TransferLr, (u, v) => u with { TransferLr = v }, min: 0),
                B<TransferCompound>("scale_transfer_lr", nameof(TransferCompound.ScaleTransferLr), u => u.ScaleTransferLr, (u, v) => u with { ScaleTransferLr = v }),
                B<TransferCompound>("scale_fast_lr", nameof(TransferCompound.ScaleFastLr), u => u.ScaleFastLr, (u, v) => u with { ScaleFastLr = v }),
                Nested<TransferCompound>("transfer_forward", nameof(TransferCompound.TransferForward), ParameterKind.IO, u => u.TransferForward, (u, v) => u with { TransferForward = (IOConfig)v }),
                Nested<TransferCompound>("transfer_update", nameof(TransferCompound.TransferUpdate), ParameterKind.Update, u => u.TransferUpdate, (u, v) => u with { TransferUpdate = (UpdateConfig)v }),
            ]),
            new("UpdateParameters", typeof(UpdateConfig), () => new UpdateConfig(),
            [
                E<UpdateConfig, PulseType>("pulse_type", nameof(UpdateConfig.PulseType), u => u.PulseType, (u, v) => u with { PulseType = v }),
                I<UpdateConfig>("desired_bl", nameof(UpdateConfig.DesiredBl), u => u.DesiredBl, (u, v) => u with { DesiredBl = v }, min: 1, max: UpdateConfig.MaxBl),
                B<UpdateConfig>("fixed_bl", nameof(UpdateConfig.FixedBl), u => u.FixedBl, (u, v) => u with { FixedBl = v }),
                B<UpdateConfig>("update_bl_management", nameof(UpdateConfig.UpdateBlManagement), u => u.UpdateBlManagement, (u, v) => u with { UpdateBlManagement = v }),
                B<UpdateConfig>("update_management", nameof(UpdateConfig.UpdateManagement), u => u.UpdateManagement, (u, v) => u with { UpdateManagement = v }),
                F<UpdateConfig>("um_grad_scale", nameof(UpdateConfig.UmGradScale), u => u.UmGradScale, (u, v) => u with { UmGradScale = v }, min: 0, minExclusive: true),
            ]),
            new("IOParameters", typeof(IOConfig), () => new IOConfig(),
            [
                B<IOConfig>("is_perfect", nameof(IOConfig.IsPerfect), c => c.IsPerfect, (c, v) => c with { IsPerfect = v }),
                F<IOConfig>("inp_res", nameof(IOConfig.InpRes), c => c.InpRes, (c, v) => c with { InpRes = v }),
                F<IOConfig>("inp_bound", nameof(IOConfig.InpBound), c => c.InpBound, (c, v) => c with { InpBound = v }, min: 0, minExclusive: true),
                F<IOConfig>("inp_noise", nameof(IOConfig.InpNoise), c => c.InpNoise, (c, v) => c with { InpNoise = v }, min: 0),
                F<IOConfig>("out_res", nameof(IOConfig.OutRes), c => c.OutRes, (c, v) => c with { OutRes = v }),
                F<IOConfig>("out_bound", nameof(IOConfig.OutBound), c => c.OutBound, (c, v) => c with { OutBound = v }, min: 0, minExclusive: true, infinite: true),
                F<IOConfig>("out_noise", nameof(IOConfig.OutNoise), c => c.OutNoise, (c, v) => c with { OutNoise = v }, min: 0),
                F<IOConfig>("w_noise", nameof(IOConfig.WNoise), c => c.WNoise, (c, v) => c with { WNoise = v }, min: 0),
                E<IOConfig, NoiseManagement>("noise_management", nameof(IOConfig.NoiseManagement), c => c.NoiseManagement, (c, v) => c with { NoiseManagement = v }),
                F<IOConfig>("nm_thres", nameof(IOConfig.NmThres), c => c.NmThres, (c, v) => c with { NmThres = v }, min: 0),
                E<IOConfig, BoundManagement>("bound_management", nameof(IOConfig.BoundManagement), c => c.BoundManagement, (c, v) => c with { BoundManagement = v }),
                F<IOConfig>("max_bm_factor", nameof(IOConfig.MaxBmFactor), c => c.MaxBmFactor, (c, v) => c with { MaxBmFactor = v }, min: 1),
                F<IOConfig>("max_bm_res", nameof(IOConfig.MaxBmRes), c => c.MaxBmRes, (c, v) => c with { MaxBmRes = v }, min: 0, minExclusive: true),
                B<IOConfig>("bm_test_negative_bound", nameof(IOConfig.BmTestNegativeBound), c => c.BmTestNegativeBound, (c, v) => c with { BmTestNegativeBound = v }),
                // SbeCore only (not in aihwkit): see IOConfig.BackwardBoundManagement.
                B<IOConfig>("backward_bound_management", nameof(IOConfig.BackwardBoundManagement), c => c.BackwardBoundManagement, (c, v) => c with { BackwardBoundManagement = v }),
            ]),
            new("SingleRPUConfig", typeof(TileConfig), () => new TileConfig(),
            [
                Nested<TileConfig>("device", nameof(TileConfig.Device), ParameterKind.Device, t => t.Device, (t, v) => t with { Device = (IDeviceModel)v }),
                Nested<TileConfig>("update", nameof(TileConfig.Update), ParameterKind.Update, t => t.Update, (t, v) => t with { Update = (UpdateConfig)v }),
                Nested<TileConfig>("forward", nameof(TileConfig.Forward), ParameterKind.IO, t => t.Forward, (t, v) => t with { Forward = (IOConfig)v }),
                Nested<TileConfig>("backward", nameof(TileConfig.Backward), ParameterKind.IO, t => t.Backward, (t, v) => t with { Backward = (IOConfig)v }),
            ]),
        ];
    }

    // aihwkit's PulsedDevice fields (write_noise_std is per model: ConstantStep has none, as in aihwkit).
    private static ConfigParameter[] PulsedParameters() =>
    [
        F<PulsedDevice>("dw_min", nameof(PulsedDevice.DwMin), d => d.DwMin, (d, v) => d with { DwMin = v }, min: 0, minExclusive: true),
        F<PulsedDevice>("dw_min_dtod", nameof(PulsedDevice.DwMinDtod), d => d.DwMinDtod, (d, v) => d with { DwMinDtod = v }, min: 0),
        B<PulsedDevice>("dw_min_dtod_log_normal", nameof(PulsedDevice.DwMinDtodLogNormal), d => d.DwMinDtodLogNormal, (d, v) => d with { DwMinDtodLogNormal = v }),
        F<PulsedDevice>("dw_min_std", nameof(PulsedDevice.DwMinStd), d => d.DwMinStd, (d, v) => d with { DwMinStd = v }, min: 0),
        F<PulsedDevice>("w_max", nameof(PulsedDevice.WMax), d => d.WMax, (d, v) => d with { WMax = v }, min: 0),
        F<PulsedDevice>("w_max_dtod", nameof(PulsedDevice.WMaxDtod), d => d.WMaxDtod, (d, v) => d with { WMaxDtod = v }, min: 0),
        F<PulsedDevice>("w_min", nameof(PulsedDevice.WMin), d => d.WMin, (d, v) => d with { WMin = v }, max: 0),
        F<PulsedDevice>("w_min_dtod", nameof(PulsedDevice.WMinDtod), d => d.WMinDtod, (d, v) => d with { WMinDtod = v }, min: 0),
        F<PulsedDevice>("up_down", nameof(PulsedDevice.UpDown), d => d.UpDown, (d, v) => d with { UpDown = v }),
        F<PulsedDevice>("up_down_dtod", nameof(PulsedDevice.UpDownDtod), d => d.UpDownDtod, (d, v) => d with { UpDownDtod = v }, min: 0),
        F<PulsedDevice>("reset", nameof(PulsedDevice.Reset), d => d.Reset, (d, v) => d with { Reset = v }),
        F<PulsedDevice>("reset_dtod", nameof(PulsedDevice.ResetDtod), d => d.ResetDtod, (d, v) => d with { ResetDtod = v }, min: 0),
        F<PulsedDevice>("reset_std", nameof(PulsedDevice.ResetStd), d => d.ResetStd, (d, v) => d with { ResetStd = v }, min: 0),
        F<PulsedDevice>("lifetime", nameof(PulsedDevice.Lifetime), d => d.Lifetime, (d, v) => d with { Lifetime = v }, min: 0),
        F<PulsedDevice>("lifetime_dtod", nameof(PulsedDevice.LifetimeDtod), d => d.LifetimeDtod, (d, v) => d with { LifetimeDtod = v }, min: 0),
        F<PulsedDevice>("diffusion", nameof(PulsedDevice.Diffusion), d => d.Diffusion, (d, v) => d with { Diffusion = v }, min: 0),
        F<PulsedDevice>("diffusion_dtod", nameof(PulsedDevice.DiffusionDtod), d => d.DiffusionDtod, (d, v) => d with { DiffusionDtod = v }, min: 0),
    ];

    private static ConfigParameter F<T>(string name, string property, Func<T, float> get, Func<T, float, T> with,
        double? min = null, double? max = null, bool minExclusive = false, bool infinite = false) where T : class
        => new(name, property, ParameterKind.Float, r => get((T)r), (r, v) => with((T)r, (float)v))
        { Min = min, Max = max, MinExclusive = minExclusive, AllowsInfinity = infinite };

    private static ConfigParameter I<T>(string name, string property, Func<T, int> get, Func<T, int, T> with, double? min = null, double? max = null) where T : class
        => new(name, property, ParameterKind.Int, r => get((T)r), (r, v) => with((T)r, (int)v)) { Min = min, Max = max };

    private static ConfigParameter B<T>(string name, string property, Func<T, bool> get, Func<T, bool, T> with) where T : class
        => new(name, property, ParameterKind.Bool, r => get((T)r), (r, v) => with((T)r, (bool)v));

    private static ConfigParameter E<T, TEnum>(string name, string property, Func<T, TEnum> get, Func<T, TEnum, T> with)
        where T : class where TEnum : struct, Enum
        => new(name, property, ParameterKind.Enum, r => get((T)r), (r, v) => with((T)r, Enum.Parse<TEnum>((string)v)))
        { EnumNames = Enum.GetNames<TEnum>() };

    private static ConfigParameter Nested<T>(string name, string property, ParameterKind kind, Func<T, object> get, Func<T, object, T> with) where T : class
        => new(name, property, kind, r => get((T)r), (r, v) => with((T)r, v));
}

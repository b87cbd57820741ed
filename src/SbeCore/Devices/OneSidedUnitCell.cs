using SbeCore.Crossbar;
using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// aihwkit: OneSidedUnitCell. Each weight is a pair of devices that only ever step up: w = g+ - g-. A write that
/// raises w pulses g+ up, one that lowers w pulses g- up. Every <see cref="RefreshEvery"/> optimizer steps
/// (<see cref="CrossbarTile.PostUpdateStep"/>) both devices are read out through <see cref="RefreshForward"/>;
/// a pair whose larger device is above <see cref="RefreshUpperThres"/> of w_max while the smaller is above
/// <see cref="RefreshLowerThres"/> is reset and the difference is written back to the larger side with
/// <see cref="RefreshUpdate"/> pulses. Both devices use the same model and parameters (as in aihwkit).
/// </summary>
public sealed record OneSidedUnitCell : IDeviceModel
{
    /// <inheritdoc/>
    public string Name => "OneSided";

    /// <summary>aihwkit: unit_cell_devices. The model of both devices (aihwkit uses the first device's parameters for both).</summary>
    public PulsedDevice Device { get; init; } = new ConstantStepDevice();

    /// <summary>aihwkit: refresh_every. Refresh check every this many optimizer steps (with
    /// <see cref="UnitsInMbatch"/>) or rank-1 writes (without); 0 never refreshes.</summary>
    public int RefreshEvery { get; init; }

    /// <summary>aihwkit: units_in_mbatch. True: <see cref="RefreshEvery"/> counts optimizer steps (mini-batches);
    /// false: rank-1 writes (checked at each step).</summary>
    public bool UnitsInMbatch { get; init; } = true;

    /// <summary>aihwkit: refresh_upper_thres. Fraction of w_max the larger device must exceed.</summary>
    public float RefreshUpperThres { get; init; } = 0.75f;

    /// <summary>aihwkit: refresh_lower_thres. Fraction of w_max the smaller device must exceed.</summary>
    public float RefreshLowerThres { get; init; } = 0.25f;

    /// <summary>aihwkit: refresh_forward. I/O model of the refresh read-out (aihwkit's default IOParameters).</summary>
    public IOConfig RefreshForward { get; init; } = new();

    /// <summary>aihwkit: refresh_update. Pulse settings of the refresh write.</summary>
    public UpdateConfig RefreshUpdate { get; init; } = new();

    /// <summary>The devices' dw_min.</summary>
    public float DwMin => Device.DwMin;

    /// <summary>aihwkit: the mean of the two devices' granularities (equal here).</summary>
    public float WeightGranularity => Device.WeightGranularity;

    /// <summary>The pair's state lives in the two device arrays, not in per-device parameters.</summary>
    public int ParametersPerDevice => 0;

    /// <inheritdoc/>
    public void Validate()
    {
        if (Device is null) throw new ArgumentException("Device (unit_cell_devices) must not be null.", nameof(Device));
        Device.Validate();
        if (RefreshEvery < 0) throw new ArgumentException($"RefreshEvery (refresh_every) must be >= 0, got {RefreshEvery}.", nameof(RefreshEvery));
        if (!(RefreshUpperThres >= 0 && RefreshUpperThres <= 1)) throw new ArgumentException($"RefreshUpperThres (refresh_upper_thres) must be in [0, 1], got {RefreshUpperThres}.", nameof(RefreshUpperThres));
        if (!(RefreshLowerThres >= 0 && RefreshLowerThres <= RefreshUpperThres)) throw new ArgumentException($"RefreshLowerThres (refresh_lower_thres) must be in [0, refresh_upper_thres], got {RefreshLowerThres}.", nameof(RefreshLowerThres));
        if (RefreshForward is null) throw new ArgumentException("RefreshForward (refresh_forward) must not be null.", nameof(RefreshForward));
        if (RefreshUpdate is null) throw new ArgumentException("RefreshUpdate (refresh_update) must not be null.", nameof(RefreshUpdate));
        RefreshForward.Validate();
        RefreshUpdate.Validate();
        if (RefreshUpdate.PulseType == PulseType.None) throw new ArgumentException("RefreshUpdate (refresh_update) must be a pulsed update.", nameof(RefreshUpdate));
    }

    /// <summary>Not used: the tile samples the two device arrays itself.</summary>
    public void SampleDevice(ref Xoshiro256 rng, Span<float> parameters, out float wMin, out float wMax)
        => throw new NotSupportedException("A unit cell's devices are sampled by its device arrays.");

    /// <summary>Not used: the tile routes pulses to the pair's devices.</summary>
    public float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random)
        => throw new NotSupportedException("A unit cell routes pulses to its devices.");
}

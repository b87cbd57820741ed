using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// aihwkit: PulsedDevice. Parameters every pulsed model shares: step size, bounds, asymmetry and their
/// device-to-device (_dtod) and cycle-to-cycle (_std) spreads, relative to the mean. Each device's
/// hidden parameters start with [scale_up, scale_down]; models append their own.
/// </summary>
public abstract record PulsedDevice : IDeviceModel
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>aihwkit: dw_min. Mean weight change of one pulse.</summary>
    public float DwMin { get; init; } = 0.001f;

    /// <summary>aihwkit: dw_min_dtod. Device-to-device spread of the step gain (relative).</summary>
    public float DwMinDtod { get; init; } = 0.3f;

    /// <summary>aihwkit: dw_min_std. Cycle-to-cycle spread of each step (relative, Gaussian).</summary>
    public float DwMinStd { get; init; } = 0.3f;

    /// <summary>aihwkit: up_down. Mean up/down asymmetry: &gt; 0 makes down steps smaller, &lt; 0 up steps.</summary>
    public float UpDown { get; init; }

    /// <summary>aihwkit: up_down_dtod. Device-to-device spread of the asymmetry.</summary>
    public float UpDownDtod { get; init; } = 0.01f;

    /// <summary>aihwkit: w_max. Mean upper weight bound.</summary>
    public float WMax { get; init; } = 0.6f;

    /// <summary>aihwkit: w_min. Mean lower weight bound.</summary>
    public float WMin { get; init; } = -0.6f;

    /// <summary>aihwkit: w_max_dtod. Device-to-device spread of the upper bound (relative).</summary>
    public float WMaxDtod { get; init; } = 0.3f;

    /// <summary>aihwkit: w_min_dtod. Device-to-device spread of the lower bound (relative).</summary>
    public float WMinDtod { get; init; } = 0.3f;

    /// <inheritdoc/>
    public virtual int ParametersPerDevice => 2;

    /// <inheritdoc/>
    public virtual void Validate()
    {
        if (!(DwMin > 0) || !float.IsFinite(DwMin)) throw new ArgumentException($"DwMin (dw_min) must be positive and finite, got {DwMin}.", nameof(DwMin));
        NonNegative(DwMinDtod, nameof(DwMinDtod), "dw_min_dtod");
        NonNegative(DwMinStd, nameof(DwMinStd), "dw_min_std");
        NonNegative(UpDownDtod, nameof(UpDownDtod), "up_down_dtod");
        NonNegative(WMaxDtod, nameof(WMaxDtod), "w_max_dtod");
        NonNegative(WMinDtod, nameof(WMinDtod), "w_min_dtod");
        if (!float.IsFinite(UpDown)) throw new ArgumentException($"UpDown (up_down) must be finite, got {UpDown}.", nameof(UpDown));
        if (!float.IsFinite(WMax) || WMax < 0) throw new ArgumentException($"WMax (w_max) must be finite and >= 0 so the bounds bracket 0, got {WMax}.", nameof(WMax));
        if (!float.IsFinite(WMin) || WMin > 0) throw new ArgumentException($"WMin (w_min) must be finite and <= 0 so the bounds bracket 0, got {WMin}.", nameof(WMin));
        if (!(WMin < WMax)) throw new ArgumentException($"WMin (w_min = {WMin}) must be below WMax (w_max = {WMax}).", nameof(WMin));
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt;= 0.</summary>
    protected static void NonNegative(float value, string name, string aihwkitName)
    {
        if (!(value >= 0) || !float.IsFinite(value)) throw new ArgumentException($"{name} ({aihwkitName}) must be finite and >= 0, got {value}.", name);
    }

    /// <summary>
    /// Draws, in this order: gain = 1 + dw_min_dtod xi, asymmetry r = up_down_dtod xi, w_max and w_min spreads.
    /// scale_up = |up_bias + gain + r| dw_min, scale_down = |down_bias + gain - r| dw_min (aihwkit's
    /// enforce-consistency), bounds w_max (1 + w_max_dtod xi) and w_min (1 + w_min_dtod xi) forced to bracket 0.
    /// </summary>
    public virtual void SampleDevice(ref Xoshiro256 rng, Span<float> parameters, out float wMin, out float wMax)
    {
        float upBias = UpDown > 0 ? 0f : UpDown;
        float downBias = UpDown > 0 ? -UpDown : 0f;
        float gain = 1f + DwMinDtod * (float)rng.NextGaussian();
        float r = UpDownDtod * (float)rng.NextGaussian();
        parameters[0] = MathF.Abs((upBias + gain + r) * DwMin);
        parameters[1] = MathF.Abs((downBias + gain - r) * DwMin);
        wMax = MathF.Abs(WMax * (1f + WMaxDtod * (float)rng.NextGaussian()));
        wMin = -MathF.Abs(WMin * (1f + WMinDtod * (float)rng.NextGaussian()));
    }

    /// <inheritdoc/>
    public abstract float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random);
}

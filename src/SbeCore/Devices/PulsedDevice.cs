using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// aihwkit: PulsedDevice. Parameters every pulsed model shares: step size, bounds, asymmetry and their
/// device-to-device (_dtod) and cycle-to-cycle (_std) spreads, plus reset, decay (lifetime), diffusion and
/// write noise. Each device's hidden parameters start with [scale_up, scale_down]; models append their own.
/// aihwkit's enforce_consistency is always on here (its default): step gains are taken by magnitude and
/// bounds are forced to bracket 0.
/// </summary>
public abstract record PulsedDevice : IDeviceModel
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>aihwkit: dw_min. Mean weight change of one pulse.</summary>
    public float DwMin { get; init; } = 0.001f;

    /// <summary>aihwkit: dw_min_dtod. Device-to-device spread of the step gain (relative).</summary>
    public float DwMinDtod { get; init; } = 0.3f;

    /// <summary>aihwkit: dw_min_dtod_log_normal. True: the step gain is exp(dw_min_dtod xi) instead of 1 + dw_min_dtod xi.</summary>
    public bool DwMinDtodLogNormal { get; init; }

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

    /// <summary>aihwkit: reset. Mean value a device is reset to (by a unit cell's refresh).</summary>
    public float Reset { get; init; }

    /// <summary>aihwkit: reset_dtod. Device-to-device spread of the reset value (absolute).</summary>
    public float ResetDtod { get; init; }

    /// <summary>aihwkit: reset_std. Cycle-to-cycle spread of each reset (absolute).</summary>
    public float ResetStd { get; init; } = 0.01f;

    /// <summary>aihwkit: lifetime. Each <see cref="Crossbar.CrossbarTile.PostUpdateStep"/> moves a weight towards its
    /// reset value by the factor (1 - 1/lifetime); 0 (default) means no decay; a device whose sampled lifetime is
    /// &lt;= 1 returns to its reset value at every step (as in aihwkit).</summary>
    public float Lifetime { get; init; }

    /// <summary>aihwkit: lifetime_dtod. Device-to-device spread of the lifetime (relative).</summary>
    public float LifetimeDtod { get; init; }

    /// <summary>aihwkit: diffusion. Std of the Gaussian random walk added per <see cref="Crossbar.CrossbarTile.PostUpdateStep"/>.</summary>
    public float Diffusion { get; init; }

    /// <summary>aihwkit: diffusion_dtod. Device-to-device spread of the diffusion rate (relative).</summary>
    public float DiffusionDtod { get; init; }

    /// <summary>aihwkit: write_noise_std, in units of dw_min. The device keeps a hidden (persistent) weight that
    /// the pulses move; what reads see is that weight plus fresh N(0, (write_noise_std dw_min)^2) noise, drawn
    /// each time the device is written. Not supported by every model (aihwkit's ConstantStep has none).</summary>
    public float WriteNoiseStd { get; init; }

    /// <summary>Whether the model implements <see cref="WriteNoiseStd"/> (as in aihwkit).</summary>
    public virtual bool SupportsWriteNoise => true;

    /// <summary>True when the device keeps a hidden weight apart from the one reads see (write noise on).</summary>
    public bool UsesPersistentWeight => WriteNoiseStd > 0;

    /// <inheritdoc/>
    public virtual float WeightGranularity => DwMin;

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
        Finite(UpDown, nameof(UpDown), "up_down");
        if (!float.IsFinite(WMax) || WMax < 0) throw new ArgumentException($"WMax (w_max) must be finite and >= 0 so the bounds bracket 0, got {WMax}.", nameof(WMax));
        if (!float.IsFinite(WMin) || WMin > 0) throw new ArgumentException($"WMin (w_min) must be finite and <= 0 so the bounds bracket 0, got {WMin}.", nameof(WMin));
        if (!(WMin < WMax)) throw new ArgumentException($"WMin (w_min = {WMin}) must be below WMax (w_max = {WMax}).", nameof(WMin));
        Finite(Reset, nameof(Reset), "reset");
        NonNegative(ResetDtod, nameof(ResetDtod), "reset_dtod");
        NonNegative(ResetStd, nameof(ResetStd), "reset_std");
        NonNegative(Lifetime, nameof(Lifetime), "lifetime");
        NonNegative(LifetimeDtod, nameof(LifetimeDtod), "lifetime_dtod");
        NonNegative(Diffusion, nameof(Diffusion), "diffusion");
        NonNegative(DiffusionDtod, nameof(DiffusionDtod), "diffusion_dtod");
        NonNegative(WriteNoiseStd, nameof(WriteNoiseStd), "write_noise_std");
        if ((double)WriteNoiseStd * DwMin > 1e30)
            throw new ArgumentException($"WriteNoiseStd (write_noise_std = {WriteNoiseStd}) times dw_min gives write noise beyond float range.", nameof(WriteNoiseStd));
        if (WriteNoiseStd > 0 && !SupportsWriteNoise)
            throw new ArgumentException($"WriteNoiseStd (write_noise_std) is not supported by {Name} (as in aihwkit); set it to 0.", nameof(WriteNoiseStd));
        // Steps of a few thousand dw_min still leave float headroom; beyond that a device cannot hold finite weights.
        if ((double)DwMin * (1 + 8.0 * DwMinDtod) * (1 + 8.0 * DwMinStd) > 1e30)
            throw new ArgumentException($"DwMin (dw_min = {DwMin}) with its spreads would give steps beyond float range.", nameof(DwMin));
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt;= 0.</summary>
    protected static void NonNegative(float value, string name, string aihwkitName)
    {
        if (!(value >= 0) || !float.IsFinite(value)) throw new ArgumentException($"{name} ({aihwkitName}) must be finite and >= 0, got {value}.", name);
    }

    /// <summary>Throws unless <paramref name="value"/> is finite.</summary>
    protected static void Finite(float value, string name, string aihwkitName)
    {
        if (!float.IsFinite(value)) throw new ArgumentException($"{name} ({aihwkitName}) must be finite, got {value}.", name);
    }

    /// <summary>
    /// Draws, in this order: gain = 1 + dw_min_dtod xi (or exp(dw_min_dtod xi)), asymmetry r = up_down_dtod xi, w_max and w_min spreads.
    /// scale_up = |up_bias + gain + r| dw_min, scale_down = |down_bias + gain - r| dw_min (aihwkit's
    /// enforce-consistency), bounds w_max (1 + w_max_dtod xi) and w_min (1 + w_min_dtod xi), swapped if they
    /// cross, then forced to bracket 0.
    /// </summary>
    public virtual void SampleDevice(ref Xoshiro256 rng, Span<float> parameters, out float wMin, out float wMax)
    {
        float upBias = UpDown > 0 ? 0f : UpDown;
        float downBias = UpDown > 0 ? -UpDown : 0f;
        float gain = DwMinDtodLogNormal ? MathF.Exp(DwMinDtod * (float)rng.NextGaussian()) : 1f + DwMinDtod * (float)rng.NextGaussian();
        float r = UpDownDtod * (float)rng.NextGaussian();
        parameters[0] = MathF.Abs((upBias + gain + r) * DwMin);
        parameters[1] = MathF.Abs((downBias + gain - r) * DwMin);
        float hi = WMax * (1f + WMaxDtod * (float)rng.NextGaussian());
        float lo = WMin * (1f + WMinDtod * (float)rng.NextGaussian());
        if (lo > hi) (lo, hi) = (hi, lo);
        wMax = MathF.Abs(hi);
        wMin = -MathF.Abs(lo);
    }

    /// <summary>Whether <see cref="ResetOffset"/> can be non-zero.</summary>
    internal virtual bool ShiftsReset => false;

    /// <summary>A per-device shift of the reset value derived from the device's hidden parameters.</summary>
    internal virtual float ResetOffset(ReadOnlySpan<float> parameters) => 0f;

    /// <summary>Draws one device's reset value, decay scale and diffusion rate (aihwkit's populate order).</summary>
    internal void SampleRetention(ref Xoshiro256 rng, out float resetBias, out float decayScale, out float diffusionRate)
    {
        diffusionRate = MathF.Abs(Diffusion * (1f + DiffusionDtod * (float)rng.NextGaussian()));
        resetBias = Reset + ResetDtod * (float)rng.NextGaussian();
        if (Lifetime > 0)
        {
            float t = Lifetime * (1f + LifetimeDtod * (float)rng.NextGaussian());
            decayScale = t > 1f ? 1f - 1f / t : 0f;
        }
        else decayScale = 1f;
    }

    /// <inheritdoc/>
    public abstract float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random);
}

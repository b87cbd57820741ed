using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// aihwkit: PowStepDevice. The step is proportional to a power of the relative distance to the bound it
/// moves towards: up scale_up ((w_max - w) / (w_max - w_min))^gamma_up, down scale_down ((w - w_min) / (w_max - w_min))^gamma_down,
/// times (1 + dw_min_std xi). gamma_ij = pow_gamma (1 + pow_gamma_dtod xi); gamma_up = gamma_ij (1 + pow_up_down),
/// gamma_down = gamma_ij (1 - pow_up_down). Hidden parameters per device: [scale_up, scale_down, gamma_up, gamma_down].
/// </summary>
public sealed record PowStepDevice : PulsedDevice
{
    /// <inheritdoc/>
    public override string Name => "PowStep";

    /// <summary>aihwkit: pow_gamma. Exponent of the relative distance to the bound.</summary>
    public float PowGamma { get; init; } = 1f;

    /// <summary>aihwkit: pow_gamma_dtod. Device-to-device spread of the exponent (relative).</summary>
    public float PowGammaDtod { get; init; } = 0.1f;

    /// <summary>aihwkit: pow_up_down. Up/down asymmetry of the exponent.</summary>
    public float PowUpDown { get; init; }

    /// <inheritdoc/>
    public override int ParametersPerDevice => 4;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (!(PowGamma >= 0) || !float.IsFinite(PowGamma)) throw new ArgumentException($"PowGamma (pow_gamma) must be finite and >= 0, got {PowGamma}.", nameof(PowGamma));
        NonNegative(PowGammaDtod, nameof(PowGammaDtod), "pow_gamma_dtod");
        if (!float.IsFinite(PowUpDown)) throw new ArgumentException($"PowUpDown (pow_up_down) must be finite, got {PowUpDown}.", nameof(PowUpDown));
    }

    /// <inheritdoc/>
    public override void SampleDevice(ref Xoshiro256 rng, Span<float> parameters, out float wMin, out float wMax)
    {
        base.SampleDevice(ref rng, parameters, out wMin, out wMax);
        float gamma = MathF.Abs(PowGamma * (1f + PowGammaDtod * (float)rng.NextGaussian()));
        parameters[2] = MathF.Max(0f, gamma * (1f + PowUpDown));
        parameters[3] = MathF.Max(0f, gamma * (1f - PowUpDown));
    }

    /// <inheritdoc/>
    public override float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random)
    {
        float range = wMax - wMin;
        float distance = direction > 0 ? wMax - w : w - wMin;
        float relative = range > 0 ? Math.Clamp(distance / range, 0f, 1f) : 0f;
        float step = (direction > 0 ? parameters[0] : parameters[1]) * MathF.Pow(relative, direction > 0 ? parameters[2] : parameters[3]);
        if (DwMinStd > 0) step *= 1f + DwMinStd * random.NextGaussian();
        return w + direction * step;
    }
}

using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// aihwkit: PowStepDevice. The step is proportional to a power of the relative distance to the bound it
/// moves towards: up scale_up ((w_max - w) / (w_max - w_min))^gamma_up, down scale_down ((w - w_min) / (w_max - w_min))^gamma_down,
/// times (1 + dw_min_std xi). Per device, as aihwkit's simulator computes it: gain = 1 + pow_gamma_dtod xi,
/// r = pow_up_down_dtod xi, gamma_up = |up_bias + gain + r| pow_gamma, gamma_down = |down_bias + gain - r| pow_gamma,
/// where pow_up_down = beta &gt; 0 gives down_bias = -beta (only the down exponent shrinks) and beta &lt; 0 gives
/// up_bias = beta (only the up exponent shrinks). Hidden parameters per device: [scale_up, scale_down, gamma_up, gamma_down].
/// </summary>
public sealed record PowStepDevice : PulsedDevice
{
    /// <inheritdoc/>
    public override string Name => "PowStep";

    /// <summary>aihwkit: pow_gamma. Exponent of the relative distance to the bound.</summary>
    public float PowGamma { get; init; } = 1f;

    /// <summary>aihwkit: pow_gamma_dtod. Device-to-device spread of the exponent (relative).</summary>
    public float PowGammaDtod { get; init; } = 0.1f;

    /// <summary>aihwkit: pow_up_down. Up/down asymmetry of the exponent (applied to one side, see the class summary).</summary>
    public float PowUpDown { get; init; }

    /// <summary>aihwkit: pow_up_down_dtod. Device-to-device spread of the exponent asymmetry.</summary>
    public float PowUpDownDtod { get; init; }

    /// <summary>aihwkit: dw_min 0.5^pow_gamma, the mean step at the middle of the range.</summary>
    public override float WeightGranularity => DwMin * MathF.Pow(0.5f, PowGamma);

    /// <inheritdoc/>
    public override int ParametersPerDevice => 4;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (!(PowGamma >= 0) || !float.IsFinite(PowGamma)) throw new ArgumentException($"PowGamma (pow_gamma) must be finite and >= 0, got {PowGamma}.", nameof(PowGamma));
        NonNegative(PowGammaDtod, nameof(PowGammaDtod), "pow_gamma_dtod");
        Finite(PowUpDown, nameof(PowUpDown), "pow_up_down");
        NonNegative(PowUpDownDtod, nameof(PowUpDownDtod), "pow_up_down_dtod");
        if (!(WeightGranularity > 0)) throw new ArgumentException($"PowGamma (pow_gamma = {PowGamma}) makes the weight granularity dw_min 0.5^pow_gamma underflow to 0.", nameof(PowGamma));
    }

    /// <inheritdoc/>
    public override void SampleDevice(ref Xoshiro256 rng, Span<float> parameters, out float wMin, out float wMax)
    {
        base.SampleDevice(ref rng, parameters, out wMin, out wMax);
        float upBias = PowUpDown > 0 ? 0f : PowUpDown;
        float downBias = PowUpDown > 0 ? -PowUpDown : 0f;
        float gain = 1f + PowGammaDtod * (float)rng.NextGaussian();
        float r = PowUpDownDtod * (float)rng.NextGaussian();
        parameters[2] = MathF.Abs((upBias + gain + r) * PowGamma);
        parameters[3] = MathF.Abs((downBias + gain - r) * PowGamma);
    }

    /// <inheritdoc/>
    public override float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random)
    {
        float range = wMax - wMin;
        if (!(range > 0)) return w;
        float distance = direction > 0 ? wMax - w : w - wMin;
        float relative = Math.Clamp(distance / range, 0f, 1f);
        float step = (direction > 0 ? parameters[0] : parameters[1]) * MathF.Pow(relative, direction > 0 ? parameters[2] : parameters[3]);
        if (DwMinStd > 0) step *= 1f + DwMinStd * random.NextGaussian();
        return w + direction * step;
    }
}

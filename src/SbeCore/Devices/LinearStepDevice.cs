using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// aihwkit: LinearStepDevice. The step depends linearly on the weight: up dw = scale_up + slope_up w with
/// slope_up = -gamma_up_ij scale_up / w_max (down alike with w_min), so gamma = 1 gives soft bounds.
/// Hidden parameters per device: [scale_up, scale_down, slope_up, slope_down].
/// </summary>
public record LinearStepDevice : PulsedDevice
{
    /// <inheritdoc/>
    public override string Name => "LinearStep";

    /// <summary>aihwkit: gamma_up. Relative step decrease towards w_max.</summary>
    public float GammaUp { get; init; }

    /// <summary>aihwkit: gamma_down. Relative step decrease towards w_min.</summary>
    public float GammaDown { get; init; }

    /// <summary>aihwkit: gamma_up_dtod. Device-to-device spread of gamma_up (relative).</summary>
    public float GammaUpDtod { get; init; } = 0.05f;

    /// <summary>aihwkit: gamma_down_dtod. Device-to-device spread of gamma_down (relative).</summary>
    public float GammaDownDtod { get; init; } = 0.05f;

    /// <summary>aihwkit: mult_noise. True: the step is multiplied by (1 + dw_min_std xi); false: scale dw_min_std xi is added.</summary>
    public bool MultNoise { get; init; } = true;

    /// <summary>aihwkit: mean_bound_reference. True: slopes use the mean bounds w_max/w_min, not each device's own.</summary>
    public bool MeanBoundReference { get; init; } = true;

    /// <inheritdoc/>
    public override int ParametersPerDevice => 4;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (!float.IsFinite(GammaUp)) throw new ArgumentException($"GammaUp (gamma_up) must be finite, got {GammaUp}.", nameof(GammaUp));
        if (!float.IsFinite(GammaDown)) throw new ArgumentException($"GammaDown (gamma_down) must be finite, got {GammaDown}.", nameof(GammaDown));
        NonNegative(GammaUpDtod, nameof(GammaUpDtod), "gamma_up_dtod");
        NonNegative(GammaDownDtod, nameof(GammaDownDtod), "gamma_down_dtod");
    }

    /// <inheritdoc/>
    public override void SampleDevice(ref Xoshiro256 rng, Span<float> parameters, out float wMin, out float wMax)
    {
        base.SampleDevice(ref rng, parameters, out wMin, out wMax);
        float gammaUp = GammaUp * (1f + GammaUpDtod * (float)rng.NextGaussian());
        float gammaDown = GammaDown * (1f + GammaDownDtod * (float)rng.NextGaussian());
        float refMax = MeanBoundReference ? WMax : wMax;
        float refMin = MeanBoundReference ? WMin : wMin;
        parameters[2] = refMax > 0 ? -gammaUp * parameters[0] / refMax : 0f;
        parameters[3] = refMin < 0 ? -gammaDown * parameters[1] / refMin : 0f;
    }

    /// <inheritdoc/>
    public override float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random)
    {
        float scale = direction > 0 ? parameters[0] : parameters[1];
        float dw = direction > 0 ? scale + parameters[2] * w : scale + parameters[3] * w;
        if (DwMinStd > 0)
        {
            float xi = random.NextGaussian();
            dw = MultNoise ? dw * (1f + DwMinStd * xi) : dw + DwMinStd * scale * xi;
        }
        return w + direction * dw;
    }
}

/// <summary>
/// aihwkit: SoftBoundsDevice. A <see cref="LinearStepDevice"/> with gamma_up = gamma_down = 1 (no spread), so
/// the step shrinks linearly to 0 at each bound.
/// </summary>
public sealed record SoftBoundsDevice : LinearStepDevice
{
    /// <summary>Soft bounds: gamma 1 both ways, no gamma spread, multiplicative noise.</summary>
    public SoftBoundsDevice()
    {
        GammaUp = 1f; GammaDown = 1f; GammaUpDtod = 0f; GammaDownDtod = 0f;
    }

    /// <inheritdoc/>
    public override string Name => "SoftBounds";
}

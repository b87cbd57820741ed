using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// aihwkit: LinearStepDevice. The step depends linearly on the weight: up dw = scale_up + slope_up w with
/// slope_up = -gamma_up_ij scale_up / w_max (down alike with w_min), so gamma = 1 gives soft bounds.
/// Hidden parameters per device: [scale_up, scale_down, slope_up, slope_down], and with <see cref="ZeroShift"/> the
/// reference as a fifth.
/// </summary>
public record LinearStepDevice : PulsedDevice
{
    /// <inheritdoc/>
    public override string Name => "LinearStep";

    /// <summary>aihwkit: gamma_up. Relative step decrease towards w_max.</summary>
    public float GammaUp { get; init; }

    /// <summary>aihwkit: gamma_down. Relative step decrease towards w_min.</summary>
    public float GammaDown { get; init; }

    /// <summary>aihwkit: gamma_up_dtod. Device-to-device spread of gamma_up (absolute: gamma_up + gamma_up_dtod xi).</summary>
    public float GammaUpDtod { get; init; } = 0.05f;

    /// <summary>aihwkit: gamma_down_dtod. Device-to-device spread of gamma_down (absolute).</summary>
    public float GammaDownDtod { get; init; } = 0.05f;

    /// <summary>aihwkit: allow_increasing. False: each device's sampled gamma is taken by magnitude, so steps never
    /// grow towards a bound.</summary>
    public bool AllowIncreasing { get; init; }

    /// <summary>aihwkit: mult_noise. True: the step is multiplied by (1 + dw_min_std xi); false: scale dw_min_std xi is added.</summary>
    public bool MultNoise { get; init; } = true;

    /// <summary>aihwkit: mean_bound_reference. True: slopes use the mean bounds w_max/w_min, not each device's own.</summary>
    public bool MeanBoundReference { get; init; } = true;

    /// <summary>Not in aihwkit's LinearStepDevice (its SoftBoundsReferenceDevice's subtract_symmetry_point does the same
    /// for that model): zero-shifting (Kim et al. 2019, "Zero-shifting technique for deep neural network training on
    /// resistive cross-point arrays"). Each device is read against a reference programmed to its symmetry point, the
    /// state where an up and a down step are equal, (scale_up - scale_down) / (slope_down - slope_up), so that state
    /// reads as weight 0; pulses act on the state, the bounds move with it. Calibration is exact (the noise-free limit
    /// of the alternating-pulse measurement). A device without a symmetry point inside its bounds keeps reference 0.</summary>
    public bool ZeroShift { get; init; }

    /// <inheritdoc/>
    public override int ParametersPerDevice => ZeroShift ? 5 : 4;

    /// <summary>The state where an up and a down step are equal, or 0 when there is none inside [lo, hi].</summary>
    internal static float SymmetryPoint(float scaleUp, float scaleDown, float slopeUp, float slopeDown, float lo, float hi)
    {
        float sp = (scaleUp - scaleDown) / (slopeDown - slopeUp);
        return float.IsFinite(sp) && sp > lo && sp < hi ? sp : 0f;
    }

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
        float gammaUp = GammaUp + GammaUpDtod * (float)rng.NextGaussian();
        float gammaDown = GammaDown + GammaDownDtod * (float)rng.NextGaussian();
        if (!AllowIncreasing) { gammaUp = MathF.Abs(gammaUp); gammaDown = MathF.Abs(gammaDown); }
        float refMax = MeanBoundReference ? WMax : wMax;
        float refMin = MeanBoundReference ? WMin : wMin;
        parameters[2] = refMax != 0 ? -gammaUp * parameters[0] / refMax : 0f;
        parameters[3] = refMin != 0 ? -gammaDown * parameters[1] / refMin : 0f;
        if (ZeroShift)
        {
            float reference = SymmetryPoint(parameters[0], parameters[1], parameters[2], parameters[3], wMin, wMax);
            parameters[4] = reference;
            wMin -= reference;
            wMax -= reference;
        }
    }

    /// <inheritdoc/>
    public override float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random)
    {
        float scale = direction > 0 ? parameters[0] : parameters[1];
        float slope = direction > 0 ? parameters[2] : parameters[3];
        if (ZeroShift) return Step(w + parameters[4], direction, scale, slope, random) - parameters[4];
        return Step(w, direction, scale, slope, random);
    }

    private float Step(float w, int direction, float scale, float slope, RandomStream random)
    {
        float dw;
        if (DwMinStd == 0) dw = slope * w + scale;
        else if (MultNoise) dw = (slope * w + scale) * (1f + DwMinStd * random.NextGaussian());
        else dw = slope * w + scale * (1f + DwMinStd * random.NextGaussian());
        return w + direction * dw;
    }
}

/// <summary>
/// aihwkit: SoftBoundsDevice. A <see cref="LinearStepDevice"/> with gamma_up = gamma_down = 1 (no spread) and
/// slopes referenced to each device's own bounds, so every device's step shrinks linearly to 0 at its own bound.
/// </summary>
public sealed record SoftBoundsDevice : LinearStepDevice
{
    /// <summary>Soft bounds: gamma 1 both ways, no gamma spread, each device's own bounds, multiplicative noise.</summary>
    public SoftBoundsDevice()
    {
        GammaUp = 1f; GammaDown = 1f; GammaUpDtod = 0f; GammaDownDtod = 0f; MeanBoundReference = false;
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (GammaUp != 1f || GammaDown != 1f || GammaUpDtod != 0f || GammaDownDtod != 0f || MeanBoundReference || AllowIncreasing)
            throw new ArgumentException("A SoftBoundsDevice keeps gamma_up = gamma_down = 1, no gamma spread, its own bounds and allow_increasing off (as in aihwkit); use LinearStepDevice for other values.", nameof(GammaUp));
    }

    /// <inheritdoc/>
    public override string Name => "SoftBounds";
}

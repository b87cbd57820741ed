using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// aihwkit: SoftBoundsReferenceDevice. A soft-bounds device read against a per-device reference conductance:
/// the device state is w + ref, its steps shrink linearly to 0 at its own bounds, and the weight seen is the state
/// minus ref. Per device: the soft-bound slopes get an extra relative spread (slope_up_dtod, slope_down_dtod), which
/// moves the bounds, and ref = reference_mean + reference_std xi. Hidden parameters per device:
/// [scale_up, scale_down, ref, state lower bound, state upper bound]; the tile's bounds are the state bounds minus ref.
/// </summary>
public sealed record SoftBoundsReferenceDevice : PulsedDevice
{
    /// <inheritdoc/>
    public override string Name => "SoftBoundsReference";

    /// <summary>aihwkit: slope_up_dtod. Relative device-to-device spread of the up slope scale_up / w_max.</summary>
    public float SlopeUpDtod { get; init; }

    /// <summary>aihwkit: slope_down_dtod. Relative device-to-device spread of the down slope.</summary>
    public float SlopeDownDtod { get; init; }

    /// <summary>aihwkit: reference_mean. Mean reference conductance subtracted from every device.</summary>
    public float ReferenceMean { get; init; }

    /// <summary>aihwkit: reference_std. Device-to-device spread of the reference (absolute).</summary>
    public float ReferenceStd { get; init; }

    /// <summary>aihwkit: mult_noise. False (aihwkit's default here): the cycle noise dw_min_std xi is added to the step factor.</summary>
    public bool MultNoise { get; init; }

    /// <summary>aihwkit: subtract_symmetry_point. True: each device's reference (and reset value) is shifted by its
    /// symmetry point (scale_up - scale_down) / (scale_up / w_max - scale_down / w_min), the weight where up and down
    /// steps are equal, so that weight reads as 0.</summary>
    public bool SubtractSymmetryPoint { get; init; }

    /// <inheritdoc/>
    public override int ParametersPerDevice => 5;

    internal override bool ShiftsReset => SubtractSymmetryPoint;

    internal override float ResetOffset(ReadOnlySpan<float> parameters) =>
        SubtractSymmetryPoint ? SymmetryPoint(parameters[0], parameters[1], parameters[3], parameters[4]) : 0f;

    private static float SymmetryPoint(float scaleUp, float scaleDown, float lo, float hi) =>
        hi > 0 && lo < 0 ? (scaleUp - scaleDown) / (scaleUp / hi - scaleDown / lo) : 0f;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        NonNegative(SlopeUpDtod, nameof(SlopeUpDtod), "slope_up_dtod");
        NonNegative(SlopeDownDtod, nameof(SlopeDownDtod), "slope_down_dtod");
        Finite(ReferenceMean, nameof(ReferenceMean), "reference_mean");
        NonNegative(ReferenceStd, nameof(ReferenceStd), "reference_std");
    }

    /// <inheritdoc/>
    public override void SampleDevice(ref Xoshiro256 rng, Span<float> parameters, out float wMin, out float wMax)
    {
        base.SampleDevice(ref rng, parameters, out float lo, out float hi);
        float scaleUp = parameters[0], scaleDown = parameters[1];
        if (hi > 0 && lo < 0 && scaleUp > 0 && scaleDown > 0) // (aihwkit would divide 0 by 0 for a zero step)
        {
            float slopeDown = -scaleDown / lo * MathF.Abs(1f + SlopeDownDtod * (float)rng.NextGaussian());
            float slopeUp = scaleUp / hi * MathF.Abs(1f + SlopeUpDtod * (float)rng.NextGaussian());
            hi = scaleUp / slopeUp;
            lo = -scaleDown / slopeDown;
        }
        float reference = ReferenceMean + ReferenceStd * (float)rng.NextGaussian();
        if (SubtractSymmetryPoint) reference += SymmetryPoint(scaleUp, scaleDown, lo, hi);
        parameters[2] = reference;
        parameters[3] = lo;
        parameters[4] = hi;
        wMin = lo - reference;
        wMax = hi - reference;
    }

    /// <inheritdoc/>
    public override float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random)
    {
        float reference = parameters[2], lo = parameters[3], hi = parameters[4];
        float state = w + reference;
        float bound = direction > 0 ? hi : lo;
        bool inside = direction > 0 ? bound > 0 : bound < 0;
        float a = inside ? state / bound : 0f;
        float scale = direction > 0 ? parameters[0] : parameters[1];
        float step;
        if (DwMinStd == 0) step = scale * (1f - a);
        else if (MultNoise) step = scale * (1f - a) * (1f + DwMinStd * random.NextGaussian());
        else step = scale * (1f - a + DwMinStd * random.NextGaussian());
        state += direction * step;
        state = MathF.Min(MathF.Max(state, lo), hi);
        return state - reference;
    }
}

using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// aihwkit: ExpStepDevice. With z = 2 a w / (w_max_ij - w_min_ij) + b, an up step is
/// scale_up max(0, 1 - A_up exp(gamma_up z)) and a down step scale_down max(0, 1 - A_down exp(-gamma_down z)),
/// times (1 + dw_min_std xi); with dw_min_std_add or dw_min_std_slope set, the noise is additive instead:
/// dw + dw_min_std (|dw| + dw_min_std_add + dw_min_std_slope |w|) xi. Hidden parameters per device: [scale_up, scale_down].
/// </summary>
public sealed record ExpStepDevice : PulsedDevice
{
    /// <inheritdoc/>
    public override string Name => "ExpStep";

    /// <summary>aihwkit: A_up.</summary>
    public float AUp { get; init; } = 0.00081f;

    /// <summary>aihwkit: A_down.</summary>
    public float ADown { get; init; } = 0.36833f;

    /// <summary>aihwkit: gamma_up.</summary>
    public float GammaUp { get; init; } = 12.44625f;

    /// <summary>aihwkit: gamma_down.</summary>
    public float GammaDown { get; init; } = 12.78785f;

    /// <summary>aihwkit: a (scales z with the weight).</summary>
    public float A { get; init; } = 0.244f;

    /// <summary>aihwkit: b (offset of z).</summary>
    public float B { get; init; } = 0.2425f;

    /// <summary>aihwkit: dw_min_std_add. Additive part of the cycle-to-cycle noise (in weight units).</summary>
    public float DwMinStdAdd { get; init; }

    /// <summary>aihwkit: dw_min_std_slope. Part of the cycle-to-cycle noise proportional to |w|.</summary>
    public float DwMinStdSlope { get; init; }

    /// <summary>aihwkit: the mean down step at w = 0 (its simulator averages the down step with itself), or
    /// dw_min if that step is 0.</summary>
    public override float WeightGranularity
    {
        get
        {
            float downBias = UpDown > 0 ? -UpDown : 0f;
            float scaleDown = (downBias + 1f) * DwMin;
            float z = B; // 2 w / (w_max - w_min) a + b at w = 0
            float dwDown = scaleDown * MathF.Max(1f - ADown * MathF.Exp(GammaDown * -z), 0f);
            float granularity = MathF.Max((dwDown + dwDown) / 2f, 0f);
            return granularity > 0 ? granularity : DwMin;
        }
    }

    private bool ComplexNoise => DwMinStd > 0 && (DwMinStdAdd != 0 || DwMinStdSlope != 0);

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        Finite(AUp, nameof(AUp), "A_up");
        Finite(ADown, nameof(ADown), "A_down");
        Finite(GammaUp, nameof(GammaUp), "gamma_up");
        Finite(GammaDown, nameof(GammaDown), "gamma_down");
        Finite(A, nameof(A), "a");
        Finite(B, nameof(B), "b");
        Finite(DwMinStdAdd, nameof(DwMinStdAdd), "dw_min_std_add");
        Finite(DwMinStdSlope, nameof(DwMinStdSlope), "dw_min_std_slope");
        // The largest step factor over the whole range must be finite, or a pulse turns the weight into Inf/NaN.
        float zMax = 2f * MathF.Abs(A) + MathF.Abs(B);
        if (!float.IsFinite(AUp * MathF.Exp(MathF.Abs(GammaUp) * zMax)) || !float.IsFinite(ADown * MathF.Exp(MathF.Abs(GammaDown) * zMax)))
            throw new ArgumentException($"GammaUp/GammaDown (gamma_up = {GammaUp}, gamma_down = {GammaDown}) with a = {A}, b = {B} overflow the step factor exp(gamma z) within the weight range.", nameof(GammaUp));
    }

    /// <inheritdoc/>
    public override float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random)
    {
        float range = wMax - wMin;
        if (!(range > 0)) return w;
        float z = 2f * w / range * A + B;
        float y = direction > 0 ? MathF.Max(1f - AUp * MathF.Exp(GammaUp * z), 0f) : MathF.Max(1f - ADown * MathF.Exp(GammaDown * -z), 0f);
        float dw = direction * y * (direction > 0 ? parameters[0] : parameters[1]);
        if (ComplexNoise)
            return w + dw + DwMinStd * (MathF.Abs(dw) + DwMinStdAdd + DwMinStdSlope * MathF.Abs(w)) * random.NextGaussian();
        if (DwMinStd > 0) dw *= 1f + DwMinStd * random.NextGaussian();
        return w + dw;
    }
}

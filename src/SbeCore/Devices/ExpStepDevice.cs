using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// aihwkit: ExpStepDevice. With z = 2 a w / (w_max_ij - w_min_ij) + b, an up step is
/// scale_up max(0, 1 - A_up exp(gamma_up z)) and a down step scale_down max(0, 1 - A_down exp(-gamma_down z)),
/// times (1 + dw_min_std xi). Hidden parameters per device: [scale_up, scale_down].
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

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        foreach (var (v, n) in new[] { (AUp, nameof(AUp)), (ADown, nameof(ADown)), (GammaUp, nameof(GammaUp)), (GammaDown, nameof(GammaDown)), (A, nameof(A)), (B, nameof(B)) })
        {
            if (!float.IsFinite(v)) throw new ArgumentException($"{n} must be finite, got {v}.", n);
        }
    }

    /// <inheritdoc/>
    public override float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random)
    {
        float range = wMax - wMin;
        float z = range > 0 ? 2f * A * w / range + B : B;
        float y = direction > 0 ? 1f - AUp * MathF.Exp(GammaUp * z) : 1f - ADown * MathF.Exp(-GammaDown * z);
        float step = MathF.Max(y, 0f) * (direction > 0 ? parameters[0] : parameters[1]);
        if (DwMinStd > 0) step *= 1f + DwMinStd * random.NextGaussian();
        return w + direction * step;
    }
}

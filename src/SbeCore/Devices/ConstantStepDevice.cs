using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// aihwkit: ConstantStepDevice. One pulse: w += scale_up (1 + dw_min_std xi) up, w -= scale_down (1 + dw_min_std xi)
/// down, then clip. The tile applies n coincident pulses in one step (see docs/crossbar.md). No write noise (as in aihwkit).
/// </summary>
public sealed record ConstantStepDevice : PulsedDevice
{
    /// <inheritdoc/>
    public override string Name => "ConstantStep";

    /// <inheritdoc/>
    public override bool SupportsWriteNoise => false;

    /// <inheritdoc/>
    public override float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random)
    {
        float step = direction > 0 ? parameters[0] : parameters[1];
        if (DwMinStd > 0) step *= 1f + DwMinStd * random.NextGaussian();
        return w + direction * step;
    }
}

using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// A pulsed device model: what one programming pulse does to one device. Implement this to add your own
/// model; the tile keeps <see cref="ParametersPerDevice"/> floats of hidden parameters per device (any
/// number), filled once by <see cref="SampleDevice"/> and handed back to <see cref="Pulse"/> as a slice.
/// </summary>
public interface IDeviceModel
{
    /// <summary>A short name, stored in saved tiles (a custom model is matched by it on load).</summary>
    string Name { get; }

    /// <summary>Nominal weight change of one pulse (aihwkit: dw_min); sets the pulse probabilities and counts.</summary>
    float DwMin { get; }

    /// <summary>The step size that sets pulse counts and probabilities (aihwkit: the device's weight granularity):
    /// dw_min for most models, dw_min 0.5^pow_gamma for PowStep, the mean down step at w = 0 for ExpStep.</summary>
    float WeightGranularity => DwMin;

    /// <summary>Hidden float parameters the model keeps per device (0 or more, no fixed limit).</summary>
    int ParametersPerDevice { get; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending parameter if the model is inconsistent.</summary>
    void Validate();

    /// <summary>Draws one device's hidden parameters and bounds (device-to-device variation) from <paramref name="rng"/>.
    /// Bounds must be finite with wMin &lt;= wMax (built-in models other than reference devices also bracket 0).</summary>
    void SampleDevice(ref Xoshiro256 rng, Span<float> parameters, out float wMin, out float wMax);

    /// <summary>
    /// The weight after one pulse in <paramref name="direction"/> (+1 up, -1 down) from <paramref name="w"/>,
    /// before clipping (the tile clips to [wMin, wMax] and counts clipped pulses). Cycle-to-cycle noise is
    /// drawn from <paramref name="random"/>.
    /// </summary>
    float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random);
}

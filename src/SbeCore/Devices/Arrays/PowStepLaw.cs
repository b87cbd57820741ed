using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SbeCore.Kernels;

namespace SbeCore.Devices.Arrays;

/// <summary>
/// <see cref="PowStepDevice"/>: the step is scale times the relative distance to the bound it moves towards, clamped
/// to [0, 1], to the device's exponent, times (1 + dw_min_std xi). The same operations, in the same order, as
/// <see cref="PowStepDevice.Pulse"/> (pow is MathF.Pow per lane).
/// </summary>
internal struct PowStepLaw : IPulseLaw
{
    private readonly float[] _scaleUp, _scaleDown, _gammaUp, _gammaDown;
    private readonly float _std;

    public PowStepLaw(PowStepDevice device, int devices)
    {
        _std = device.DwMinStd;
        _scaleUp = new float[devices]; _scaleDown = new float[devices]; _gammaUp = new float[devices]; _gammaDown = new float[devices];
    }

    public readonly bool Noisy => _std > 0;

    public readonly void Load(ReadOnlySpan<float> parameters, int perDevice)
    {
        for (int k = 0; k < _scaleUp.Length; k++)
        {
            var p = parameters.Slice(k * perDevice, perDevice);
            _scaleUp[k] = p[0]; _scaleDown[k] = p[1]; _gammaUp[k] = p[2]; _gammaDown[k] = p[3];
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float PulseOne(float w, bool up, float lo, float hi, int k, float xi)
        => Pulse<SimdLawScalar, float>(w, up ? MathBits.AllOnes : 0f, lo, hi, (nuint)k, xi);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TVec Pulse<TOps, TVec>(TVec w, TVec up, TVec lo, TVec hi, nuint k, TVec xi) where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        TVec range = TOps.Subtract(hi, lo);
        TVec one = TOps.Broadcast(1f);
        TVec relative = TOps.Divide(TOps.Select(up, TOps.Subtract(hi, w), TOps.Subtract(w, lo)), range);
        // Math.Clamp(relative, 0, 1): compare and select, so -0 and NaN pass as they do there.
        relative = TOps.Select(TOps.LessThan(relative, TOps.Zero), TOps.Zero, relative);
        relative = TOps.Select(TOps.GreaterThan(relative, one), one, relative);
        TVec gamma = TOps.Select(up, TOps.Load(ref MemoryMarshal.GetArrayDataReference(_gammaUp), k), TOps.Load(ref MemoryMarshal.GetArrayDataReference(_gammaDown), k));
        TVec scale = TOps.Select(up, TOps.Load(ref MemoryMarshal.GetArrayDataReference(_scaleUp), k), TOps.Load(ref MemoryMarshal.GetArrayDataReference(_scaleDown), k));
        TVec step = TOps.Multiply(scale, TOps.Pow(relative, gamma));
        if (_std > 0) step = TOps.Multiply(step, TOps.Add(one, TOps.Multiply(TOps.Broadcast(_std), xi)));
        TVec next = TOps.Add(w, TOps.Multiply(TOps.Select(up, one, TOps.Broadcast(-1f)), step));
        return TOps.Select(TOps.GreaterThan(range, TOps.Zero), next, w);
    }
}

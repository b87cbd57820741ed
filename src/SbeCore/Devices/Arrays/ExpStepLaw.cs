using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SbeCore.Kernels;

namespace SbeCore.Devices.Arrays;

/// <summary>
/// <see cref="ExpStepDevice"/>: with z = 2 a w / (w_max - w_min) + b, the step factor max(0, 1 - A exp(gamma z)) up
/// (exp(-gamma z) down) times the device's scale, with multiplicative or (dw_min_std_add / _slope set) additive
/// noise. The same operations, in the same order, as <see cref="ExpStepDevice.Pulse"/> (exp is MathF.Exp per lane).
/// </summary>
internal struct ExpStepLaw : IPulseLaw
{
    private readonly float[] _scaleUp, _scaleDown;
    private readonly float _aUp, _aDown, _gammaUp, _gammaDown, _a, _b, _std, _stdAdd, _stdSlope;
    private readonly bool _additiveNoise;

    public ExpStepLaw(ExpStepDevice device, int devices)
    {
        _aUp = device.AUp; _aDown = device.ADown; _gammaUp = device.GammaUp; _gammaDown = device.GammaDown;
        _a = device.A; _b = device.B; _std = device.DwMinStd; _stdAdd = device.DwMinStdAdd; _stdSlope = device.DwMinStdSlope;
        _additiveNoise = _std > 0 && (_stdAdd != 0 || _stdSlope != 0);
        _scaleUp = new float[devices]; _scaleDown = new float[devices];
    }

    public readonly bool Noisy => _std > 0;

    public readonly void Load(ReadOnlySpan<float> parameters, int perDevice)
    {
        for (int k = 0; k < _scaleUp.Length; k++) { _scaleUp[k] = parameters[k * perDevice]; _scaleDown[k] = parameters[k * perDevice + 1]; }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float PulseOne(float w, bool up, float lo, float hi, int k, float xi)
        => Pulse<SimdLawScalar, float>(w, up ? MathBits.AllOnes : 0f, lo, hi, (nuint)k, xi);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TVec Pulse<TOps, TVec>(TVec w, TVec up, TVec lo, TVec hi, nuint k, TVec xi) where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        TVec range = TOps.Subtract(hi, lo);
        TVec one = TOps.Broadcast(1f), direction = TOps.Select(up, one, TOps.Broadcast(-1f));
        TVec z = TOps.Add(TOps.Multiply(TOps.Divide(TOps.Multiply(TOps.Broadcast(2f), w), range), TOps.Broadcast(_a)), TOps.Broadcast(_b));
        TVec exponent = TOps.Select(up, TOps.Multiply(TOps.Broadcast(_gammaUp), z), TOps.Multiply(TOps.Broadcast(_gammaDown), TOps.Multiply(TOps.Broadcast(-1f), z)));
        TVec factor = TOps.Select(up, TOps.Broadcast(_aUp), TOps.Broadcast(_aDown));
        TVec y = TOps.Max(TOps.Subtract(one, TOps.Multiply(factor, TOps.Exp(exponent))), TOps.Zero);
        TVec scale = TOps.Select(up, TOps.Load(ref MemoryMarshal.GetArrayDataReference(_scaleUp), k), TOps.Load(ref MemoryMarshal.GetArrayDataReference(_scaleDown), k));
        TVec dw = TOps.Multiply(TOps.Multiply(direction, y), scale);
        TVec next;
        if (_additiveNoise)
        {
            TVec spread = TOps.Add(TOps.Add(TOps.Abs(dw), TOps.Broadcast(_stdAdd)), TOps.Multiply(TOps.Broadcast(_stdSlope), TOps.Abs(w)));
            next = TOps.Add(TOps.Add(w, dw), TOps.Multiply(TOps.Multiply(TOps.Broadcast(_std), spread), xi));
        }
        else
        {
            if (_std > 0) dw = TOps.Multiply(dw, TOps.Add(one, TOps.Multiply(TOps.Broadcast(_std), xi)));
            next = TOps.Add(w, dw);
        }
        // A device without range does not move.
        return TOps.Select(TOps.GreaterThan(range, TOps.Zero), next, w);
    }
}

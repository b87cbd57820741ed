using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SbeCore.Kernels;

namespace SbeCore.Devices.Arrays;

/// <summary>
/// <see cref="SoftBoundsReferenceDevice"/>: the state w + reference moves by scale (1 - state / bound) towards its
/// bound (multiplicative or additive noise), is kept within the state bounds and read back minus the reference. The
/// same operations, in the same order, as <see cref="SoftBoundsReferenceDevice.Pulse"/>.
/// </summary>
internal struct SoftBoundsReferenceLaw : IPulseLaw
{
    private readonly float[] _scaleUp, _scaleDown, _reference, _stateMin, _stateMax;
    private readonly float _std;
    private readonly bool _multNoise;

    public SoftBoundsReferenceLaw(SoftBoundsReferenceDevice device, int devices)
    {
        _std = device.DwMinStd;
        _multNoise = device.MultNoise;
        _scaleUp = new float[devices]; _scaleDown = new float[devices]; _reference = new float[devices];
        _stateMin = new float[devices]; _stateMax = new float[devices];
    }

    public readonly bool Noisy => _std != 0;

    public readonly void Load(ReadOnlySpan<float> parameters, int perDevice)
    {
        for (int k = 0; k < _scaleUp.Length; k++)
        {
            var p = parameters.Slice(k * perDevice, perDevice);
            _scaleUp[k] = p[0]; _scaleDown[k] = p[1]; _reference[k] = p[2]; _stateMin[k] = p[3]; _stateMax[k] = p[4];
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float PulseOne(float w, bool up, float lo, float hi, int k, float xi)
        => Pulse<SimdLawScalar, float>(w, up ? MathBits.AllOnes : 0f, lo, hi, (nuint)k, xi);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TVec Pulse<TOps, TVec>(TVec w, TVec up, TVec lo, TVec hi, nuint k, TVec xi) where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        TVec reference = TOps.Load(ref MemoryMarshal.GetArrayDataReference(_reference), k);
        TVec stateMin = TOps.Load(ref MemoryMarshal.GetArrayDataReference(_stateMin), k);
        TVec stateMax = TOps.Load(ref MemoryMarshal.GetArrayDataReference(_stateMax), k);
        TVec one = TOps.Broadcast(1f);
        TVec state = TOps.Add(w, reference);
        TVec bound = TOps.Select(up, stateMax, stateMin);
        TVec inside = TOps.Select(up, TOps.GreaterThan(bound, TOps.Zero), TOps.LessThan(bound, TOps.Zero));
        TVec a = TOps.Select(inside, TOps.Divide(state, bound), TOps.Zero);
        TVec scale = TOps.Select(up, TOps.Load(ref MemoryMarshal.GetArrayDataReference(_scaleUp), k), TOps.Load(ref MemoryMarshal.GetArrayDataReference(_scaleDown), k));
        TVec step;
        if (_std == 0) step = TOps.Multiply(scale, TOps.Subtract(one, a));
        else if (_multNoise) step = TOps.Multiply(TOps.Multiply(scale, TOps.Subtract(one, a)), TOps.Add(one, TOps.Multiply(TOps.Broadcast(_std), xi)));
        else step = TOps.Multiply(scale, TOps.Add(TOps.Subtract(one, a), TOps.Multiply(TOps.Broadcast(_std), xi)));
        state = TOps.Add(state, TOps.Multiply(TOps.Select(up, one, TOps.Broadcast(-1f)), step));
        state = TOps.Min(TOps.Max(state, stateMin), stateMax);
        return TOps.Subtract(state, reference);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SbeCore.Kernels;

namespace SbeCore.Devices.Arrays;

/// <summary>
/// <see cref="LinearStepDevice"/> and <see cref="SoftBoundsDevice"/>: dw = slope w + scale per direction, times
/// (1 + dw_min_std xi) with multiplicative noise, else slope w + scale (1 + dw_min_std xi); with zero-shift the law
/// acts on w + reference. The same operations, in the same order, as <see cref="LinearStepDevice.Pulse"/>.
/// </summary>
internal struct LinearStepLaw : IPulseLaw
{
    private readonly float[] _scaleUp, _scaleDown, _slopeUp, _slopeDown, _reference;
    private readonly float[] _records; // the same fields per device, side by side, for one device alone (PulseOne)
    private readonly int _recordLength;
    private readonly float _std;
    private readonly bool _multNoise, _zeroShift;

    public LinearStepLaw(LinearStepDevice device, int devices)
    {
        _std = device.DwMinStd;
        _multNoise = device.MultNoise;
        _zeroShift = device.ZeroShift;
        _scaleUp = new float[devices]; _scaleDown = new float[devices];
        _slopeUp = new float[devices]; _slopeDown = new float[devices];
        _reference = _zeroShift ? new float[devices] : [];
        _recordLength = _zeroShift ? 5 : 4;
        _records = new float[devices * _recordLength];
    }

    public readonly bool Noisy => _std != 0;

    public readonly void Load(ReadOnlySpan<float> parameters, int perDevice)
    {
        for (int k = 0; k < _scaleUp.Length; k++)
        {
            var p = parameters.Slice(k * perDevice, perDevice);
            _scaleUp[k] = p[0]; _scaleDown[k] = p[1]; _slopeUp[k] = p[2]; _slopeDown[k] = p[3];
            if (_zeroShift) _reference[k] = p[4];
            p.Slice(0, _recordLength).CopyTo(_records.AsSpan(k * _recordLength));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TVec Pulse<TOps, TVec>(TVec w, TVec up, TVec lo, TVec hi, nuint k, TVec xi) where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        TVec scale = TOps.Select(up, TOps.Load(ref MemoryMarshal.GetArrayDataReference(_scaleUp), k), TOps.Load(ref MemoryMarshal.GetArrayDataReference(_scaleDown), k));
        TVec slope = TOps.Select(up, TOps.Load(ref MemoryMarshal.GetArrayDataReference(_slopeUp), k), TOps.Load(ref MemoryMarshal.GetArrayDataReference(_slopeDown), k));
        TVec reference = _zeroShift ? TOps.Load(ref MemoryMarshal.GetArrayDataReference(_reference), k) : TOps.Zero;
        return Step<TOps, TVec>(w, up, scale, slope, reference, xi);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float PulseOne(float w, bool up, float lo, float hi, int k, float xi)
    {
        ref float record = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_records), k * _recordLength);
        float scale = up ? record : Unsafe.Add(ref record, 1);
        float slope = up ? Unsafe.Add(ref record, 2) : Unsafe.Add(ref record, 3);
        float reference = _zeroShift ? Unsafe.Add(ref record, 4) : 0f;
        return Step<SimdLawScalar, float>(w, up ? MathBits.AllOnes : 0f, scale, slope, reference, xi);
    }

    // The law, once: dw = slope x + scale (noise multiplied or added), x = w (+ reference with zero-shift).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly TVec Step<TOps, TVec>(TVec w, TVec up, TVec scale, TVec slope, TVec reference, TVec xi) where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        TVec x = _zeroShift ? TOps.Add(w, reference) : w;
        TVec one = TOps.Broadcast(1f);
        TVec dw;
        if (_std == 0) dw = TOps.Add(TOps.Multiply(slope, x), scale);
        else if (_multNoise) dw = TOps.Multiply(TOps.Add(TOps.Multiply(slope, x), scale), TOps.Add(one, TOps.Multiply(TOps.Broadcast(_std), xi)));
        else dw = TOps.Add(TOps.Multiply(slope, x), TOps.Multiply(scale, TOps.Add(one, TOps.Multiply(TOps.Broadcast(_std), xi))));
        TVec next = TOps.Add(x, TOps.Multiply(TOps.Select(up, one, TOps.Broadcast(-1f)), dw));
        return _zeroShift ? TOps.Subtract(next, reference) : next;
    }
}

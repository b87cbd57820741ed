using SbeCore.Devices;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

// What happens to stored weights between writes: diffusion (a random walk), decay towards each device's reset
// value (aihwkit: lifetime), resets, and a unit cell's refresh, applied once per optimizer step as aihwkit's
// analog optimizer does (its post_update_step, and the unit cell's check at the end of each update).
public sealed partial class CrossbarTile
{
    private float[]? _resetBias;     // per-device reset value (null: every device resets to 0)
    private float[]? _decayScale;    // per-device factor 1 - 1/lifetime (null: no decay)
    private float[]? _diffusionRate; // per-device diffusion std (null: no diffusion)

    /// <summary>Post-update steps applied so far (see <see cref="PostUpdateStep"/>).</summary>
    public long PostUpdateSteps { get; private set; }

    /// <summary>Devices refreshed so far by a one-sided unit cell (aihwkit: refresh counter); 0 for other devices.</summary>
    public long Refreshes => _pair?.Refreshes ?? 0;

    /// <summary>
    /// Call once per optimizer step (mini-batch), after its writes, as aihwkit's analog optimizer calls
    /// post_update_step: a one-sided unit cell refreshes saturated pairs (every refresh_every steps), a transfer
    /// compound transfers (every transfer_every steps with units_in_mbatch), then weights
    /// diffuse (diffusion) and decay (lifetime), in aihwkit's order. Does nothing for devices without these settings.
    /// </summary>
    public void PostUpdateStep()
    {
        PostUpdateSteps++;
        if (_pair is not null)
        {
            _pair.PostUpdateStep(PostUpdateSteps, Counters.RankOneWrites, _weights);
            return;
        }
        if (_transfer is not null)
        {
            _transfer.PostUpdateStep(_weights);
            return;
        }
        if (_decayScale is null && _diffusionRate is null) return;
        float[] state = _persistent ?? _weights;
        if (_diffusionRate is not null)
        {
            for (int k = 0; k < state.Length; k++)
                state[k] = MathF.Max(MathF.Min(state[k] + _diffusionRate[k] * _updateRandom.NextGaussian(), _wMax[k]), _wMin[k]);
        }
        if (_decayScale is not null)
        {
            for (int k = 0; k < state.Length; k++)
            {
                float b = _resetBias is null ? 0f : _resetBias[k];
                state[k] = MathF.Max(MathF.Min((state[k] - b) * _decayScale[k] + b, _wMax[k]), _wMin[k]);
            }
        }
        RedrawWriteNoise();
    }

    /// <summary>Resets device k to its reset value plus reset_std noise, within its bounds (aihwkit: reset at indices).</summary>
    internal void ResetDevice(int k)
    {
        float resetStd = _device is PulsedDevice p ? p.ResetStd : 0f;
        float w = (_resetBias is null ? 0f : _resetBias[k]) + (resetStd > 0 ? resetStd * _updateRandom.NextGaussian() : 0f);
        WriteHidden(k, MathF.Max(MathF.Min(w, _wMax[k]), _wMin[k]));
    }

    /// <summary>The hidden weights the pulses move when the device has write noise (aihwkit: persistent weights);
    /// empty otherwise (then <see cref="Weights"/> are the device states).</summary>
    public ReadOnlySpan<float> PersistentWeights => _persistent;

    /// <summary>Per-device reset values (aihwkit: reset_bias); empty when every device resets to 0.</summary>
    public ReadOnlySpan<float> ResetValues => _resetBias;

    /// <summary>Per-device decay factors 1 - 1/lifetime (aihwkit: decay_scales); empty when there is no decay.</summary>
    public ReadOnlySpan<float> DecayScales => _decayScale;

    /// <summary>Per-device diffusion rates (aihwkit: diffusion_rates); empty when there is no diffusion.</summary>
    public ReadOnlySpan<float> DiffusionRates => _diffusionRate;

    /// <summary>A one-sided unit cell's two device arrays (null for single devices).</summary>
    internal OneSidedPair? Pair => _pair;

    /// <summary>A transfer compound's fast and slow device arrays (null for other devices).</summary>
    internal TransferPair? Transfer => _transfer;

    /// <summary>Transfer events of a transfer compound so far (aihwkit: transfer calls); 0 for other devices.</summary>
    public long Transfers => _transfer?.Transfers ?? 0;

    /// <summary>Rank-1 writes of a transfer compound's transfers onto its slow device (one per column or row read),
    /// not counted in <see cref="TileCounters.RankOneWrites"/>, which counts the gradient writes; 0 for other devices.</summary>
    public long TransferWrites => _transfer?.Slow.Counters.RankOneWrites ?? 0;

    /// <summary>Pulses of a transfer compound's transfer writes (not in <see cref="TileCounters.TotalPulses"/>); 0 for other devices.</summary>
    public long TransferPulses => _transfer?.Slow.Counters.TotalPulses ?? 0;

    /// <summary>Tests: replaces the sampled hidden parameters and bounds (e.g. with ones recorded from aihwkit).</summary>
    internal void SetDeviceState(ReadOnlySpan<float> parameters, ReadOnlySpan<float> wMin, ReadOnlySpan<float> wMax)
    {
        parameters.CopyTo(_params); wMin.CopyTo(_wMin); wMax.CopyTo(_wMax);
        RefreshDeviceArrays();
    }

    /// <summary>Programs device k to w, clipped to its bounds (a unit cell's device array).</summary>
    internal void ProgramDevice(int k, float w) => WriteHidden(k, MathF.Max(MathF.Min(w, _wMax[k]), _wMin[k]));

    // With write noise, every visible weight gets a fresh draw after a whole-array change (aihwkit: applyUpdateWriteNoise).
    private void RedrawWriteNoise()
    {
        if (_persistent is null) return;
        for (int k = 0; k < _weights.Length; k++) _weights[k] = _persistent[k] + _writeNoise * _updateRandom.NextGaussian();
    }

    // Reset values, decay scales and diffusion rates come from their own stream, so the other draws of a tile
    // do not depend on whether these are in use.
    private void SampleRetention(PulsedDevice device, ulong seed)
    {
        bool reset = device.Reset != 0 || device.ResetDtod != 0 || device.ShiftsReset;
        bool decay = device.Lifetime > 0;
        bool diffusion = device.Diffusion > 0;
        if (!reset && !decay && !diffusion) return;
        int devices = Rows * Cols;
        if (reset) _resetBias = new float[devices];
        if (decay) _decayScale = new float[devices];
        if (diffusion) _diffusionRate = new float[devices];
        var rng = new Xoshiro256(seed);
        for (int k = 0; k < devices; k++)
        {
            device.SampleRetention(ref rng, out float bias, out float scale, out float rate);
            if (reset) _resetBias![k] = bias + device.ResetOffset(_params.AsSpan(k * _parametersPerDevice, _parametersPerDevice));
            if (decay) _decayScale![k] = scale;
            if (diffusion) _diffusionRate![k] = rate;
        }
    }
}

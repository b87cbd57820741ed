using SbeCore.Crossbar;
using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>
/// aihwkit: TransferCompound with two devices (Tiki-Taka). Each weight is a fast device A, which receives every
/// gradient write, and a slow device C; reads see gamma A + C. Every <see cref="TransferEvery"/> optimizer steps
/// (<see cref="UnitsInMbatch"/>) or rank-1 writes, <see cref="NReadsPerTransfer"/> columns (or rows) of A are read
/// out through <see cref="TransferForward"/> with one-hot inputs, in order and wrapping around, and each read vector
/// is written onto C as a pulsed rank-1 update with the same one-hot vector (<see cref="TransferUpdate"/>,
/// learning rate <see cref="TransferLr"/>, times the optimizer's rate with <see cref="ScaleTransferLr"/>).
/// aihwkit's chains of more than two devices, random_selection, transfer_every_vec and transfer_lr_vec are not
/// implemented (refused by name in the data form).
/// </summary>
public sealed record TransferCompound : IDeviceModel
{
    /// <inheritdoc/>
    public string Name => "Transfer";

    /// <summary>aihwkit: unit_cell_devices[0]. The fast device A that receives the gradient writes.</summary>
    public PulsedDevice FastDevice { get; init; } = new ConstantStepDevice();

    /// <summary>aihwkit: unit_cell_devices[1]. The slow device C that receives the transfers.</summary>
    public PulsedDevice SlowDevice { get; init; } = new ConstantStepDevice();

    /// <summary>aihwkit: gamma. The read weight is gamma A + C; 0 (aihwkit's default) hides A entirely.</summary>
    public float Gamma { get; init; }

    /// <summary>aihwkit: gamma_vec. When set, the read weight is Fast A + Slow C instead (Slow must not be 0);
    /// C# API only (the data form has no lists of numbers).</summary>
    public (float Fast, float Slow)? GammaVec { get; init; }

    /// <summary>aihwkit: transfer_every. Transfer every this many optimizer steps (<see cref="UnitsInMbatch"/>; a
    /// fraction gives several transfers at the end of some steps, where aihwkit spreads them over the batch's rows)
    /// or rank-1 writes (rounded); 0 never transfers.</summary>
    public float TransferEvery { get; init; } = 1f;

    /// <summary>aihwkit: units_in_mbatch. True: <see cref="TransferEvery"/> counts optimizer steps (aihwkit counts
    /// transfer_every x m_batch rank-1 writes, the same thing for a per-sample rule); false: rank-1 writes.</summary>
    public bool UnitsInMbatch { get; init; } = true;

    /// <summary>aihwkit: n_reads_per_transfer. Consecutive columns (rows) read and written per transfer, at most
    /// the number of inputs (outputs): more are clipped to it, as aihwkit does.</summary>
    public int NReadsPerTransfer { get; init; } = 1;

    /// <summary>aihwkit: transfer_columns. True: read columns of A with forward reads; false: rows with backward reads.</summary>
    public bool TransferColumns { get; init; } = true;

    /// <summary>aihwkit: transfer_lr. Learning rate of the transfer write (&gt;= 0).</summary>
    public float TransferLr { get; init; } = 1f;

    /// <summary>aihwkit: scale_transfer_lr. Multiply <see cref="TransferLr"/> by the optimizer's current learning rate.</summary>
    public bool ScaleTransferLr { get; init; } = true;

    /// <summary>aihwkit: fast_lr. If &gt; 0, the learning rate of the writes onto A (times the optimizer's rate with
    /// <see cref="ScaleFastLr"/>); 0 uses the optimizer's rate.</summary>
    public float FastLr { get; init; } = 1f;

    /// <summary>aihwkit: scale_fast_lr. Multiply <see cref="FastLr"/> by the write's learning rate.</summary>
    public bool ScaleFastLr { get; init; } = true;

    /// <summary>aihwkit: with_reset_prob. Probability that a transfer resets the columns of A it reads (column
    /// transfers only).</summary>
    public float WithResetProb { get; init; }

    /// <summary>aihwkit: transfer_forward. I/O of the transfer read; noise and bound management are turned off, as
    /// aihwkit turns them off.</summary>
    public IOConfig TransferForward { get; init; } = new();

    /// <summary>aihwkit: transfer_update. Pulse settings of the transfer write.</summary>
    public UpdateConfig TransferUpdate { get; init; } = new();

    /// <summary>The fast device's dw_min.</summary>
    public float DwMin => FastDevice.DwMin;

    /// <summary>aihwkit: the mean of the two devices' granularities (the gradient writes' pulse scale).</summary>
    public float WeightGranularity => (FastDevice.WeightGranularity + SlowDevice.WeightGranularity) / 2f;

    /// <summary>The weights of A and C in the read weight: GammaVec if set, else (gamma, 1).</summary>
    public (float Fast, float Slow) Weighting => GammaVec ?? (Gamma, 1f);

    /// <summary>The cell's state lives in its two device arrays, not in per-device parameters.</summary>
    public int ParametersPerDevice => 0;

    /// <inheritdoc/>
    public void Validate()
    {
        if (FastDevice is null) throw new ArgumentException("FastDevice (unit_cell_devices[0]) must not be null.", nameof(FastDevice));
        if (SlowDevice is null) throw new ArgumentException("SlowDevice (unit_cell_devices[1]) must not be null.", nameof(SlowDevice));
        FastDevice.Validate();
        SlowDevice.Validate();
        if (!float.IsFinite(Gamma)) throw new ArgumentException($"Gamma (gamma) must be finite, got {Gamma}.", nameof(Gamma));
        if (GammaVec is { } g && !(float.IsFinite(g.Fast) && float.IsFinite(g.Slow) && g.Slow != 0))
            throw new ArgumentException($"GammaVec (gamma_vec) must be finite with a non-zero slow entry, got ({g.Fast}, {g.Slow}).", nameof(GammaVec));
        if (!(TransferEvery >= 0 && float.IsFinite(TransferEvery))) throw new ArgumentException($"TransferEvery (transfer_every) must be finite and >= 0, got {TransferEvery}.", nameof(TransferEvery));
        if (NReadsPerTransfer < 1) throw new ArgumentException($"NReadsPerTransfer (n_reads_per_transfer) must be >= 1, got {NReadsPerTransfer}.", nameof(NReadsPerTransfer));
        if (!(TransferLr >= 0 && float.IsFinite(TransferLr))) throw new ArgumentException($"TransferLr (transfer_lr) must be finite and >= 0, got {TransferLr}.", nameof(TransferLr));
        if (!(FastLr >= 0 && float.IsFinite(FastLr))) throw new ArgumentException($"FastLr (fast_lr) must be finite and >= 0, got {FastLr}.", nameof(FastLr));
        if (!(WithResetProb >= 0 && WithResetProb <= 1)) throw new ArgumentException($"WithResetProb (with_reset_prob) must be in [0, 1], got {WithResetProb}.", nameof(WithResetProb));
        if (WithResetProb > 0 && !TransferColumns) throw new ArgumentException("WithResetProb (with_reset_prob) needs column transfers (transfer_columns), as in aihwkit.", nameof(WithResetProb));
        if (TransferForward is null) throw new ArgumentException("TransferForward (transfer_forward) must not be null.", nameof(TransferForward));
        if (TransferUpdate is null) throw new ArgumentException("TransferUpdate (transfer_update) must not be null.", nameof(TransferUpdate));
        TransferForward.Validate();
        TransferUpdate.Validate();
        if (TransferUpdate.PulseType == PulseType.None) throw new ArgumentException("TransferUpdate (transfer_update) must be a pulsed update.", nameof(TransferUpdate));
    }

    /// <summary>aihwkit's getPulseCountLearningRate: the learning rate that sets the pulses of a write onto A.</summary>
    public float PulseCountLearningRate(float learningRate)
    {
        if (FastLr <= 0) return learningRate;
        return ScaleFastLr ? FastLr * learningRate : MathF.CopySign(FastLr, learningRate);
    }

    /// <summary>Not used: the tile samples the two device arrays itself.</summary>
    public void SampleDevice(ref Xoshiro256 rng, Span<float> parameters, out float wMin, out float wMax)
        => throw new NotSupportedException("A unit cell's devices are sampled by its device arrays.");

    /// <summary>Not used: the tile routes pulses to the fast device.</summary>
    public float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random)
        => throw new NotSupportedException("A unit cell routes pulses to its devices.");
}

using SbeCore.Devices;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

/// <summary>
/// The two device arrays of a <see cref="TransferCompound"/>: A (fast) takes the gradient pulses, C (slow) the
/// transfers. Both are tiles whose forward/backward I/O is the transfer read and whose update config is the transfer
/// write, so a transfer runs through the same I/O and pulsed-update code as any other read and write.
/// </summary>
internal sealed class TransferPair
{
    private readonly TransferCompound _cell;
    private readonly float _gammaFast, _gammaSlow;
    private readonly int _inSize;        // columns (column transfers) or rows
    private readonly int _reads;         // n_reads_per_transfer, at most _inSize
    private readonly double _every;      // in optimizer steps (may be fractional) or rank-1 writes (whole); 0 never
    private readonly float[] _unit;      // the one-hot transfer vector
    private readonly float[] _read;      // A's read-out, negated (aihwkit reads with alpha = -1)
    private readonly RandomStream _resetRandom;

    public TransferPair(int rows, int cols, TransferCompound cell, ulong fastSeed, ulong slowSeed, ulong resetSeed)
    {
        _cell = cell;
        (_gammaFast, _gammaSlow) = cell.Weighting;
        var io = cell.TransferForward with { NoiseManagement = NoiseManagement.None, BoundManagement = BoundManagement.None };
        Fast = new CrossbarTile(rows, cols, new TileConfig { Device = cell.FastDevice, Update = cell.TransferUpdate, Forward = io, Backward = io }, fastSeed);
        Slow = new CrossbarTile(rows, cols, new TileConfig { Device = cell.SlowDevice, Update = cell.TransferUpdate, Forward = io, Backward = io }, slowSeed);
        _inSize = cell.TransferColumns ? cols : rows;
        _reads = Math.Min(cell.NReadsPerTransfer, _inSize);
        _every = cell.UnitsInMbatch ? cell.TransferEvery : MathF.Round(cell.TransferEvery, MidpointRounding.AwayFromZero);
        _unit = new float[_inSize];
        _read = new float[cell.TransferColumns ? rows : cols];
        _resetRandom = new RandomStream(resetSeed);
    }

    /// <summary>A: the device array the gradient writes go to.</summary>
    public CrossbarTile Fast { get; }

    /// <summary>C: the device array the transfers write.</summary>
    public CrossbarTile Slow { get; }

    /// <summary>Optimizer steps (units_in_mbatch) or rank-1 writes since the weights were last set (aihwkit's update index).</summary>
    public long Count { get; set; }

    /// <summary>The next column (row) to transfer.</summary>
    public int Slice { get; set; }

    /// <summary>The optimizer's learning rate of the last write (scales the transfer learning rate).</summary>
    public float LearningRate { get; set; }

    /// <summary>Transfer events so far.</summary>
    public long Transfers { get; set; }

    /// <summary>Visible bounds: the extremes of gamma_fast A + gamma_slow C over both devices' ranges.</summary>
    public void VisibleBounds(float[] wMin, float[] wMax)
    {
        var fMin = Fast.MinBounds; var fMax = Fast.MaxBounds; var sMin = Slow.MinBounds; var sMax = Slow.MaxBounds;
        for (int k = 0; k < wMin.Length; k++)
        {
            float a = _gammaFast * fMin[k], b = _gammaFast * fMax[k], c = _gammaSlow * sMin[k], d = _gammaSlow * sMax[k];
            wMin[k] = MathF.Min(a, b) + MathF.Min(c, d);
            wMax[k] = MathF.Max(a, b) + MathF.Max(c, d);
        }
    }

    /// <summary>n gradient pulses on A's device k, drawn from the writing thread's row stream, summed into its context
    /// (added to A's counters when the write ends); returns the clipped pulses.</summary>
    public long ApplyPulses(int k, int n, int direction, float[] visible, PulseContext context)
    {
        long clipped = Fast.PulseDevice(k, n, direction, context);
        context.AddCellPulses(0, n, clipped);
        visible[k] = Visible(k);
        return clipped;
    }

    /// <summary>aihwkit's onSetWeights: A = 0, C = w / gamma_slow (clipped to C's bounds), counters restart; returns the visible weight.</summary>
    public float Program(int k, float w)
    {
        Fast.ProgramDevice(k, 0f);
        Slow.ProgramDevice(k, w / _gammaSlow);
        return Visible(k);
    }

    /// <summary>aihwkit's resetCounters on setting weights: the transfer schedule starts again at the first column.</summary>
    public void RestartSchedule() { Count = 0; Slice = 0; }

    /// <summary>After <paramref name="writes"/> rank-1 writes (transfer_every in writes): the transfers that fell due, in order.</summary>
    public void AfterWrites(long writes, float[] visible)
    {
        if (_cell.UnitsInMbatch) return;
        long before = Count;
        Count += writes;
        long due = Due(before);
        for (long t = 0; t < due; t++) Transfer();
        if (due > 0) Reduce(visible);
    }

    /// <summary>How many of the next <paramref name="max"/> rank-1 writes can run before a transfer falls due: the
    /// count up to and including the first write a transfer follows (<paramref name="max"/> when none does).</summary>
    public int WritesUntilTransfer(int max)
    {
        if (_cell.UnitsInMbatch || _every <= 0) return max;
        for (int m = 1; m < max; m++)
            if ((long)Math.Floor((Count + m) / _every) != (long)Math.Floor((Count + m - 1) / _every)) return m;
        return max;
    }

    /// <summary>The end of an optimizer step: the transfer if due (transfer_every in steps), then both arrays'
    /// retention (decay, diffusion), then the visible weights.</summary>
    public void PostUpdateStep(float[] visible)
    {
        if (_cell.UnitsInMbatch)
        {
            long due = Due(Count++);
            for (long t = 0; t < due; t++) Transfer();
        }
        Fast.PostUpdateStep();
        Slow.PostUpdateStep();
        Reduce(visible);
    }

    // Transfers that fell due as the count went from before to Count: multiples of transfer_every crossed (for a whole
    // transfer_every, aihwkit's count % every == 0).
    private long Due(long before)
    {
        if (_every <= 0) return 0;
        return (long)Math.Floor(Count / _every) - (long)Math.Floor(before / _every);
    }

    // aihwkit's transfer: n_reads consecutive one-hot reads from the current slice, wrapping at the edge.
    private void Transfer()
    {
        float lr = _cell.TransferLr * (_cell.ScaleTransferLr ? LearningRate : 1f);
        int start = Slice, rest = _inSize - start;
        if (rest < _reads)
        {
            ReadAndWrite(start, rest, lr);
            ReadAndWrite(0, _reads - rest, lr);
        }
        else ReadAndWrite(start, _reads, lr);
        Slice = (start + _reads) % _inSize;
        Transfers++;
    }

    // aihwkit's readAndUpdate: read A at each one-hot vector (negated), optionally reset the columns read
    // (aihwkit resets the whole group after each read when the draw falls below with_reset_prob), and write the read
    // vector onto C: C -= lr (-A e_j) e_j^T.
    private void ReadAndWrite(int start, int count, float lr)
    {
        if (lr == 0) return;
        bool columns = _cell.TransferColumns;
        for (int v = 0; v < count; v++)
        {
            int j = start + v;
            _unit[j] = 1f;
            if (columns) Fast.Read(_unit, 1, _read);
            else Fast.ReadTransposed(_unit, 1, _read);
            for (int i = 0; i < _read.Length; i++) _read[i] = -_read[i];
            if (_cell.WithResetProb > 0 && _resetRandom.NextUniform() < _cell.WithResetProb) ResetColumns(start, count);
            if (columns) Slow.Update(lr, _read, _unit);
            else Slow.Update(lr, _unit, _read);
            _unit[j] = 0f;
        }
    }

    private void ResetColumns(int start, int count)
    {
        int cols = Fast.Cols;
        for (int i = 0; i < Fast.Rows; i++)
            for (int j = start; j < start + count; j++) Fast.ResetDevice(i * cols + j);
    }

    private float Visible(int k) => _gammaFast * Fast.Weights[k] + _gammaSlow * Slow.Weights[k];

    private void Reduce(float[] visible)
    {
        var fast = Fast.Weights; var slow = Slow.Weights;
        for (int k = 0; k < visible.Length; k++) visible[k] = _gammaFast * fast[k] + _gammaSlow * slow[k];
    }

    /// <summary>Saved with the tile: the schedule and both arrays.</summary>
    public void WriteState(BinaryWriter w)
    {
        w.Write(Count); w.Write(Slice); w.Write(LearningRate); w.Write(Transfers);
        _resetRandom.Save(w);
    }

    public void ReadState(BinaryReader r)
    {
        long count = r.ReadInt64(); int slice = r.ReadInt32(); float lr = r.ReadSingle(); long transfers = r.ReadInt64();
        if (count < 0 || slice < 0 || slice >= _inSize || !float.IsFinite(lr) || transfers < 0)
            throw new InvalidDataException($"Tile file holds an impossible transfer schedule (count {count}, slice {slice}, lr {lr}, transfers {transfers}).");
        Count = count; Slice = slice; LearningRate = lr; Transfers = transfers;
        _resetRandom.Load(r);
    }
}

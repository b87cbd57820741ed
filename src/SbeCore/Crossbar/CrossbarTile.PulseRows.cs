using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

// The row side of a pulsed write: the prepared writes of a pass run row block by row block, every write in order on
// one block before the next block, so a block's devices stay in cache across the writes. Every draw is keyed by (write,
// row or row group), so this order gives the bits of the writes one after another over the whole tile.
public sealed partial class CrossbarTile
{
    /// <summary>Tests and tuning: rows a thread runs every write of a pass on before the next rows
    /// (<see cref="PulseTuning.BlockRows"/>; a positive multiple of <see cref="PulseTuning.RowGroup"/>). The bits do not depend on it.</summary>
    internal int RowsPerBlock
    {
        get => _rowsPerBlock;
        set
        {
            if (value < PulseTuning.RowGroup || value % PulseTuning.RowGroup != 0)
                throw new ArgumentException($"RowsPerBlock is {value}; it must be a positive multiple of {PulseTuning.RowGroup}.", nameof(value));
            _rowsPerBlock = value;
        }
    }
    private int _rowsPerBlock = PulseTuning.BlockRows;

    // Splits the rows into parts of whole row groups over as many threads as the pass's work pays for, runs the first
    // `writes` prepared writes on them, then adds the parts' counter sums to the counters.
    private void RunRows(int writes, long visits)
    {
        _passWrites = writes;
        if (UsesFusedBlocks(writes)) Counters.BeginPendingWrites(writes);
        int parts = (int)Math.Clamp(Math.Min(_threads, visits / Math.Max(1, MinVisitsPerThread)), 1, (Rows + PulseTuning.RowGroup - 1) / PulseTuning.RowGroup);
        int per = (Rows + parts - 1) / parts;
        per = (per + PulseTuning.RowGroup - 1) / PulseTuning.RowGroup * PulseTuning.RowGroup;
        parts = (Rows + per - 1) / per;
        for (int p = 0; p < parts; p++)
        {
            _contexts[p].Begin(p * per, Math.Min(Rows, (p + 1) * per));
            _contexts[p].Row.EnsureColumns(Cols);
        }
        if (parts == 1) RunPart(0);
        else _writeWorkerAllocated += WorkerPool.Shared.Run(_runPart, parts);
        for (int p = 0; p < parts; p++)
        {
            var c = _contexts[p];
            Counters.TotalPulses += c.Pulses;
            Counters.ClippedPulses += c.Clipped;
            for (int a = 0; a < _cellArrays.Length; a++)
            {
                _cellArrays[a].Counters.TotalPulses += c.CellPulses[a];
                _cellArrays[a].Counters.ClippedPulses += c.CellClipped[a];
            }
        }
    }

    // Whether a write of the pass runs ConstantStep's fused blocks (CrossbarTile.ConstantStep.cs), which count pulses in
    // the counters' pending float lanes.
    private bool UsesFusedBlocks(int writes)
    {
        if (_constantStep is null) return false;
        for (int w = 0; w < writes; w++)
        {
            var write = _pass[w];
            if (write.HasPulses && write.Step == PulsedStep.Stochastic && write.Words == 1 && !write.Sparse) return true;
        }
        return false;
    }

    private void RunPart(int part)
    {
        var context = _contexts[part];
        // A single write has nothing to keep in cache between writes: its part in one piece (fewer, longer mask runs).
        int block = _passWrites == 1 ? context.End - context.First : _rowsPerBlock;
        for (int first = context.First; first < context.End; first += block)
        {
            int end = Math.Min(context.End, first + block);
            for (int w = 0; w < _passWrites; w++)
            {
                var write = _pass[w];
                if (!write.HasPulses) continue;
                context.StartWrite(write.Number);
                switch (write.Step)
                {
                    case PulsedStep.Stochastic: StochasticRows(context, write, first, end); break;
                    case PulsedStep.Deterministic: ImplicitRows(context, write, first, end, stochastic: false); break;
                    case PulsedStep.Rounded: ImplicitRows(context, write, first, end, stochastic: true); break;
                    default: DenseRows(context, first, end); break;
                }
            }
        }
    }

    // Implicit pulse counts, BL p_x p_d per device: rounded to nearest (DeterministicImplicit) or stochastically
    // (ImplicitStochasticRound, one uniform per device with p_x > 0 from the row's stream).
    private void ImplicitRows(PulseContext c, PulseWrite w, int first, int end, bool stochastic)
    {
        int bl = w.Bl;
        for (int i = first; i < end; i++)
        {
            float pd = w.RowProbability[i];
            if (pd == 0) continue;
            EnterRow(c, i, 0);
            int rowDir = w.RowDirection[i];
            int row = i * Cols;
            for (int j = 0; j < Cols; j++)
            {
                float px = w.ColProbability[j];
                if (px == 0) continue;
                int n = stochastic ? StochasticCount(bl, px, pd, c.Random.NextUniform()) : DeterministicCount(bl, px, pd);
                if (n != 0) ApplyPulses(row, j, n, rowDir * w.ColSign[j], c, now: false);
            }
            FinishRow(row, c);
        }
    }

    // The block's own row masks (their draws are keyed by row), then their coincidences with the firing columns.
    private void StochasticRows(PulseContext c, PulseWrite w, int first, int end)
    {
        int bl = w.Bl, words = w.Words, lines = end - first;
        int padded = PulseMasks.PaddedLines(lines);
        c.EnsureDraws(MaskDraws(padded, bl));
        var draws = c.Draws.AsSpan(0, MaskDraws(padded, bl));
        Philox4x32.FillSlotMajor(_rowMaskKey, w.Number, (uint)first, padded, bl, draws);
        PulseMasks.Build(draws, w.RowThreshold.AsSpan(first, padded), lines, bl, _rowMasks.AsSpan(first * words, lines * words));

        var firingCols = w.FiringCols.AsSpan(0, w.Firing);
        if (words == 1 && _constantStep is not null)
        {
            if (w.Sparse) CoincideConstantStepSparse(c, w, first, end);
            else CoincideConstantStep(c, w, first, end);
        }
        else if (words == 1) CoincideSingleWord(c, w, first, end, firingCols);
        else CoincideMultiWord(c, w, first, end, firingCols, words);
    }

    // Rows draw their Gaussians and uniforms from the keyed stream of their row group (PulseTuning.RowGroup rows; row
    // blocks never split a group), in row-major device order: a row that needs a few draws does not pay for a refill of its own. The
    // previous group's count sizes the first refill (groups of a write draw alike; the values do not depend on it).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EnterRow(PulseContext c, int row, int expectedUniforms)
    {
        int group = row / PulseTuning.RowGroup;
        if (group == c.Group) return;
        if (c.Group >= 0) c.LastGroupGaussians = c.Random.GaussiansDrawn;
        c.Group = group;
        c.Random.Seek((uint)group, c.Write, c.LastGroupGaussians, expectedUniforms);
    }

    // Devices in row-major order, each once, with its pulse count (firing columns only: the others get none).
    private void CoincideSingleWord(PulseContext c, PulseWrite w, int first, int end, ReadOnlySpan<int> firingCols)
    {
        if (firingCols.IsEmpty) return;
        // A device array that applies rows of counts takes each row's counts in one call (the same records as
        // ApplyPulses one device at a time, with its running offsets in registers).
        bool wholeRows = _array is not null && !w.Sparse;
        ref ulong cols = ref MemoryMarshal.GetArrayDataReference(w.ColMasks);
        ref sbyte signs = ref MemoryMarshal.GetArrayDataReference(w.ColSign);
        for (int i = first; i < end; i++)
        {
            ulong rowMask = _rowMasks[i];
            if (rowMask == 0) continue;
            EnterRow(c, i, 0);
            int rowDir = w.RowDirection[i];
            int row = i * Cols;
            if (wholeRows)
                c.Pulses += _array!.CountSingleWordRow(c.Row, rowMask, rowDir, w.ColMasks, w.ColSign, firingCols, Counters.PulsesPerDeviceArray.AsSpan(row, Cols));
            else
                foreach (int j in firingCols)
                {
                    int n = BitOperations.PopCount(rowMask & Unsafe.Add(ref cols, j));
                    if (n != 0) ApplyPulses(row, j, n, rowDir * Unsafe.Add(ref signs, j), c, w.Sparse);
                }
            FinishRow(row, c);
        }
    }

    private void CoincideMultiWord(PulseContext c, PulseWrite w, int first, int end, ReadOnlySpan<int> firingCols, int words)
    {
        if (firingCols.IsEmpty) return;
        for (int i = first; i < end; i++)
        {
            var rowMask = _rowMasks.AsSpan(i * words, words);
            if (!rowMask.ContainsAnyExcept(0UL)) continue;
            EnterRow(c, i, 0);
            int rowDir = w.RowDirection[i];
            int row = i * Cols;
            foreach (int j in firingCols)
            {
                var colMask = w.ColMasks.AsSpan(j * words, words);
                int n = 0;
                for (int t = 0; t < words; t++) n += BitOperations.PopCount(rowMask[t] & colMask[t]);
                if (n != 0) ApplyPulses(row, j, n, rowDir * w.ColSign[j], c, w.Sparse);
            }
            FinishRow(row, c);
        }
    }

    private unsafe void DenseRows(PulseContext c, int first, int end)
    {
        double cap = _denseCap, inverseStep = _inverseStep;
        bool stochastic = _denseStochastic;
        for (int r = first; r < end; r++)
        {
            float* gr = _denseG + (long)r * _denseStride;
            EnterRow(c, r, stochastic ? PulseTuning.RowGroup * Cols : 0);
            for (int j = 0; j < Cols; j++)
            {
                double v = (double)_denseLr * gr[j];
                if (v == 0) continue;
                double count = Math.Min(Math.Abs(v) * inverseStep, cap);
                int n;
                if (!stochastic) n = (int)Math.Floor(count + 0.5);
                else
                {
                    double whole = Math.Floor(count);
                    n = (int)whole + (c.Random.NextUniform() < count - whole ? 1 : 0);
                }
                if (n != 0) ApplyPulses(r * Cols, j, n, v > 0 ? -1 : 1, c, now: false);
            }
            FinishRow(r * Cols, c);
        }
    }

    // n pulses of one direction on device (row, column j), drawn from the row's stream: the row's count for the
    // device array's kernel (FinishRow), or at once (`now`: a sparse write's few devices); a unit cell routes them to
    // one of its devices (a transfer compound to its fast device).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ApplyPulses(int row, int j, int n, int direction, PulseContext c, bool now)
    {
        int k = row + j;
        Counters.PulsesPerDeviceArray[k] += n;
        c.Pulses += n;
        if (_array is not null)
        {
            if (now) c.Clipped += _array.ApplyNow(k, n, direction, c.Random);
            else _array.Count(c.Row, j, n, direction);
        }
        else if (_pair is not null) c.Clipped += _pair.ApplyPulses(k, n, direction, _weights, c);
        else c.Clipped += _transfer!.ApplyPulses(k, n, direction, _weights, c);
    }

    // A device array applies the row's counts once they are all in (the row's uniforms are drawn by then; its
    // Gaussians come after, from the same row stream).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FinishRow(int row, PulseContext c)
    {
        if (_array is not null) c.Clipped += _array.ApplyRow(row, Cols, c.Row, c.Random);
    }

    /// <summary>n pulses in <paramref name="direction"/> on device k of a unit cell's device array, drawn from the cell's
    /// row stream; returns the clipped pulses (the caller adds the sums to this array's counters).</summary>
    internal long PulseDevice(int k, int n, int direction, PulseContext c)
    {
        Counters.PulsesPerDeviceArray[k] += n;
        return _array!.ApplyNow(k, n, direction, c.Random);
    }
}

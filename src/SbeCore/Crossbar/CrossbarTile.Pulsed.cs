using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

// The pulsed write path: turning W -= lr d x^T (or a dense W -= lr G) into per-device pulse counts and
// applying them through the device model. Arguments are validated by the public members before this runs.
// Every random number of a write is keyed by (tile seed, write counter, line, position) (docs/crossbar.md), so the
// rows can be split into blocks that run on any thread in any order and give the same bits.
public sealed partial class CrossbarTile
{
    private ulong[] _rowMasks = [];
    private ulong[] _colMasks = [];
    private uint[] _colDraws = [];
    private float[] _rowProbability = [];
    private float[] _colProbability = [];
    private uint[] _rowThreshold = [];
    private uint[] _colThreshold = [];
    private sbyte[] _colSign = [];
    private sbyte[] _rowDirection = []; // -sign(lr) sign(d_i) of the write in flight
    // Columns whose pulse train is not empty in the current write, ascending: the coincidence loops visit only these
    // (a training write fires few columns; the others cannot get pulses).
    private int[] _firingCols = [];
    private int _firing;

    // Keys of the column masks' and row masks' draws; the rows' Gaussians and uniforms are keyed in the contexts.
    private ulong _colMaskKey, _rowMaskKey;
    private ulong _writes;             // pulsed writes so far: the write number every keyed draw carries (saved)
    private PulseContext[] _contexts = [];
    private Action<int> _runPart = null!;
    private int _threads = 1;

    // The write in flight, in fields so that the row blocks on other threads read it.
    private PulsedStep _step;
    private int _bl, _words;
    private unsafe float* _denseG;
    private int _denseStride;
    private float _denseLr;
    private double _denseCap, _inverseStep;
    private bool _denseStochastic;
    // A sparse stochastic write's few devices take their pulses at once rather than through the row's counts.
    private bool _applyNow;

    private enum PulsedStep { Stochastic, Deterministic, Rounded, Dense }

    /// <summary>Pulse-train length of the last pulsed rank-1 write (diagnostics and tests).</summary>
    internal int LastBl { get; private set; }

    /// <summary>Largest unclipped row (d side) firing probability of the last pulsed rank-1 write.</summary>
    internal float LastMaxRowProbability { get; private set; }

    /// <summary>Largest unclipped column (x side) firing probability of the last pulsed rank-1 write.</summary>
    internal float LastMaxColProbability { get; private set; }

    /// <summary>
    /// Threads the tile's work may split over (default 1, at most 64): a pulsed write by rows, a batched read by rows
    /// (forward) or columns (backward; with an I/O model, its matrix product), an ideal dense write and a mini-batch rule's
    /// gradient by rows. Results are bit-identical for every value: each row of a write draws its own random numbers, and
    /// each output of a read runs the same operations on any thread. Work is split only when every thread gets at least
    /// 65536 device visits (rows times firing columns) of a write, or 2^22 multiply-adds of a read or gradient; below
    /// that, waking a thread costs more than it saves.
    /// </summary>
    public int Threads
    {
        get => _threads;
        set
        {
            CheckThreads(value);
            EnsureContexts(value);
            _threads = value;
        }
    }

    /// <summary>Refuses a thread count outside 1 to <see cref="WorkerPool.MaxParts"/>.</summary>
    internal static void CheckThreads(int threads)
    {
        if (threads < 1 || threads > WorkerPool.MaxParts)
            throw new ArgumentException($"Threads is {threads}; it must be 1 to {WorkerPool.MaxParts}.", nameof(threads));
    }

    /// <summary>Tests: device visits per thread below which a write is not split (<see cref="PulseTuning.MinVisitsPerThread"/>).</summary>
    internal long MinVisitsPerThread { get; set; } = PulseTuning.MinVisitsPerThread;

    /// <summary>Bytes worker threads allocated running this tile's writes, reads and gradients (tests: steady state
    /// allocates nothing, whatever other tiles run on the shared pool meanwhile).</summary>
    internal long WorkerAllocatedBytes => _writeWorkerAllocated + Threaded.WorkerAllocatedBytes + _forwardReader.WorkerAllocatedBytes + _backwardReader.WorkerAllocatedBytes;
    private long _writeWorkerAllocated;

    /// <summary>Pulsed writes issued so far (the write number of the keyed draws).</summary>
    internal ulong PulsedWrites => _writes;

    private void AllocatePulseScratch()
    {
        _colMaskKey = DrawKey(Seed, 6);
        _rowMaskKey = DrawKey(Seed, 7);
        _runPart = RunPart;
        _rowProbability = new float[Rows];
        _colProbability = new float[Cols];
        _rowThreshold = new uint[PulseMasks.PaddedLines(Rows)];
        _colThreshold = new uint[PulseMasks.PaddedLines(Cols)];
        _colSign = new sbyte[Cols];
        _rowDirection = new sbyte[Rows];
        _firingCols = new int[Cols];
        EnsureContexts(1);
        EnsureMaskCapacity(Config.Update.DesiredBl);
    }

    // A key per purpose, mixed (SplitMix64's finaliser) so that nearby seeds give unrelated keys.
    private static ulong DrawKey(ulong seed, ulong purpose)
    {
        ulong z = StreamSeed(seed, purpose);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private void EnsureContexts(int count)
    {
        if (_contexts.Length >= count) return;
        var grown = new PulseContext[count];
        _contexts.CopyTo(grown, 0);
        for (int c = _contexts.Length; c < count; c++) grown[c] = new PulseContext(DrawKey(Seed, 8), DrawKey(Seed, 9));
        _contexts = grown;
    }

    private void EnsureMaskCapacity(int bl)
    {
        int words = PulseMasks.WordsPerLine(bl);
        if (_rowMasks.Length < Rows * words) _rowMasks = new ulong[Rows * words];
        if (_colMasks.Length < Cols * words) _colMasks = new ulong[Cols * words];
        int draws = MaskDraws(PulseMasks.PaddedLines(Cols), bl);
        if (_colDraws.Length < draws) _colDraws = new uint[draws];
    }

    // Slot-major draws of `padded` lines.
    private static int MaskDraws(int padded, int bl) => padded * bl;

    // Exact float update (pulse type None or an ideal device), then clip to the device bounds.
    private void ApplyExactRankOne(float lr, ReadOnlySpan<float> d, ReadOnlySpan<float> x)
    {
        if (_isIdeal)
        {
            Blas.Ger(-lr, d, x, _weights, Rows, Cols, Cols);
            return;
        }
        for (int i = 0; i < Rows; i++)
        {
            float a = -lr * d[i];
            if (a == 0) continue;
            int row = i * Cols;
            for (int j = 0; j < Cols; j++) SetClipped(row + j, HiddenWeight(row + j) + a * x[j]);
        }
    }

    private void SetClipped(int k, float w)
    {
        if (w > _wMax[k]) { w = _wMax[k]; Counters.ClippedPulses++; }
        else if (w < _wMin[k]) { w = _wMin[k]; Counters.ClippedPulses++; }
        WriteHidden(k, w);
    }

    private void ApplyPulsedRankOne(float lr, ReadOnlySpan<float> d, ReadOnlySpan<float> x)
    {
        var up = Config.Update;
        float xMax = SimdReduce.AbsMax(x), dMax = SimdReduce.AbsMax(d);
        LastBl = 0; LastMaxRowProbability = 0; LastMaxColProbability = 0;
        _writes++;
        if (lr == 0 || xMax == 0 || dMax == 0) return;

        int bl = PulseTrainScaling.Compute(up, MathF.Abs(lr), xMax, dMax, _device.WeightGranularity, out float a, out float b);
        if (bl == 0) return;
        LastBl = bl;
        LastMaxRowProbability = a * dMax;
        LastMaxColProbability = b * xMax;

        int lrSign = lr > 0 ? 1 : -1;
        for (int j = 0; j < Cols; j++)
        {
            _colProbability[j] = MathF.Min(b * MathF.Abs(x[j]), 1f);
            _colThreshold[j] = PulseMasks.Threshold(_colProbability[j]);
            _colSign[j] = SignOf(x[j]);
        }
        for (int i = 0; i < Rows; i++)
        {
            _rowProbability[i] = MathF.Min(a * MathF.Abs(d[i]), 1f);
            _rowThreshold[i] = PulseMasks.Threshold(_rowProbability[i]);
            _rowDirection[i] = (sbyte)(-lrSign * SignOf(d[i]));
        }
        _bl = bl;
        if (up.PulseType == PulseType.DeterministicImplicit) RunRows(PulsedStep.Deterministic, (long)Rows * Cols);
        else if (up.PulseType == PulseType.ImplicitStochasticRound) RunRows(PulsedStep.Rounded, (long)Rows * Cols);
        else
        {
            BuildColumnMasks(bl);
            RunRows(PulsedStep.Stochastic, (long)Rows * _firing);
        }
    }

    // Math.Sign of a finite float (the inputs are checked), branch-free and inlined: Math.Sign(float) is a call that
    // also tests for NaN, 8 % of a training write's time (measured).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static sbyte SignOf(float v) => (sbyte)((v > 0 ? 1 : 0) - (v < 0 ? 1 : 0));

    /// <summary>round(BL p_x p_d), half away from zero, computed in double.</summary>
    internal static int DeterministicCount(int bl, float px, float pd) => (int)Math.Floor((double)bl * px * pd + 0.5);

    /// <summary>ImplicitStochasticRound: floor(BL p_x p_d) plus 1 when <paramref name="uniform"/> (in [0, 1)) is below the
    /// fractional part, in double, so small counts survive on average (round to nearest drops every count below 1/2).</summary>
    internal static int StochasticCount(int bl, float px, float pd, double uniform)
    {
        double count = (double)bl * px * pd;
        double whole = Math.Floor(count);
        return (int)whole + (uniform < count - whole ? 1 : 0);
    }

    // The columns' masks (shared by every row block, so built once, on the caller) and the firing columns.
    private void BuildColumnMasks(int bl)
    {
        EnsureMaskCapacity(bl);
        int words = _words = PulseMasks.WordsPerLine(bl);
        int padded = PulseMasks.PaddedLines(Cols);
        var draws = _colDraws.AsSpan(0, MaskDraws(padded, bl));
        Philox4x32.FillSlotMajor(_colMaskKey, _writes, 0, padded, bl, draws);
        PulseMasks.Build(draws, _colThreshold, Cols, bl, _colMasks);
        int firing = 0;
        if (words == 1)
        {
            for (int j = 0; j < Cols; j++)
                if (_colMasks[j] != 0) _firingCols[firing++] = j;
        }
        else
        {
            for (int j = 0; j < Cols; j++)
                if (_colMasks.AsSpan(j * words, words).ContainsAnyExcept(0UL)) _firingCols[firing++] = j;
        }
        _firing = firing;
        if (words == 1 && _constantStep is not null && !IsSparse(firing)) ListActiveBlocks();
        _applyNow = IsSparse(firing);
    }

    // Splits the rows into blocks of whole row groups over as many threads as the work pays for, runs
    // them, then adds the blocks' counter sums to the counters.
    private void RunRows(PulsedStep step, long visits)
    {
        _step = step;
        if (step != PulsedStep.Stochastic) _applyNow = false;
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

    private void RunPart(int part)
    {
        var context = _contexts[part];
        switch (_step)
        {
            case PulsedStep.Stochastic: StochasticRows(context); break;
            case PulsedStep.Deterministic: ImplicitRows(context, stochastic: false); break;
            case PulsedStep.Rounded: ImplicitRows(context, stochastic: true); break;
            default: DenseRows(context); break;
        }
    }

    // Implicit pulse counts, BL p_x p_d per device: rounded to nearest (DeterministicImplicit) or stochastically
    // (ImplicitStochasticRound, one uniform per device with p_x > 0 from the row's stream).
    private void ImplicitRows(PulseContext c, bool stochastic)
    {
        int bl = _bl;
        for (int i = c.First; i < c.End; i++)
        {
            float pd = _rowProbability[i];
            if (pd == 0) continue;
            EnterRow(c, i, 0);
            int rowDir = _rowDirection[i];
            int row = i * Cols;
            for (int j = 0; j < Cols; j++)
            {
                float px = _colProbability[j];
                if (px == 0) continue;
                int n = stochastic ? StochasticCount(bl, px, pd, c.Random.NextUniform()) : DeterministicCount(bl, px, pd);
                if (n != 0) ApplyPulses(row, j, n, rowDir * _colSign[j], c);
            }
            FinishRow(row, c);
        }
    }

    // A row block's own masks (its rows' draws are keyed by row), then its coincidences with the firing columns.
    private void StochasticRows(PulseContext c)
    {
        int bl = _bl, words = _words, lines = c.End - c.First;
        int padded = PulseMasks.PaddedLines(lines);
        c.EnsureDraws(MaskDraws(padded, bl));
        var draws = c.Draws.AsSpan(0, MaskDraws(padded, bl));
        Philox4x32.FillSlotMajor(_rowMaskKey, _writes, (uint)c.First, padded, bl, draws);
        PulseMasks.Build(draws, _rowThreshold.AsSpan(c.First, padded), lines, bl, _rowMasks.AsSpan(c.First * words, lines * words));

        var firingCols = _firingCols.AsSpan(0, _firing);
        if (words == 1 && _constantStep is not null)
        {
            if (IsSparse(_firing)) CoincideConstantStepSparse(c, firingCols);
            else CoincideConstantStep(c);
        }
        else if (words == 1) CoincideSingleWord(c, firingCols);
        else CoincideMultiWord(c, firingCols, words);
    }

    // Rows draw their Gaussians and uniforms from the keyed stream of their row group (PulseTuning.RowGroup rows; row
    // blocks never split a group), in row-major device order: a row that needs a few draws does not pay for a refill of its own. The
    // previous group's count sizes the first refill (groups of a write draw alike; the values do not depend on it).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnterRow(PulseContext c, int row, int expectedUniforms)
    {
        int group = row / PulseTuning.RowGroup;
        if (group == c.Group) return;
        if (c.Group >= 0) c.LastGroupGaussians = c.Random.GaussiansDrawn;
        c.Group = group;
        c.Random.Seek((uint)group, _writes, c.LastGroupGaussians, expectedUniforms);
    }

    /// <summary>Tests and tuning: the one-by-one ConstantStep path runs when firing columns * this &lt;= Cols
    /// (<see cref="PulseTuning.SparseColumnRatio"/>; 0: always, int.MaxValue: only when none fires). Both paths give the same bits.</summary>
    internal int SparseColumnRatio { get; set; } = PulseTuning.SparseColumnRatio;

    private bool IsSparse(int firingColumns) => firingColumns == 0 || (long)firingColumns * SparseColumnRatio <= Cols;

    // Devices in row-major order, each once, with its pulse count (firing columns only: the others get none).
    private void CoincideSingleWord(PulseContext c, ReadOnlySpan<int> firingCols)
    {
        if (firingCols.IsEmpty) return;
        ref ulong cols = ref MemoryMarshal.GetArrayDataReference(_colMasks);
        ref sbyte signs = ref MemoryMarshal.GetArrayDataReference(_colSign);
        for (int i = c.First; i < c.End; i++)
        {
            ulong rowMask = _rowMasks[i];
            if (rowMask == 0) continue;
            EnterRow(c, i, 0);
            int rowDir = _rowDirection[i];
            int row = i * Cols;
            foreach (int j in firingCols)
            {
                int n = BitOperations.PopCount(rowMask & Unsafe.Add(ref cols, j));
                if (n != 0) ApplyPulses(row, j, n, rowDir * Unsafe.Add(ref signs, j), c);
            }
            FinishRow(row, c);
        }
    }

    private void CoincideMultiWord(PulseContext c, ReadOnlySpan<int> firingCols, int words)
    {
        if (firingCols.IsEmpty) return;
        for (int i = c.First; i < c.End; i++)
        {
            var rowMask = _rowMasks.AsSpan(i * words, words);
            if (!rowMask.ContainsAnyExcept(0UL)) continue;
            EnterRow(c, i, 0);
            int rowDir = _rowDirection[i];
            int row = i * Cols;
            foreach (int j in firingCols)
            {
                var colMask = _colMasks.AsSpan(j * words, words);
                int n = 0;
                for (int w = 0; w < words; w++) n += BitOperations.PopCount(rowMask[w] & colMask[w]);
                if (n != 0) ApplyPulses(row, j, n, rowDir * _colSign[j], c);
            }
            FinishRow(row, c);
        }
    }

    // Dense write: device ij gets |lr g_ij| / granularity pulses, rounded stochastically (StochasticCompressed)
    // or to nearest (DeterministicImplicit); at most max(1, rankOneEquivalent) * BL per device, what that
    // many rank-1 writes of at most BL coincidences each could deliver.
    // g: row r at g[r * stride]; each row draws its uniforms in column order, so the draws do not depend on stride.
    private unsafe void ApplyDense(float lr, ReadOnlySpan<float> g, int stride, long rankOneEquivalent)
    {
        var type = Config.Update.PulseType;
        if (_isIdeal)
        {
            Threaded.AddScaled(-lr, g, stride, _weights, Rows, Cols, Cols, _threads);
            return;
        }
        if (type == PulseType.None)
        {
            for (int r = 0; r < Rows; r++)
            {
                ReadOnlySpan<float> gr = g.Slice(r * stride, Cols);
                for (int j = 0; j < Cols; j++) SetClipped(r * Cols + j, HiddenWeight(r * Cols + j) - lr * gr[j]);
            }
            return;
        }
        _writes++;
        _inverseStep = 1.0 / _device.WeightGranularity;
        var up = Config.Update;
        int maxBl = !up.FixedBl && !up.UpdateBlManagement ? UpdateConfig.MaxBl : up.DesiredBl;
        _denseCap = Math.Min((double)Math.Max(1, rankOneEquivalent) * maxBl, MaxDensePulses);
        _denseLr = lr; _denseStride = stride;
        _denseStochastic = type != PulseType.DeterministicImplicit;
        fixed (float* p = g)
        {
            _denseG = p;
            try { RunRows(PulsedStep.Dense, (long)Rows * Cols); }
            finally { _denseG = null; }
        }
    }

    /// <summary>Most pulses a dense write gives one device: 2^24, the largest count a row's float count buffer holds
    /// exactly (every device model is far past its bounds long before: 2^24 steps of even 1e-6).</summary>
    internal const double MaxDensePulses = 1 << 24;

    private unsafe void DenseRows(PulseContext c)
    {
        double cap = _denseCap, inverseStep = _inverseStep;
        bool stochastic = _denseStochastic;
        for (int r = c.First; r < c.End; r++)
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
                if (n != 0) ApplyPulses(r * Cols, j, n, v > 0 ? -1 : 1, c);
            }
            FinishRow(r * Cols, c);
        }
    }

    // n pulses of one direction on device (row, column j), drawn from the row's stream: the row's count for the
    // device array's kernel (FinishRow), or a unit cell routes them to one of its devices (a transfer compound to its
    // fast device).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ApplyPulses(int row, int j, int n, int direction, PulseContext c)
    {
        int k = row + j;
        Counters.PulsesPerDeviceArray[k] += n;
        c.Pulses += n;
        if (_array is not null)
        {
            if (_applyNow) c.Clipped += _array.ApplyNow(k, n, direction, c.Random);
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

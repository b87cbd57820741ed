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
    private ulong[] _rowMasks = [];    // the row masks of the rows being written, row i at i * Words of its write
    private uint[] _colDraws = [];
    private uint[] _colThreshold = [];

    // Keys of the column masks' and row masks' draws; the rows' Gaussians and uniforms are keyed in the contexts.
    private ulong _colMaskKey, _rowMaskKey;
    private ulong _writes;             // pulsed writes so far: the write number every keyed draw carries (saved)
    private PulseContext[] _contexts = [];
    private Action<int> _runPart = null!;
    private int _threads = 1;

    // The writes in flight (prepared before any row runs; the row blocks on other threads read them) and how many.
    private PulseWrite[] _pass = [];
    private int _passWrites;
    private unsafe float* _denseG;
    private int _denseStride;
    private float _denseLr;
    private double _denseCap, _inverseStep;
    private bool _denseStochastic;

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

    /// <summary>Rough cost of one device in a training step's rank-1 write, for a schedule comparing work (Zen 4, one
    /// thread): an ideal device's exact add about 0.05 ns; a pulsed write about 0.2 ns (MNIST-like training writes at
    /// 100x785: 0.18 ns; a dense worst case, every device pulsed, 2.3 ns).</summary>
    internal double WriteNanosecondsPerDevice => _isIdeal ? 0.05 : 0.2;

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
        if (_constantStep is not null) Counters.AllocatePending(); // the fused blocks count pulses there
        _colThreshold = new uint[PulseMasks.PaddedLines(Cols)];
        EnsureContexts(1);
        EnsurePass(1); // every buffer sized for the longest pulse train: a longer train seen late in training allocates nothing
    }

    // A key per purpose, mixed (SplitMix64's finaliser) so that nearby seeds give unrelated keys.
    private static ulong DrawKey(ulong seed, ulong purpose)
    {
        ulong z = StreamSeed(seed, purpose);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // The longest train a write can take (PulseTrainScaling): desired_bl, unless neither fixed_bl nor BL management caps it.
    private int LongestTrain => !Config.Update.FixedBl && !Config.Update.UpdateBlManagement ? UpdateConfig.MaxBl : Config.Update.DesiredBl;

    private void EnsureContexts(int count)
    {
        if (_contexts.Length >= count) return;
        var grown = new PulseContext[count];
        _contexts.CopyTo(grown, 0);
        for (int c = _contexts.Length; c < count; c++)
        {
            grown[c] = new PulseContext(DrawKey(Seed, 8), DrawKey(Seed, 9));
            // Any row block's mask draws and a row's Gaussians (a pulse each, a write-noise draw per device) at the longest
            // train, so a longer train than any before allocates nothing (the Gaussians up to 4 MB; beyond, and a dense
            // write's longer counts, grow once to the largest row).
            grown[c].EnsureDraws(MaskDraws(PulseMasks.PaddedLines(Rows), LongestTrain));
            grown[c].Row.EnsureColumns(Cols);
            grown[c].Row.EnsureGaussians((int)Math.Min((long)Cols * (LongestTrain + 1), 1 << 20));
        }
        _contexts = grown;
    }

    // Prepared writes for a pass of `count` (allocated once, kept).
    private void EnsurePass(int count)
    {
        if (_pass.Length >= count) return;
        var grown = new PulseWrite[count];
        _pass.CopyTo(grown, 0);
        for (int w = _pass.Length; w < count; w++)
        {
            grown[w] = new PulseWrite(Rows, Cols, _constantStep is not null);
            EnsureMaskCapacity(grown[w], LongestTrain);
        }
        _pass = grown;
    }

    private void EnsureMaskCapacity(PulseWrite write, int bl)
    {
        int words = PulseMasks.WordsPerLine(bl);
        if (_rowMasks.Length < Rows * words) _rowMasks = new ulong[Rows * words];
        write.EnsureColumnMasks(Cols, words);
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
        var write = _pass[0];
        write.Number = ++_writes;
        write.Step = PulsedStep.Dense;
        write.Sparse = false;
        _inverseStep = 1.0 / _device.WeightGranularity;
        var up = Config.Update;
        int maxBl = !up.FixedBl && !up.UpdateBlManagement ? UpdateConfig.MaxBl : up.DesiredBl;
        _denseCap = Math.Min((double)Math.Max(1, rankOneEquivalent) * maxBl, MaxDensePulses);
        _denseLr = lr; _denseStride = stride;
        _denseStochastic = type != PulseType.DeterministicImplicit;
        fixed (float* p = g)
        {
            _denseG = p;
            try { RunRows(1, (long)Rows * Cols); }
            finally { _denseG = null; }
        }
    }

    /// <summary>Most pulses a dense write gives one device: 2^24, the largest count a row's float count buffer holds
    /// exactly (every device model is far past its bounds long before: 2^24 steps of even 1e-6).</summary>
    internal const double MaxDensePulses = 1 << 24;
}

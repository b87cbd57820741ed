using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SbeCore.Crossbar;

// The pulsed write path: turning W -= lr d x^T (or a dense W -= lr G) into per-device pulse counts and
// applying them through the device model. Arguments are validated by the public members before this runs.
public sealed partial class CrossbarTile
{
    private ulong[] _draws = [];
    private ulong[] _rowMasks = [];
    private ulong[] _colMasks = [];
    private float[] _rowProbability = [];
    private float[] _colProbability = [];
    private uint[] _rowThreshold = [];
    private uint[] _colThreshold = [];
    private sbyte[] _colSign = [];
    // Columns whose pulse train is not empty in the current write, ascending: the coincidence loops visit only these
    // (a training write fires few columns; the others cannot get pulses).
    private int[] _firingCols = [];

    /// <summary>Pulse-train length of the last pulsed rank-1 write (diagnostics and tests).</summary>
    internal int LastBl { get; private set; }

    /// <summary>Largest unclipped row (d side) firing probability of the last pulsed rank-1 write.</summary>
    internal float LastMaxRowProbability { get; private set; }

    /// <summary>Largest unclipped column (x side) firing probability of the last pulsed rank-1 write.</summary>
    internal float LastMaxColProbability { get; private set; }

    private void AllocatePulseScratch()
    {
        _rowProbability = new float[Rows];
        _colProbability = new float[Cols];
        _rowThreshold = new uint[PulseMasks.PaddedLines(Rows)];
        _colThreshold = new uint[PulseMasks.PaddedLines(Cols)];
        _colSign = new sbyte[Cols];
        _firingCols = new int[Cols];
        EnsureMaskCapacity(Config.Update.DesiredBl);
    }

    private void EnsureMaskCapacity(int bl)
    {
        int words = PulseMasks.WordsPerLine(bl);
        if (_rowMasks.Length < Rows * words) _rowMasks = new ulong[Rows * words];
        if (_colMasks.Length < Cols * words) _colMasks = new ulong[Cols * words];
        int draws = DrawWords(bl);
        if (_draws.Length < draws) _draws = new ulong[draws];
    }

    // Columns' draws first, then rows' (each slot-major, PulseMasks); whole blocks of 8 words for the lane generator.
    private int DrawWords(int bl)
    {
        long uints = (long)PulseMasks.Draws(Cols, bl) + PulseMasks.Draws(Rows, bl);
        long words = (uints + 1) / 2;
        return (int)((words + 7) & ~7L);
    }

    // Exact float update (pulse type None or an ideal device), then clip to the device bounds.
    private void ApplyExactRankOne(float lr, ReadOnlySpan<float> d, ReadOnlySpan<float> x)
    {
        if (_isIdeal)
        {
            Kernels.Blas.Ger(-lr, d, x, _weights, Rows, Cols, Cols);
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
        float xMax = Kernels.SimdReduce.AbsMax(x), dMax = Kernels.SimdReduce.AbsMax(d);
        LastBl = 0; LastMaxRowProbability = 0; LastMaxColProbability = 0;
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
            _colSign[j] = (sbyte)Math.Sign(x[j]);
        }
        for (int i = 0; i < Rows; i++)
        {
            _rowProbability[i] = MathF.Min(a * MathF.Abs(d[i]), 1f);
            _rowThreshold[i] = PulseMasks.Threshold(_rowProbability[i]);
        }

        if (up.PulseType == PulseType.DeterministicImplicit) ApplyDeterministic(bl, lrSign, d);
        else if (up.PulseType == PulseType.ImplicitStochasticRound) ApplyImplicitRounded(bl, lrSign, d);
        else ApplyStochastic(bl, lrSign, d);
    }

    private void ApplyDeterministic(int bl, int lrSign, ReadOnlySpan<float> d)
    {
        for (int i = 0; i < Rows; i++)
        {
            float pd = _rowProbability[i];
            if (pd == 0) continue;
            int rowDir = -lrSign * Math.Sign(d[i]);
            int row = i * Cols;
            for (int j = 0; j < Cols; j++)
            {
                int n = DeterministicCount(bl, _colProbability[j], pd);
                if (n != 0) ApplyPulses(row + j, n, rowDir * _colSign[j]);
            }
        }
    }

    /// <summary>round(BL p_x p_d), half away from zero, computed in double.</summary>
    internal static int DeterministicCount(int bl, float px, float pd) => (int)Math.Floor((double)bl * px * pd + 0.5);

    private void ApplyStochastic(int bl, int lrSign, ReadOnlySpan<float> d)
    {
        EnsureMaskCapacity(bl);
        int words = PulseMasks.WordsPerLine(bl);
        var drawWords = _draws.AsSpan(0, DrawWords(bl));
        _updateRandom.Lanes.Fill(drawWords);
        var draws = MemoryMarshal.Cast<ulong, uint>(drawWords);
        int colDraws = PulseMasks.Draws(Cols, bl);
        PulseMasks.Build(draws.Slice(0, colDraws), _colThreshold, Cols, bl, _colMasks);
        PulseMasks.Build(draws.Slice(colDraws, PulseMasks.Draws(Rows, bl)), _rowThreshold, Rows, bl, _rowMasks);
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

        var firingCols = _firingCols.AsSpan(0, firing);
        if (words == 1 && _constantStepStd >= 0)
        {
            if (IsSparse(firing)) CoincideConstantStepSparse(firingCols, lrSign, d);
            else CoincideConstantStep(lrSign, d);
        }
        else if (words == 1) CoincideSingleWord(firingCols, lrSign, d);
        else CoincideMultiWord(firingCols, words, lrSign, d);
    }

    // Few firing columns (a training write: sparse inputs, small errors): visiting them one by one beats the 16-wide
    // ConstantStep blocks, which pay for every column of a block that holds one firing column. Measured on Zen 4
    // (100x785, MNIST-like x and d): the crossover is near one firing column in eight.
    private bool IsSparse(int firingColumns) => firingColumns * 8 <= Cols;

    // Devices in row-major order, each once, with its pulse count (firing columns only: the others get none).
    private void CoincideSingleWord(ReadOnlySpan<int> firingCols, int lrSign, ReadOnlySpan<float> d)
    {
        ref ulong cols = ref MemoryMarshal.GetArrayDataReference(_colMasks);
        ref sbyte signs = ref MemoryMarshal.GetArrayDataReference(_colSign);
        for (int i = 0; i < Rows; i++)
        {
            ulong rowMask = _rowMasks[i];
            if (rowMask == 0) continue;
            int rowDir = -lrSign * Math.Sign(d[i]);
            int row = i * Cols;
            foreach (int j in firingCols)
            {
                int n = BitOperations.PopCount(rowMask & Unsafe.Add(ref cols, j));
                if (n != 0) ApplyPulses(row + j, n, rowDir * Unsafe.Add(ref signs, j));
            }
        }
    }

    private void CoincideMultiWord(ReadOnlySpan<int> firingCols, int words, int lrSign, ReadOnlySpan<float> d)
    {
        for (int i = 0; i < Rows; i++)
        {
            var rowMask = _rowMasks.AsSpan(i * words, words);
            int rowDir = -lrSign * Math.Sign(d[i]);
            int row = i * Cols;
            foreach (int j in firingCols)
            {
                var colMask = _colMasks.AsSpan(j * words, words);
                int n = 0;
                for (int w = 0; w < words; w++) n += BitOperations.PopCount(rowMask[w] & colMask[w]);
                if (n != 0) ApplyPulses(row + j, n, rowDir * _colSign[j]);
            }
        }
    }

    // Dense write: device ij gets |lr g_ij| / granularity pulses, rounded stochastically (StochasticCompressed)
    // or to nearest (DeterministicImplicit); at most max(1, rankOneEquivalent) * BL per device, what that
    // many rank-1 writes of at most BL coincidences each could deliver.
    // g: row r at g[r * stride]; devices are visited in row-major order, so the random draws do not depend on stride.
    private void ApplyDense(float lr, ReadOnlySpan<float> g, int stride, long rankOneEquivalent)
    {
        var type = Config.Update.PulseType;
        if (_isIdeal || type == PulseType.None)
        {
            for (int r = 0; r < Rows; r++)
            {
                ReadOnlySpan<float> gr = g.Slice(r * stride, Cols);
                if (_isIdeal) { Kernels.Blas.Axpy(-lr, gr, _weights.AsSpan(r * Cols, Cols)); continue; }
                for (int j = 0; j < Cols; j++) SetClipped(r * Cols + j, HiddenWeight(r * Cols + j) - lr * gr[j]);
            }
            return;
        }
        double inverseStep = 1.0 / _device.WeightGranularity;
        var up = Config.Update;
        int maxBl = !up.FixedBl && !up.UpdateBlManagement ? UpdateConfig.MaxBl : up.DesiredBl;
        double cap = Math.Min((double)Math.Max(1, rankOneEquivalent) * maxBl, int.MaxValue / 2);
        for (int r = 0; r < Rows; r++)
            for (int j = 0; j < Cols; j++)
            {
                double v = (double)lr * g[r * stride + j];
                if (v == 0) continue;
                double count = Math.Min(Math.Abs(v) * inverseStep, cap);
                int n;
                if (type == PulseType.DeterministicImplicit) n = (int)Math.Floor(count + 0.5);
                else
                {
                    double whole = Math.Floor(count);
                    n = (int)whole + (_updateRandom.NextUniform() < count - whole ? 1 : 0);
                }
                if (n != 0) ApplyPulses(r * Cols + j, n, v > 0 ? -1 : 1);
            }
    }

    // n pulses of one direction on device k. ConstantStep: one aggregated step (see docs/crossbar.md);
    // a unit cell routes them to one of its devices; other models go pulse by pulse, because their step depends on w.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ApplyPulses(int k, int n, int direction)
    {
        Counters.PulsesPerDeviceArray[k] += n;
        Counters.TotalPulses += n;
        if (_constantStepStd >= 0) ApplyConstantStep(k, n, direction);
        else if (_pair is not null) Counters.ClippedPulses += _pair.ApplyPulses(k, n, direction, _weights);
        else ApplyPulseByPulse(k, n, direction);
    }

    private void ApplyConstantStep(int k, int n, int direction)
    {
        float w = _weights[k], std = _constantStepStd;
        float step = _params[2 * k + (direction > 0 ? 0 : 1)];
        float next = w + direction * AggregatedStep(step, n, std, std > 0 ? _updateRandom.NextGaussian() : 0f);
        long clipped = 0;
        ClipOne(k, n, w, step, ref next, ref clipped);
        Counters.ClippedPulses += clipped;
        _weights[k] = next;
    }

    // Pulses of a train of n steps of size step that would overshoot a bound at distance room.
    private static long ClippedCount(int n, float room, float step)
    {
        if (!(step > 0)) return n;
        double fit = Math.Floor(Math.Max(room, 0f) / (double)step);
        return (long)Math.Clamp(n - fit, 0, n);
    }

    // Pulses move the hidden weight; with write noise, what reads see is redrawn once the device is written
    // (aihwkit draws it after every pulse; only the last draw stays visible).
    private void ApplyPulseByPulse(int k, int n, int direction)
    {
        float[] state = _persistent ?? _weights;
        float w = state[k], hi = _wMax[k], lo = _wMin[k];
        var p = _params.AsSpan(k * _parametersPerDevice, _parametersPerDevice);
        long clipped = 0;
        for (int t = 0; t < n; t++)
        {
            float next = _device.Pulse(w, direction, lo, hi, p, _updateRandom);
            if (next > hi) { next = hi; clipped++; }
            else if (next < lo) { next = lo; clipped++; }
            w = next;
        }
        Counters.ClippedPulses += clipped;
        state[k] = w;
        if (_persistent is not null) _weights[k] = w + _writeNoise * _updateRandom.NextGaussian();
    }
}

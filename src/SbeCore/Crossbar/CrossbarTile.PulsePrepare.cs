using System.Runtime.CompilerServices;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

// A rank-1 pulsed write's preparation: everything that does not depend on the weights (write number, pulse train,
// probabilities, thresholds, signs, column masks, firing columns), computed on the caller before any row runs.
public sealed partial class CrossbarTile
{
    /// <summary>Tests and tuning: the one-by-one ConstantStep path runs when firing columns * this &lt;= Cols
    /// (<see cref="PulseTuning.SparseColumnRatio"/>; 0: always, int.MaxValue: only when none fires). Both paths give the same bits.</summary>
    internal int SparseColumnRatio { get; set; } = PulseTuning.SparseColumnRatio;

    private bool IsSparse(int firingColumns) => firingColumns == 0 || (long)firingColumns * SparseColumnRatio <= Cols;

    // Takes the next write number; a write that gives no pulses (lr, x or d zero, BL 0) is left with Bl = 0.
    private void PreparePulsedWrite(PulseWrite w, float lr, ReadOnlySpan<float> d, ReadOnlySpan<float> x)
    {
        var up = Config.Update;
        float xMax = SimdReduce.AbsMax(x), dMax = SimdReduce.AbsMax(d);
        LastBl = 0; LastMaxRowProbability = 0; LastMaxColProbability = 0;
        w.Number = ++_writes;
        w.Bl = 0;
        w.Sparse = false;
        w.Step = PulsedStep.Stochastic; // not Dense, which a slot keeps from a dense write and which has pulses without a train
        if (lr == 0 || xMax == 0 || dMax == 0) return;

        int bl = PulseTrainScaling.Compute(up, MathF.Abs(lr), xMax, dMax, _device.WeightGranularity, out float a, out float b);
        if (bl == 0) return;
        LastBl = bl;
        LastMaxRowProbability = a * dMax;
        LastMaxColProbability = b * xMax;

        int lrSign = lr > 0 ? 1 : -1;
        PulseLines.Prepare(b, x, 1f, w.ColProbability, _colThreshold, w.ColSign, w.ColDirection);
        PulseLines.Prepare(a, d, -lrSign, w.RowProbability, w.RowThreshold, w.RowDirection, default);
        w.Step = up.PulseType switch
        {
            PulseType.DeterministicImplicit => PulsedStep.Deterministic,
            PulseType.ImplicitStochasticRound => PulsedStep.Rounded,
            _ => PulsedStep.Stochastic,
        };
        if (w.Step == PulsedStep.Stochastic) BuildColumnMasks(w, bl);
        w.Bl = bl;
    }

    // Device visits of a prepared write (the thread split's measure of work).
    private long Visits(PulseWrite w) => !w.HasPulses ? 0 : w.Step == PulsedStep.Stochastic ? (long)Rows * w.Firing : (long)Rows * Cols;

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
    private void BuildColumnMasks(PulseWrite w, int bl)
    {
        EnsureMaskCapacity(w, bl);
        int words = w.Words = PulseMasks.WordsPerLine(bl);
        int padded = PulseMasks.PaddedLines(Cols);
        var draws = _colDraws.AsSpan(0, MaskDraws(padded, bl));
        Philox4x32.FillSlotMajor(_colMaskKey, w.Number, 0, padded, bl, draws);
        PulseMasks.Build(draws, _colThreshold, Cols, bl, w.ColMasks);
        w.FindFiringColumns(Cols);
        w.Sparse = IsSparse(w.Firing);
        if (words == 1 && _constantStep is not null && !w.Sparse) w.ListActiveBlocks();
    }
}

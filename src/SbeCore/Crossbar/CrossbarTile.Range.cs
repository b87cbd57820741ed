using SbeCore.Kernels;
using SbeCore.Eigen;

namespace SbeCore.Crossbar;

// Devices with unbounded weights (the ideal device) could be written past float range by a finite but absurd write.
// Such a write is refused before anything changes: the tile keeps an upper bound on max|W| (exact after
// SetWeights, grown by each write's largest possible change) and recomputes it only when a write could cross float
// range, so the check costs O(rows + cols) per rank-1 write.
public sealed partial class CrossbarTile
{
    private double _weightBound; // >= max |W| for an ideal device

    // The largest possible |change| of one weight by the write (0 for bounded devices: nothing to check), after
    // refusing a write that could leave float range (intermediate lr max|d| included).
    private double RankOneChange(float lr, float dMax, float xMax)
    {
        if (!_isIdeal) return 0;
        double factor = Math.Abs((double)lr) * dMax, change = factor * xMax;
        RequireWithinRange(factor, change);
        return change;
    }

    // sMax, dMax, xMax: the batch's largest |s|, |d| and |x|, from the finiteness scans.
    private double RankKChange(float lr, ReadOnlySpan<float> s, ReadOnlySpan<float> d, ReadOnlySpan<float> x, float sMax, float dMax, float xMax)
    {
        if (!_isIdeal) return 0;
        // Many short terms (a conv layer's SGD batch: 56,000 of 6 + 26 floats) first take the bound from the batch's
        // largest |s|, |d| and |x|: when even that keeps float range the exact bound would too (it is smaller), and the
        // weight bound stays an upper bound; otherwise the exact per-term bound decides.
        double looseFactor = Math.Abs((double)lr) * sMax * dMax;
        double looseChange = looseFactor * xMax * s.Length;
        if (looseFactor <= float.MaxValue && _weightBound + looseChange <= float.MaxValue) return looseChange;
        double factor = 0, change = 0;
        for (int c = 0; c < s.Length; c++)
        {
            double f = Math.Abs((double)lr * s[c]) * SimdReduce.AbsMax(d.Slice(c * Rows, Rows));
            factor = Math.Max(factor, f);
            change += f * SimdReduce.AbsMax(x.Slice(c * Cols, Cols));
        }
        RequireWithinRange(factor, change);
        return change;
    }

    // |lr| max|g| (exact in double, so the largest row's product as before), for a g already checked finite.
    private double DenseChange(float lr, float gMax)
    {
        if (!_isIdeal) return 0;
        double change = Math.Abs((double)lr) * gMax;
        RequireWithinRange(change, change);
        return change;
    }

    private void RequireWithinRange(double maxFactor, double maxChange)
    {
        if (maxFactor <= float.MaxValue && _weightBound + maxChange <= float.MaxValue) return;
        _weightBound = ExactWeightBound();
        if (maxFactor <= float.MaxValue && _weightBound + maxChange <= float.MaxValue) return;
        throw new ArgumentException(
            $"The write would take weights past float range (largest change {maxChange:G3}, largest weight {_weightBound:G3}); nothing was written. Lower the learning rate.", "learningRate");
    }

    private void GrowWeightBound(double maxChange) => _weightBound += maxChange;

    /// <summary>An upper bound on max |W|: an ideal tile's tracked bound (no scan; it only grows between exact
    /// recomputations), else the weights' largest magnitude (a scan). For checks that only need a bound.</summary>
    internal double WeightMagnitudeBound => _isIdeal ? _weightBound : SimdReduce.AbsMax(_weights);

    private double ExactWeightBound() => _isIdeal ? SimdReduce.AbsMax(_weights) : 0;
}

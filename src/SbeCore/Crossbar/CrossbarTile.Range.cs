namespace SbeCore.Crossbar;

// Devices with unbounded weights (the ideal device) could be written past float range by a finite but absurd write.
// Such a write is refused before anything changes: the tile keeps an upper bound on max|W| (exact after
// SetWeights, grown by each write's largest possible change) and recomputes it only when a write could cross float
// range, so the check costs O(rows + cols) per rank-1 write.
public sealed partial class CrossbarTile
{
    private double _weightBound; // >= max |W| for an ideal device

    // Throws unless W - lr * (change of magnitude at most maxChange, with intermediate lr * max|d| = maxFactor) stays finite.
    private void RequireWithinRange(double maxFactor, double maxChange, string parameter)
    {
        if (!_isIdeal) return; // pulsed and clipped writes stay within each device's finite bounds
        if (maxFactor <= float.MaxValue && _weightBound + maxChange <= float.MaxValue) return;
        _weightBound = ExactWeightBound();
        if (maxFactor <= float.MaxValue && _weightBound + maxChange <= float.MaxValue) return;
        throw new ArgumentException(
            $"The write would take weights past float range (largest change {maxChange:G3}, largest weight {_weightBound:G3}); nothing was written. Lower the learning rate.", parameter);
    }

    private void GrowWeightBound(double maxChange)
    {
        if (_isIdeal) _weightBound += maxChange;
    }

    private double ExactWeightBound()
    {
        double m = 0;
        foreach (float w in _weights) m = Math.Max(m, Math.Abs(w));
        return m;
    }

    private static double MaxAbs(ReadOnlySpan<float> v)
    {
        float m = 0;
        foreach (float e in v) m = MathF.Max(m, MathF.Abs(e));
        return m;
    }
}

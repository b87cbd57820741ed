namespace SbeCore.Crossbar;

/// <summary>
/// Pulse-train length BL and the probability scales of one pulsed rank-1 write, exactly as aihwkit's simulator
/// computes them (its calculateBlAB and performUpdateManagement, in float): row i (the d side) fires with
/// probability min(1, A |d_i|), column j (the x side) with min(1, B |x_j|), so the expected coincidences
/// BL A B |d_i x_j| equal |lr d_i x_j| / granularity while no probability saturates.
/// </summary>
internal static class PulseTrainScaling
{
    /// <summary>BL (0: nothing to write), A (d side) and B (x side) for |lr|, max|x| and max|d|.</summary>
    public static int Compute(UpdateConfig up, float absLr, float xMax, float dMax, float granularity, out float a, out float b)
    {
        a = b = 0;
        if (absLr == 0) return 0;
        int bl = BaseTrain(up, absLr, granularity, out a, out b);
        // aihwkit switches update management on whenever BL management is on.
        bool management = up.UpdateManagement || up.UpdateBlManagement;
        if (!management) return bl;
        if (xMax == 0 || dMax == 0) { a = b = 1; return 0; }
        int maxBl = up.DesiredBl;
        float xVal = xMax;
        float dVal = up.UmGradScale * dMax;
        float k = absLr * xVal * dVal / granularity;
        if (up.UpdateBlManagement)
        {
            bl = Math.Min(CeilToInt(k), maxBl);
            if (bl == 0) return 0; // |lr x d| underflows: nothing to write
            a = b = MathF.Sqrt(absLr / (granularity * bl));
        }
        // Saturated (more than maxBl pulses needed at the largest entry): shrink the d side so the x side's
        // probabilities stay proportional to |x| (aihwkit: "avoid clipping of x").
        if (k > maxBl) dVal *= maxBl / k;
        a *= MathF.Sqrt(xVal / dVal);
        b *= MathF.Sqrt(dVal / xVal);
        return bl;
    }

    // aihwkit's calculateBlAB: fixed_bl or BL management take desired_bl; otherwise a learning rate too large
    // for desired_bl pulses lengthens the train (capped at UpdateConfig.MaxBl here) with A = B = 1.
    private static int BaseTrain(UpdateConfig up, float absLr, float granularity, out float a, out float b)
    {
        int bl = up.DesiredBl;
        if (!up.FixedBl && !up.UpdateBlManagement && granularity * up.DesiredBl < absLr)
        {
            a = b = 1;
            return Math.Min(Math.Max(CeilToInt(absLr / granularity), 1), UpdateConfig.MaxBl);
        }
        a = b = MathF.Sqrt(absLr / (granularity * bl));
        return bl;
    }

    private static int CeilToInt(float v) => v >= int.MaxValue ? int.MaxValue : (int)MathF.Ceiling(v);
}

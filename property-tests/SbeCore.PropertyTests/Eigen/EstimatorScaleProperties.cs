using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SbeCore.Eigen;

namespace SbeCore.PropertyTests.Eigen;

/// <summary>Issue 12, items 2 and 4, over random configurations and streams: the estimate does not depend on the data's
/// power-of-two scale, and a sample far larger than the rest gets one verdict whichever way it is fed.</summary>
[Properties(Arbitrary = [typeof(EigenArbitraries)], MaxTest = 60)]
public class EstimatorScaleProperties
{
    private static (float[] s, float[] d, float[] x) Outputs(EstimatorCase c) => (new float[c.Rank], new float[c.Rank * c.Rows], new float[c.Rank * c.Cols]);

    private static float[] Scaled(float[] v, int exponent) => v.Select(e => MathF.ScaleB(e, exponent)).ToArray();

    [Property]
    public Property ScalingDeltaAndXByPowersOfTwoLeavesDirectionsBitIdentical(EstimatorCase c, sbyte deltaShift, sbyte xShift)
    {
        if (c.Mode == 4) return true.ToProperty(); // the division-free form's fixed rate is not scale-free (documented)
        int ed = deltaShift % 50, ex = xShift % 50; // keeps the 1e-3..1e3 data in the normal float range
        var plain = c.Create(); var scaled = c.Create();
        bool same = true;
        for (int b = 0; b < c.BatchSizes.Length; b++)
        {
            var (deltas, xs) = c.Batch(b);
            plain.ObserveBatch(deltas, xs, c.BatchSizes[b]);
            scaled.ObserveBatch(Scaled(deltas, ed), Scaled(xs, ex), c.BatchSizes[b]);
            var (s1, d1, x1) = Outputs(c); var (s2, d2, x2) = Outputs(c);
            plain.Estimate(s1, d1, x1); scaled.Estimate(s2, d2, x2);
            same &= d1.SequenceEqual(d2) && x1.SequenceEqual(x2) && Scaled(s1, ed + ex).SequenceEqual(s2);
        }
        return same.Label($"{c} shifts {ed}, {ex}");
    }

    [Property]
    public Property OneLargeSampleGetsOneVerdictOnEveryPath(EstimatorCase c, int where, byte decades)
    {
        var (deltas, xs) = c.Batch(0);
        int n = c.BatchSizes[0];
        if (n == 0) return true.ToProperty();
        int j = (int)((uint)where % (uint)n);
        float f = MathF.Pow(10, decades % 45);
        for (int i = 0; i < c.Rows; i++) deltas[j * c.Rows + i] *= f;
        for (int i = 0; i < c.Cols; i++) xs[j * c.Cols + i] *= f;
        var one = c.Create(); var batched = c.Create();
        bool threwOne = false, threwBatch = false;
        try { for (int i = 0; i < n; i++) one.Observe(deltas.AsSpan(i * c.Rows, c.Rows), xs.AsSpan(i * c.Cols, c.Cols)); }
        catch (ArgumentException) { threwOne = true; }
        try { batched.ObserveBatch(deltas, xs, n); }
        catch (ArgumentException) { threwBatch = true; }
        if (threwOne != threwBatch) return false.Label($"{c}: Observe threw {threwOne}, ObserveBatch threw {threwBatch}");
        if (threwOne) return true.ToProperty(); // (per-sample feeding keeps the samples before the refused one)
        var (s1, d1, x1) = Outputs(c); var (s2, d2, x2) = Outputs(c);
        one.Estimate(s1, d1, x1); batched.Estimate(s2, d2, x2);
        bool finite = s1.All(float.IsFinite) && d1.All(float.IsFinite) && x1.All(float.IsFinite);
        return (finite && s1.SequenceEqual(s2) && d1.SequenceEqual(d2) && x1.SequenceEqual(x2)).Label($"{c} x1e{decades % 45} at {j}");
    }
}

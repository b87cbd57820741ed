using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SbeCore.Eigen;

namespace SbeCore.PropertyTests.Eigen;

[Properties(Arbitrary = [typeof(EigenArbitraries)], MaxTest = 60)]
public class EstimatorProperties
{
    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0; for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i]; return s;
    }

    private static bool Orthonormal(ReadOnlySpan<float> v, int k, int len, double tol)
    {
        for (int c = 0; c < k; c++)
            for (int e = 0; e <= c; e++)
                if (Math.Abs(Dot(v.Slice(c * len, len), v.Slice(e * len, len)) - (c == e ? 1 : 0)) > tol) return false;
        return true;
    }

    private static float[] Snapshot(SbeEstimator e) => [.. e.RawX, .. e.RawD, .. e.RawS, e.SamplesInBatch, .. Exponents(e)];

    private static IEnumerable<float> Exponents(SbeEstimator e) => [.. e.XExponents.ToArray().Select(v => (float)v), .. e.DExponents.ToArray().Select(v => (float)v)];

    [Property]
    public Property EstimateIsFiniteAndOrthonormalAfterAnyStream(EstimatorCase c)
    {
        var est = c.Create();
        var s = new float[c.Rank]; var d = new float[c.Rank * c.Rows]; var x = new float[c.Rank * c.Cols];
        bool ok = true;
        for (int b = 0; b < c.BatchSizes.Length; b++)
        {
            var (deltas, xs) = c.Batch(b);
            est.ObserveBatch(deltas, xs, c.BatchSizes[b]);
            est.Estimate(s, d, x);
            // quantised storage perturbs orthogonality by about one step of the grid
            double tol = c.Mode is 1 or 2 ? 0.2 : 1e-4;
            ok &= s.All(float.IsFinite) && Orthonormal(d, c.Rank, c.Rows, tol) && Orthonormal(x, c.Rank, c.Cols, tol);
        }
        return ok.Label(c.ToString());
    }

    [Property]
    public Property RejectedSampleOrBatchLeavesStateUnchanged(EstimatorCase c, int where, bool inDelta, byte kind)
    {
        var est = c.Create();
        var (deltas, xs) = c.Batch(0);
        est.ObserveBatch(deltas, xs, c.BatchSizes[0]);
        float[] before = Snapshot(est);
        float bad = (kind % 3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
        var (d1, x1) = c.Batch(1);
        int n = Math.Max(1, c.BatchSizes[1]);
        if (c.BatchSizes[1] == 0) { d1 = new float[c.Rows]; x1 = new float[c.Cols]; }
        var target = inDelta ? d1 : x1;
        target[(int)((uint)where % (uint)target.Length)] = bad;
        bool batchThrew = Throws(() => est.ObserveBatch(d1, x1, n));
        bool batchSame = Snapshot(est).SequenceEqual(before);
        bool sampleThrew = Throws(() => est.Observe(inDelta ? d1.AsSpan(0, c.Rows) : new float[c.Rows], inDelta ? new float[c.Cols] : x1.AsSpan(((int)((uint)where % (uint)x1.Length) / c.Cols) * c.Cols, c.Cols)));
        bool sampleSame = Snapshot(est).SequenceEqual(before);
        // Observe rejects only if the chosen row holds the bad value; either way a throw must leave the state as it was
        return (batchThrew && batchSame && (!sampleThrew || sampleSame)).Label(c.ToString());
    }

    private static bool Throws(Action a)
    {
        try { a(); return false; } catch (ArgumentException) { return true; }
    }

    [Property]
    public Property FeedingPerSampleOrInBatchesIsBitIdentical(EstimatorCase c, int split)
    {
        var one = c.Create(); var batched = c.Create();
        var (deltas, xs) = c.Batch(0);
        int n = c.BatchSizes[0];
        for (int j = 0; j < n; j++) one.Observe(deltas.AsSpan(j * c.Rows, c.Rows), xs.AsSpan(j * c.Cols, c.Cols));
        int cut = n == 0 ? 0 : (int)((uint)split % (uint)(n + 1));
        batched.ObserveBatch(deltas.AsSpan(0, cut * c.Rows), xs.AsSpan(0, cut * c.Cols), cut);
        batched.ObserveBatch(deltas.AsSpan(cut * c.Rows), xs.AsSpan(cut * c.Cols), n - cut);
        var s1 = new float[c.Rank]; var d1 = new float[c.Rank * c.Rows]; var x1 = new float[c.Rank * c.Cols];
        var s2 = new float[c.Rank]; var d2 = new float[c.Rank * c.Rows]; var x2 = new float[c.Rank * c.Cols];
        one.Estimate(s1, d1, x1); batched.Estimate(s2, d2, x2);
        return (s1.SequenceEqual(s2) && d1.SequenceEqual(d2) && x1.SequenceEqual(x2)).Label(c.ToString());
    }

    [Property]
    public Property ExactTopKBoundsAndOrdersTheSpectrum(EstimatorCase c)
    {
        var (deltas, xs) = c.Batch(0);
        int n = Math.Max(1, c.BatchSizes[0]);
        if (c.BatchSizes[0] == 0) (deltas, xs) = (new float[c.Rows], new float[c.Cols]);
        var s = new float[c.Rank]; var d = new float[c.Rank * c.Rows]; var x = new float[c.Rank * c.Cols];
        BatchSvd.TopK(deltas, xs, n, c.Rows, c.Cols, s, d, x);
        // |M|_F^2 = (1/n^2) sum_{j,l} (delta_j . delta_l)(x_j . x_l) >= sum_c s_c^2
        double frob = 0;
        for (int j = 0; j < n; j++)
            for (int l = 0; l < n; l++)
                frob += Dot(deltas.AsSpan(j * c.Rows, c.Rows), deltas.AsSpan(l * c.Rows, c.Rows)) * Dot(xs.AsSpan(j * c.Cols, c.Cols), xs.AsSpan(l * c.Cols, c.Cols));
        frob /= (double)n * n;
        double sumSq = s.Sum(v => (double)v * v);
        bool descending = true;
        for (int i = 1; i < s.Length; i++) descending &= s[i] <= s[i - 1];
        // the Rayleigh quotient d^T M x of any unit pair is at most sigma_1
        var est = c.Create();
        est.ObserveBatch(deltas, xs, n);
        var se = new float[c.Rank]; var de = new float[c.Rank * c.Rows]; var xe = new float[c.Rank * c.Cols];
        est.Estimate(se, de, xe);
        est.ReplayMagnitudes(deltas, xs, n, se);
        bool bounded = se.All(v => Math.Abs(v) <= s[0] * (1 + 1e-4) + 1e-30);
        return (s.All(v => v >= 0) && descending).Label("nonneg, descending " + c)
            .And((sumSq <= frob * (1 + 1e-4) + 1e-30).Label($"sum s^2 {sumSq} <= |M|_F^2 {frob}"))
            .And(bounded.Label($"Rayleigh {string.Join(",", se)} <= sigma1 {s[0]}"))
            .And(Orthonormal(d, c.Rank, c.Rows, 1e-4).Label("d orthonormal"))
            .And(Orthonormal(x, c.Rank, c.Cols, 1e-4).Label("x orthonormal"));
    }
}

using MathNet.Numerics.LinearAlgebra;
using SbeCore.Eigen;
using SbeCore.Numerics;

namespace SbeCore.Tests.Eigen;

/// <summary>
/// Both exact formulations (sample side: Gram + pivoted Cholesky; feature side: strips of M) pinned one at a time and
/// checked against MathNet's dense SVD of the double-precision mean gradient, at the batch sizes around the layer's
/// fan-out (n = 1, 2, a - 1, a, a + 1, many times a), on rank-deficient batches and with repeated singular values.
/// </summary>
public class BatchSvdRouteTests
{
    public static TheoryData<string, int, int, int, int> Cases()
    {
        var data = new TheoryData<string, int, int, int, int>();
        foreach (var route in new[] { "sample", "feature", "auto" })
        {
            foreach (int n in new[] { 1, 2, 9, 10, 11, 64, 300 }) data.Add(route, 10, 101, n, Math.Min(3, Math.Min(n, 10)));
            foreach (int n in new[] { 1, 2, 9, 10, 11, 40 }) data.Add(route, 31, 10, n, Math.Min(2, n)); // b < a: the inputs are the short side
            data.Add(route, 20, 150, 64, 2); // 150 columns: two strips, a ragged last one
            data.Add(route, 1, 7, 3, 1);     // single-row and single-column layers: 1 x 1 problems
            data.Add(route, 7, 1, 5, 1);
            data.Add(route, 1, 1, 4, 1);
        }
        return data;
    }

    private static BatchSvdRoute Parse(string route) => route switch
    {
        "sample" => BatchSvdRoute.SampleSide,
        "feature" => BatchSvdRoute.FeatureSide,
        _ => BatchSvdRoute.Auto,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesDenseSvdAroundTheFanOut(string route, int a, int b, int n, int k)
    {
        var (deltas, xs) = TestData.Gaussian(n, a, b, (ulong)(7 * n + a + 3 * b));
        var solver = new BatchSvdSolver(a, b) { Route = Parse(route) };
        var (s, d, x) = TestData.Outputs(k, a, b);
        solver.TopK(deltas, xs, n, s, d, x);
        TopKAssert.MatchesDenseSvd(deltas, xs, n, a, b, s, d, x, valueTolerance: 1e-6, vectorTolerance: 1e-6);
    }

    [Theory]
    [InlineData("sample", 12, 30, 20, 3, 30)]  // deltas of rank 3 (D = C B with B 3 x a), n > rank
    [InlineData("feature", 12, 30, 20, 3, 30)]
    [InlineData("sample", 12, 30, 20, 30, 2)]  // inputs of rank 2
    [InlineData("feature", 12, 30, 20, 30, 2)]
    [InlineData("sample", 40, 16, 60, 5, 4)]   // both deficient, n > a > b
    [InlineData("feature", 40, 16, 60, 5, 4)]
    [InlineData("sample", 100, 300, 64, 100, 5)] // a 64 x 64 core with 59 zero eigenvalues: their rounding stays below the zero threshold
    [InlineData("feature", 100, 300, 160, 100, 5)]
    public void RankDeficientBatchesGiveTheExactNonzeroPairsAndZeroBeyond(string route, int a, int b, int n, int rankD, int rankX)
    {
        var rng = new Xoshiro256((ulong)(a + b + n + rankD * 7 + rankX));
        float[] deltas = LowRank(ref rng, n, a, rankD), xs = LowRank(ref rng, n, b, rankX);
        int rank = Math.Min(rankD, rankX), k = Math.Min(rank + 2, Math.Min(a, b));
        var solver = new BatchSvdSolver(a, b) { Route = Parse(route) };
        var (s, d, x) = TestData.Outputs(k, a, b);
        solver.TopK(deltas, xs, n, s, d, x);
        var svd = Oracle.Svd(Oracle.MeanGradient(deltas, xs, n, a, b));
        Assert.True(svd.S[rank] < 1e-6 * svd.S[0], "the planted rank is the rank of M");
        TopKAssert.MatchesDenseSvd(deltas, xs, n, a, b, s.AsSpan(0, rank).ToArray(), d.AsSpan(0, rank * a).ToArray(), x.AsSpan(0, rank * b).ToArray(), valueTolerance: 1e-6, vectorTolerance: 1e-6);
        for (int c = rank; c < k; c++) Assert.Equal(0f, s[c]);
        RankKTests.AssertOrthonormal(d, k, a);
        RankKTests.AssertOrthonormal(x, k, b);
    }

    [Theory]
    [InlineData("sample", 3)]
    [InlineData("feature", 3)]
    [InlineData("sample", 40)]  // the planted gradient repeated over a batch larger than both sides
    [InlineData("feature", 40)]
    public void RepeatedSingularValuesGiveAnOrthonormalBasisOfTheirSubspace(string route, int n)
    {
        // M = 3 u1 v1^T + 3 u2 v2^T + 1 u3 v3^T from samples delta_j = sqrt(n) sigma u, x_j = sqrt(n) v (three planted
        // pairs, repeated over the batch with weight 1/repeats each)
        const int a = 9, b = 14;
        var rng = new Xoshiro256(5);
        var u = Orthonormal(ref rng, a, 3);
        var v = Orthonormal(ref rng, b, 3);
        double[] sigma = [3, 3, 1];
        var deltas = new float[n * a]; var xs = new float[n * b];
        for (int j = 0; j < n; j++)
        {
            int p = j % 3;
            double weight = Math.Sqrt(n / (double)((n - p + 2) / 3)); // samples of pair p: ceil((n - p) / 3)
            for (int i = 0; i < a; i++) deltas[j * a + i] = (float)(weight * sigma[p] * u[i, p]);
            for (int i = 0; i < b; i++) xs[j * b + i] = (float)(weight * v[i, p]);
        }
        const int k = 4;
        var solver = new BatchSvdSolver(a, b) { Route = Parse(route) };
        var (s, d, x) = TestData.Outputs(k, a, b);
        solver.TopK(deltas, xs, n, s, d, x);
        Assert.Equal(3.0, s[0], 1e-5); Assert.Equal(3.0, s[1], 1e-5); Assert.Equal(1.0, s[2], 1e-5); Assert.Equal(0f, s[3]);
        RankKTests.AssertOrthonormal(d, k, a);
        RankKTests.AssertOrthonormal(x, k, b);
        // the two vectors for sigma = 3 span span(u1, u2) and span(v1, v2): principal cosines 1
        foreach (double cos in Oracle.PrincipalCosines(d.AsSpan(0, 2 * a), 2, a, u)) Assert.True(cos > 1 - 1e-6, $"left cosine {cos}");
        foreach (double cos in Oracle.PrincipalCosines(x.AsSpan(0, 2 * b), 2, b, v)) Assert.True(cos > 1 - 1e-6, $"right cosine {cos}");
        // and s d x^T rebuilds M exactly (its rank is 3)
        var m = Oracle.MeanGradient(deltas, xs, n, a, b);
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < a; i++)
                for (int l = 0; l < b; l++) m[i, l] -= s[c] * (double)d[c * a + i] * x[c * b + l];
        Assert.True(m.FrobeniusNorm() < 1e-5, $"|M - sum s d x^T| = {m.FrobeniusNorm()}");
    }

    [Theory]
    [InlineData("sample", -60)]
    [InlineData("feature", -60)]
    [InlineData("sample", 60)]
    [InlineData("feature", 60)]
    public void ExtremeScalesNeitherOverflowNorUnderflow(string route, int exponent)
    {
        // deltas and inputs times 2^exponent (exact): M scales by 4^exponent (about 1e-36 or 1e36), the pairs must not move
        const int a = 10, b = 37, n = 16, k = 2;
        var (deltas, xs) = TestData.Gaussian(n, a, b, 11);
        float scale = MathF.ScaleB(1, exponent);
        float[] sd = deltas.Select(v => v * scale).ToArray(), sx = xs.Select(v => v * scale).ToArray();
        var solver = new BatchSvdSolver(a, b) { Route = Parse(route) };
        var (s, d, x) = TestData.Outputs(k, a, b);
        solver.TopK(sd, sx, n, s, d, x);
        float[] unscaled = s.Select(v => MathF.ScaleB(v, -2 * exponent)).ToArray();
        // the dense oracle itself is run on the unscaled batch (MathNet's SVD loses M at 1e-36)
        TopKAssert.MatchesDenseSvd(deltas, xs, n, a, b, unscaled, d, x, valueTolerance: 1e-6, vectorTolerance: 1e-6);
    }

    [Theory]
    [InlineData("sample")]
    [InlineData("feature")]
    public void SameBatchSameBitsAndNothingAllocated(string route)
    {
        const int a = 10, b = 101, k = 2;
        var solver = new BatchSvdSolver(a, b) { Route = Parse(route) };
        var (d1, x1) = TestData.Gaussian(70, a, b, 21);
        var (s1, u1, v1) = TestData.Outputs(k, a, b);
        var (s2, u2, v2) = TestData.Outputs(k, a, b);
        solver.TopK(d1, x1, 70, s1, u1, v1); // grows the scratch to n = 70
        solver.TopK(d1.AsSpan(0, 30 * a), x1.AsSpan(0, 30 * b), 30, s2, u2, v2); // a smaller batch in between
        SteadyState.AssertAllocatesNothing(() =>
        {
            solver.TopK(d1, x1, 70, s2, u2, v2);
            solver.TopK(d1.AsSpan(0, 30 * a), x1.AsSpan(0, 30 * b), 30, s2, u2, v2);
            solver.TopK(d1, x1, 70, s2, u2, v2);
        });
        Assert.Equal(s1, s2); Assert.Equal(u1, u2); Assert.Equal(v1, v2);
    }

    [Fact]
    public void BothRoutesAgree()
    {
        const int a = 10, b = 101, n = 24, k = 3;
        var (deltas, xs) = TestData.Gaussian(n, a, b, 8);
        var (s1, d1, x1) = TestData.Outputs(k, a, b);
        var (s2, d2, x2) = TestData.Outputs(k, a, b);
        new BatchSvdSolver(a, b) { Route = BatchSvdRoute.SampleSide }.TopK(deltas, xs, n, s1, d1, x1);
        new BatchSvdSolver(a, b) { Route = BatchSvdRoute.FeatureSide }.TopK(deltas, xs, n, s2, d2, x2);
        for (int c = 0; c < k; c++)
        {
            Assert.Equal(s1[c], s2[c], 1e-6 * s1[0]);
            double du = 0, dx = 0;
            for (int i = 0; i < a; i++) du += (double)d1[c * a + i] * d2[c * a + i];
            for (int i = 0; i < b; i++) dx += (double)x1[c * b + i] * x2[c * b + i];
            Assert.True(Math.Abs(du) > 1 - 1e-6 && Math.Abs(dx) > 1 - 1e-6);
            Assert.True(du * dx > 0, "both routes pair the signs the same way");
        }
    }


    // n rows of length len spanning a random rank-dimensional subspace exactly: small integer bases and coefficients,
    // so every float sum is exact and M's rank is exactly min(rankD, rankX)
    private static float[] LowRank(ref Xoshiro256 rng, int n, int len, int rank)
    {
        var rows = new float[n * len];
        if (rank >= Math.Min(n, len)) { rng.FillGaussian(rows); return rows; }
        var basis = new int[rank * len];
        for (int i = 0; i < basis.Length; i++) basis[i] = SmallInt(ref rng);
        for (int j = 0; j < n; j++)
            for (int t = 0; t < rank; t++)
            {
                int c = SmallInt(ref rng);
                for (int i = 0; i < len; i++) rows[j * len + i] += c * basis[t * len + i];
            }
        return rows;
    }

    private static int SmallInt(ref Xoshiro256 rng) => (int)Math.Round(Math.Clamp(rng.NextGaussian() * 1.5, -4, 4));

    private static Matrix<double> Orthonormal(ref Xoshiro256 rng, int len, int count)
    {
        var g = Matrix<double>.Build.Dense(len, count);
        for (int i = 0; i < len; i++) for (int c = 0; c < count; c++) g[i, c] = rng.NextGaussian();
        return g.QR().Q.SubMatrix(0, len, 0, count);
    }
}

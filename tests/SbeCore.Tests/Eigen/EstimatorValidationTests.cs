using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

public class EstimatorValidationTests
{
    private const int A = 6, B = 9;

    private static SbeEstimator Warmed(EstimatorOptions opts)
    {
        var est = new SbeEstimator(A, B, opts, seed: 4);
        var (deltas, xs) = TestData.Gaussian(5, A, B, 8);
        est.ObserveBatch(deltas, xs, 5); // leaves a partial sub-batch buffered when m > 1
        return est;
    }

    private static float[] Snapshot(SbeEstimator e) =>
        [.. e.RawX, .. e.RawD, .. e.RawS, e.SamplesInBatch, .. e.XExponents.ToArray().Select(v => (float)v), .. e.DExponents.ToArray().Select(v => (float)v)];

    public static TheoryData<float, int, bool> BadValues => new()
    {
        { float.NaN, 0, true }, { float.PositiveInfinity, 3, true }, { float.NegativeInfinity, 5, false }, { float.NaN, 8, false },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void NonFiniteSampleIsRejectedAndStateUnchanged(float bad, int index, bool inDelta)
    {
        foreach (var opts in new[] { new EstimatorOptions(), new EstimatorOptions { Rank = 2, SubBatch = 3 }, new EstimatorOptions { DivisionFree = true } })
        {
            var est = Warmed(opts);
            var before = Snapshot(est);
            var (deltas, xs) = TestData.Gaussian(1, A, B, 9);
            if (inDelta) deltas[index % A] = bad; else xs[index] = bad;
            var ex = Assert.Throws<ArgumentException>(() => est.Observe(deltas, xs));
            Assert.Equal(inDelta ? "delta" : "x", ex.ParamName);
            Assert.Equal(before, Snapshot(est));
        }
    }

    [Fact]
    public void OverflowingSampleIsRejectedAndStateUnchanged()
    {
        var est = Warmed(new EstimatorOptions());
        var before = Snapshot(est);
        var (deltas, xs) = TestData.Gaussian(1, A, B, 9);
        for (int i = 0; i < B; i++) xs[i] *= 3e38f / 4; // finite, but X, |X|^2 overflow float
        for (int i = 0; i < A; i++) deltas[i] *= 1e30f;
        var ex = Assert.Throws<ArgumentException>(() => est.Observe(deltas, xs));
        Assert.Contains("overflow", ex.Message);
        Assert.Equal(before, Snapshot(est));
        // and the estimator still works afterwards
        var (d2, x2) = TestData.Gaussian(1, A, B, 10);
        est.Observe(d2, x2);
        Assert.Equal(6f, est.SamplesInBatch);
    }

    [Fact]
    public void NonFiniteLastSampleRejectsWholeBatch()
    {
        var est = Warmed(new EstimatorOptions { Rank = 2, SubBatch = 2 });
        var before = Snapshot(est);
        var (deltas, xs) = TestData.Gaussian(7, A, B, 10);
        xs[^1] = float.NaN;
        var ex = Assert.Throws<ArgumentException>(() => est.ObserveBatch(deltas, xs, 7));
        Assert.Equal("xs", ex.ParamName);
        Assert.Equal(before, Snapshot(est));
        deltas[0] = float.PositiveInfinity; xs[^1] = 0;
        Assert.Equal("deltas", Assert.Throws<ArgumentException>(() => est.ObserveBatch(deltas, xs, 7)).ParamName);
        Assert.Equal(before, Snapshot(est));
    }

    [Fact]
    public void WrongLengthsAreRejectedWithNamesAndLengths()
    {
        var est = Warmed(new EstimatorOptions());
        var before = Snapshot(est);
        var ex = Assert.Throws<ArgumentException>(() => est.Observe(new float[A + 1], new float[B]));
        Assert.Equal("delta", ex.ParamName); Assert.Contains("7", ex.Message); Assert.Contains("6", ex.Message);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => est.Observe(new float[A], new float[B - 1])).ParamName);
        Assert.Equal("xs", Assert.Throws<ArgumentException>(() => est.ObserveBatch(new float[2 * A], new float[3 * B], 2)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentException>(() => est.ObserveBatch([], [], -1)).ParamName);
        Assert.Equal("d", Assert.Throws<ArgumentException>(() => est.Estimate(new float[1], new float[A - 1], new float[B])).ParamName);
        Assert.Equal("s", Assert.Throws<ArgumentException>(() => est.Estimate(new float[2], new float[A], new float[B])).ParamName);
        Assert.Equal(before, Snapshot(est));
    }

    public static TheoryData<int, int, int, string> BadOptions => new()
    {
        { 0, 1, 0, "Rank" }, { 7, 1, 0, "Rank" }, { -1, 1, 0, "Rank" }, { 1, 0, 0, "SubBatch" }, { 2, -3, 0, "SubBatch" },
        { 1, 1, 1, "QuantizationBits" }, { 1, 1, 25, "QuantizationBits" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void InvalidOptionsThrow(int rank, int subBatch, int bits, string param)
    {
        var ex = Assert.Throws<ArgumentException>(() => new SbeEstimator(A, B, new EstimatorOptions { Rank = rank, SubBatch = subBatch, QuantizationBits = bits }));
        Assert.Equal(param, ex.ParamName);
    }

    [Fact]
    public void DivisionFreeOptionsAreChecked()
    {
        Assert.Throws<ArgumentException>(() => new SbeEstimator(A, B, new EstimatorOptions { DivisionFree = true, Rank = 2 }));
        Assert.Throws<ArgumentException>(() => new SbeEstimator(A, B, new EstimatorOptions { DivisionFree = true, OjaRate = 0 }));
        Assert.Throws<ArgumentException>(() => new SbeEstimator(A, B, new EstimatorOptions { DivisionFree = true, Magnitude = MagnitudeEstimate.RightNorm }));
        Assert.Throws<ArgumentException>(() => new SbeEstimator(0, B));
    }

    [Fact]
    public void RankUpToMinDimensionIsAllowed()
    {
        var est = new SbeEstimator(A, B, new EstimatorOptions { Rank = A, SubBatch = 2 }, seed: 1);
        var (deltas, xs) = TestData.Gaussian(9, A, B, 2);
        est.ObserveBatch(deltas, xs, 9);
        var (s, d, x) = TestData.Outputs(A, A, B);
        est.Estimate(s, d, x);
        RankKTests.AssertOrthonormal(d, A, A); // a complete basis of R^a
        RankKTests.AssertOrthonormal(x, A, B);
    }
}

using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

public class BatchSvdTests
{
    [Theory]
    [InlineData(12, 30, 5, 3)]    // n <= min(a, b): sample side (QR + n x n core)
    [InlineData(12, 30, 12, 4)]   // n == min(a, b)
    [InlineData(12, 30, 40, 3)]   // n > a, a <= b: a x a Gram from column strips
    [InlineData(30, 12, 40, 3)]   // n > b, b < a: b x b Gram from row strips
    [InlineData(20, 150, 64, 2)]  // several 64-wide strips with a ragged last one
    [InlineData(9, 9, 3, 3)]      // k equals the rank of M
    public void TopKMatchesDenseSvdOfMeanGradient(int a, int b, int n, int k)
    {
        var (deltas, xs) = TestData.Gaussian(n, a, b, (ulong)(a * 1000 + b + n));
        var (s, d, x) = TestData.Outputs(k, a, b);
        BatchSvd.TopK(deltas, xs, n, a, b, s, d, x);
        TopKAssert.MatchesDenseSvd(deltas, xs, n, a, b, s, d, x, valueTolerance: 1e-5, vectorTolerance: 1e-5);
    }

    [Fact]
    public void PairsBeyondTheRankGetZeroAndCompleteTheBasis()
    {
        const int a = 8, b = 10, k = 4;
        var (deltas, xs) = TestData.Gaussian(2, a, b, 3);
        var (s, d, x) = TestData.Outputs(k, a, b);
        BatchSvd.TopK(deltas, xs, 2, a, b, s, d, x);
        Assert.True(s[1] > 0);
        Assert.Equal(0f, s[2]); Assert.Equal(0f, s[3]);
        RankKTests.AssertOrthonormal(d, k, a);
        RankKTests.AssertOrthonormal(x, k, b);
    }

    [Fact]
    public void DuplicateSamplesAreRankDeficientButExact()
    {
        const int a = 6, b = 9, n = 6;
        var (one, oneX) = TestData.Gaussian(1, a, b, 4);
        var deltas = new float[n * a]; var xs = new float[n * b];
        for (int j = 0; j < n; j++) { one.CopyTo(deltas, j * a); oneX.CopyTo(xs, j * b); }
        var (s, d, x) = TestData.Outputs(2, a, b);
        BatchSvd.TopK(deltas, xs, n, a, b, s, d, x);
        double sigma = Math.Sqrt(Oracle.Dot(one, one) * Oracle.Dot(oneX, oneX));
        Assert.Equal(sigma, s[0], 1e-5 * sigma);
        Assert.Equal(0f, s[1]);
    }

    [Fact]
    public void BadInputThrows()
    {
        var (deltas, xs) = TestData.Gaussian(3, 4, 5, 1);
        var (s, d, x) = TestData.Outputs(1, 4, 5);
        Assert.Equal("deltas", Assert.Throws<ArgumentException>(() => BatchSvd.TopK(deltas.AsSpan(1), xs, 3, 4, 5, s, d, x)).ParamName);
        Assert.Equal("s", Assert.Throws<ArgumentException>(() => BatchSvd.TopK(deltas, xs, 3, 4, 5, new float[5], new float[20], new float[25])).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentException>(() => BatchSvd.TopK([], [], 0, 4, 5, s, d, x)).ParamName);
        xs[2] = float.NaN;
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => BatchSvd.TopK(deltas, xs, 3, 4, 5, s, d, x)).ParamName);
    }

    [Fact]
    public void StaticTopKIsAllocationFreeForAlternatingLayerShapes()
    {
        var (d1, x1) = TestData.Gaussian(8, 12, 30, 1);
        var (d2, x2) = TestData.Gaussian(8, 5, 13, 2);
        var (s1, u1, v1) = TestData.Outputs(1, 12, 30);
        var (s2, u2, v2) = TestData.Outputs(2, 5, 13);
        void Both() { BatchSvd.TopK(d1, x1, 8, 12, 30, s1, u1, v1); BatchSvd.TopK(d2, x2, 8, 5, 13, s2, u2, v2); }
        Both();
        SteadyState.AssertAllocatesNothing(() => BatchSvd.TopK(d1, x1, 8, 12, 30, s1, u1, v1));
        SteadyState.AssertAllocatesNothing(() => BatchSvd.TopK(d2, x2, 8, 5, 13, s2, u2, v2));
        SteadyState.AssertAllocatesNothing(() => { for (int i = 0; i < 3; i++) Both(); });
    }

    [Theory]
    [InlineData(5)]
    [InlineData(40)]
    public void ReusableSolverIsAllocationFree(int n)
    {
        const int a = 12, b = 30;
        var solver = new BatchSvdSolver(a, b);
        var (deltas, xs) = TestData.Gaussian(n, a, b, 2);
        var (s, d, x) = TestData.Outputs(3, a, b);
        solver.TopK(deltas, xs, n, s, d, x);
        SteadyState.AssertAllocatesNothing(() => { for (int i = 0; i < 3; i++) solver.TopK(deltas, xs, n, s, d, x); });
    }
}

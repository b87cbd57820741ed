using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

/// <summary>Range safety of the exact SVD: a top singular value beyond float is refused (it came back as s = 0 with no
/// error), outputs untouched; sizes are checked at creation and the sample route never overflows its scratch.</summary>
public class BatchSvdRangeTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TopSingularValueBeyondFloatIsRefusedWithOutputsUntouched(bool sampleRoute)
    {
        const int a = 6, b = 9, n = 4;
        var (deltas, xs) = TestData.Gaussian(n, a, b, 2);
        for (int i = 0; i < deltas.Length; i++) deltas[i] *= 1e20f;
        for (int i = 0; i < xs.Length; i++) xs[i] *= 1e20f; // sigma_1 ~ 1e40
        var solver = new BatchSvdSolver(a, b) { Route = sampleRoute ? BatchSvdRoute.SampleSide : BatchSvdRoute.FeatureSide };
        var (s, d, x) = TestData.Outputs(2, a, b);
        Array.Fill(s, 7f); Array.Fill(d, 7f); Array.Fill(x, 7f);
        var ex = Assert.Throws<ArgumentException>(() => solver.TopK(deltas, xs, n, s, d, x));
        Assert.Contains("beyond float range", ex.Message);
        Assert.All(s, v => Assert.Equal(7f, v)); Assert.All(d, v => Assert.Equal(7f, v)); Assert.All(x, v => Assert.Equal(7f, v));
        // just inside float range still works
        for (int i = 0; i < deltas.Length; i++) deltas[i] *= 1e-3f;
        solver.TopK(deltas, xs, n, s, d, x);
        Assert.True(float.IsFinite(s[0]) && s[0] > 1e36f, $"s = {s[0]}");
    }

    [Fact]
    public void HugeShapesAreRefusedAtCreation()
    {
        Assert.Throws<ArgumentException>(() => new BatchSvdSolver(1 << 14, 1 << 14));
        Assert.Throws<ArgumentException>(() => new BatchSvdSolver(1, int.MaxValue));
    }
}

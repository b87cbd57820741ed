using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

public class EstimatorConvergenceTests
{
    [Fact]
    public void RankOneReachesTopSingularVectorsOfPlantedStream()
    {
        const int a = 30, b = 80, n = 512;
        var stream = new PlantedStream(a, b, [4.0, 1.0], noise: 0.05, seed: 1);
        var est = new SbeEstimator(a, b, seed: 7);
        var deltas = new float[n * a]; var xs = new float[n * b];
        float[] s = new float[1], d = new float[a], x = new float[b];
        for (int batch = 0; batch < 4; batch++)
        {
            stream.Next(n, deltas, xs);
            est.ObserveBatch(deltas, xs, n);
            est.Estimate(s, d, x);
        }
        var svd = Oracle.Svd(Oracle.MeanGradient(deltas, xs, n, a, b));
        double cu = Oracle.Cosine(d, svd.U.Column(0)), cv = Oracle.Cosine(x, svd.VT.Row(0));
        Assert.True(Math.Abs(cu) > 0.999, $"|cos(D, u1)| = {Math.Abs(cu)}");
        Assert.True(Math.Abs(cv) > 0.999, $"|cos(X, v1)| = {Math.Abs(cv)}");
        // paired signs: s d x^T points along +sigma u v^T
        Assert.True(s[0] * cu * cv > 0, "s * D X^T has the wrong sign");
        Assert.InRange(s[0] / svd.S[0], 0.9, 1.1);
    }
}

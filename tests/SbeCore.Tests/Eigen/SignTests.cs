using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

/// <summary>X or D may flip, but only in pairs (or with s): s D X^T keeps the gradient's sign.</summary>
public class SignTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(2, 4)]
    public void UpdateFollowsGradientWhenItsSignFlipsBetweenBatches(int k, int m)
    {
        const int a = 12, b = 20, n = 400;
        var stream = new PlantedStream(a, b, [3.0, 1.5], noise: 0.02, seed: 5);
        var est = new SbeEstimator(a, b, new EstimatorOptions { Rank = k, SubBatch = m }, seed: 12);
        var deltas = new float[n * a]; var xs = new float[n * b];
        var (s, d, x) = TestData.Outputs(k, a, b);
        for (int batch = 0; batch < 8; batch++)
        {
            stream.Next(n, deltas, xs);
            if (batch % 2 == 1) for (int i = 0; i < deltas.Length; i++) deltas[i] = -deltas[i]; // M -> -M
            est.ObserveBatch(deltas, xs, n);
            est.Estimate(s, d, x);
            if (batch < 2) continue;
            var svd = Oracle.Svd(Oracle.MeanGradient(deltas, xs, n, a, b));
            // <s d x^T, sigma_1 u_1 v_1^T> / (|s| sigma_1) = sign(s) (d.u)(x.v): must be ~ +1
            double cu = Oracle.Cosine(d.AsSpan(0, a), svd.U.Column(0));
            double cv = Oracle.Cosine(x.AsSpan(0, b), svd.VT.Row(0));
            double agreement = Math.Sign(s[0]) * cu * cv;
            Assert.True(agreement > 0.9, $"batch {batch}: sign(s) cos(d,u) cos(x,v) = {agreement}");
        }
    }

    [Fact]
    public void RunningMeanMagnitudeIsNotForcedPositive()
    {
        // Warm start from the previous batch with a flipped gradient and only one new sample: the carried state dominates
        // the running mean so s * d x^T may only follow the new gradient through s's sign or a paired flip, never abs().
        const int a = 6, b = 9;
        var est = new SbeEstimator(a, b, seed: 2);
        var (deltas, xs) = TestData.Gaussian(1, a, b, 4);
        var (s, d, x) = TestData.Outputs(1, a, b);
        for (int t = 0; t < 30; t++) { est.ObserveBatch(deltas, xs, 1); est.Estimate(s, d, x); }
        double before = s[0] * Oracle.Dot(d, deltas) * Oracle.Dot(x, xs);
        Assert.True(before > 0);
        for (int i = 0; i < deltas.Length; i++) deltas[i] = -deltas[i];
        est.ObserveBatch(deltas, xs, 1); est.Estimate(s, d, x);
        // with the gradient -delta x^T the update s d x^T must point along it: <s d x^T, -delta x^T> > 0
        double after = s[0] * Oracle.Dot(d, deltas) * Oracle.Dot(x, xs);
        Assert.True(after > 0, $"s d x^T does not follow the flipped gradient: {after}");
    }
}

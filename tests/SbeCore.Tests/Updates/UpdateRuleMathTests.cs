using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Numerics;
using SbeCore.Tests.Eigen;
using SbeCore.Updates;

namespace SbeCore.Tests.Updates;

public class UpdateRuleMathTests
{
    private const int A = 7, B = 11;
    private const float Lr = 0.05f;

    private static (float[] deltas, float[] xs, float[] w0) Batch(int n, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var deltas = new float[n * A]; var xs = new float[n * B]; var w0 = new float[A * B];
        rng.FillGaussian(deltas); rng.FillGaussian(xs); rng.FillGaussian(w0);
        return (deltas, xs, w0);
    }

    private static CrossbarTile Tile(float[] w0) { var t = new CrossbarTile(A, B); t.SetWeights(w0); return t; }

    [Fact]
    public void MiniBatchSubtractsLearningRateTimesMeanGradient()
    {
        const int n = 5;
        var (deltas, xs, w0) = Batch(n, 1);
        var tile = Tile(w0);
        var rule = UpdateRuleFactory.Create(UpdateMethod.MiniBatch, A, B);
        rule.Apply(tile, deltas, xs, n, Lr);
        var g = Oracle.MeanGradient(deltas, xs, n, A, B);
        for (int r = 0; r < A; r++)
            for (int c = 0; c < B; c++)
                Assert.Equal(w0[r * B + c] - Lr * g[r, c], tile.Weights[r * B + c], 1e-5);
        Assert.Equal(Math.Min(n, Math.Min(A, B)), rule.RankOneWrites);
        Assert.Equal(A * B * 4L, rule.PeripheralMemoryBytes);
        Assert.Equal("minibatch", rule.Name);
    }

    [Fact]
    public void MiniBatchCountsMinOfBatchAndDimensions()
    {
        const int n = 20;
        var (deltas, xs, w0) = Batch(n, 2);
        var rule = UpdateRuleFactory.Create(UpdateMethod.MiniBatch, A, B);
        rule.Apply(Tile(w0), deltas, xs, n, Lr);
        rule.Apply(Tile(w0), deltas, xs, n, Lr);
        Assert.Equal(2 * A, rule.RankOneWrites); // min(20, 7, 11) = 7 per batch
    }

    [Fact]
    public void SgdEqualsSequentialRankOneWrites()
    {
        const int n = 4;
        var (deltas, xs, w0) = Batch(n, 3);
        var tile = Tile(w0);
        var rule = UpdateRuleFactory.Create(UpdateMethod.Sgd, A, B);
        rule.Apply(tile, deltas, xs, n, Lr);
        var expected = (float[])w0.Clone();
        for (int j = 0; j < n; j++)
            for (int r = 0; r < A; r++)
                for (int c = 0; c < B; c++)
                    expected[r * B + c] -= Lr * deltas[j * A + r] * xs[j * B + c];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], tile.Weights[i], 1e-5);
        Assert.Equal(n, rule.RankOneWrites);
        Assert.Equal(n, tile.Counters.RankOneWrites);
        Assert.Equal(0, rule.PeripheralMemoryBytes);
    }

    [Fact]
    public void SbeWritesItsEstimateAsKRankOneWrites()
    {
        const int n = 9, k = 2;
        var (deltas, xs, w0) = Batch(n, 4);
        var tile = Tile(w0);
        var opts = new EstimatorOptions { Rank = k, SubBatch = 2 };
        var rule = (SbeRule)UpdateRuleFactory.Create(UpdateMethod.Sbe, A, B, k, opts, seed: 5);
        var twin = new SbeEstimator(A, B, opts, seed: 5);
        rule.Apply(tile, deltas, xs, n, Lr);
        twin.ObserveBatch(deltas, xs, n);
        float[] s = new float[k], d = new float[k * A], x = new float[k * B];
        twin.Estimate(s, d, x);
        var expected = (float[])w0.Clone();
        for (int c = 0; c < k; c++)
            for (int r = 0; r < A; r++)
                for (int col = 0; col < B; col++)
                    expected[r * B + col] -= Lr * s[c] * d[c * A + r] * x[c * B + col];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], tile.Weights[i], 1e-5);
        Assert.Equal(k, rule.RankOneWrites);
        Assert.Equal(k, tile.Counters.RankOneWrites);
        Assert.Equal((k * (A + B) + k + 2 * (A + B)) * 4L, rule.PeripheralMemoryBytes);
        Assert.Equal("sbe-2", rule.Name);
    }

    [Fact]
    public void SbeRankOneFullyStreamingMemoryIsAPlusBPlusOneFloats()
    {
        var rule = UpdateRuleFactory.Create(UpdateMethod.Sbe, 100, 785);
        Assert.Equal((100 + 785 + 1) * 4L, rule.PeripheralMemoryBytes);
    }

    [Fact]
    public void TruncatedSvdWritesExactTopKOfMeanGradient()
    {
        const int n = 6, k = 2;
        var (deltas, xs, w0) = Batch(n, 6);
        var tile = Tile(w0);
        var rule = UpdateRuleFactory.Create(UpdateMethod.TruncatedSvd, A, B, k);
        rule.Apply(tile, deltas, xs, n, Lr);
        var svd = Oracle.Svd(Oracle.MeanGradient(deltas, xs, n, A, B));
        for (int r = 0; r < A; r++)
            for (int c = 0; c < B; c++)
            {
                double upd = 0;
                for (int e = 0; e < k; e++) upd += svd.S[e] * svd.U[r, e] * svd.VT[e, c];
                Assert.Equal(w0[r * B + c] - Lr * upd, tile.Weights[r * B + c], 1e-5);
            }
        Assert.Equal(k, rule.RankOneWrites);
        Assert.Equal(A * B * 4L, rule.PeripheralMemoryBytes);
        Assert.Equal("svd-2", rule.Name);
    }
}

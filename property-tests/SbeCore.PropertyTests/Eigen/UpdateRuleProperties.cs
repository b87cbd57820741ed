using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SbeCore.Crossbar;
using SbeCore.Numerics;
using SbeCore.Updates;

namespace SbeCore.PropertyTests.Eigen;

/// <summary>A random layer and batch for the update rules (ideal tile).</summary>
public sealed record RuleCase(int Rows, int Cols, int N, ulong Seed)
{
    public (float[] w0, float[] deltas, float[] xs) Data()
    {
        var rng = new Xoshiro256(Seed);
        var w0 = new float[Rows * Cols]; var deltas = new float[N * Rows]; var xs = new float[N * Cols];
        rng.FillGaussian(w0); rng.FillGaussian(deltas); rng.FillGaussian(xs);
        return (w0, deltas, xs);
    }

    public float[] Apply(IUpdateRule rule, float lr)
    {
        var (w0, deltas, xs) = Data();
        var tile = new CrossbarTile(Rows, Cols);
        tile.SetWeights(w0);
        rule.Apply(tile, deltas, xs, N, lr);
        return tile.Weights.ToArray();
    }

    public override string ToString() => $"{Rows}x{Cols} n={N} seed={Seed}";
}

public static class RuleArbitraries
{
    public static Arbitrary<RuleCase> Cases() => Arb.From(
        from rows in Gen.Choose(1, 9)
        from cols in Gen.Choose(1, 20)
        from n in Gen.Choose(1, 14)
        from seed in Gen.Choose(0, int.MaxValue)
        select new RuleCase(rows, cols, n, (ulong)seed));
}

[Properties(Arbitrary = [typeof(RuleArbitraries)], MaxTest = 60)]
public class UpdateRuleProperties
{
    private const float Lr = 0.05f;

    [Property]
    public Property MiniBatchAppliesTheMeanGradient(RuleCase c)
    {
        var w = c.Apply(UpdateRuleFactory.Create(UpdateMethod.MiniBatch, c.Rows, c.Cols), Lr);
        var (w0, deltas, xs) = c.Data();
        bool ok = true;
        for (int r = 0; r < c.Rows; r++)
            for (int col = 0; col < c.Cols; col++)
            {
                double g = 0;
                for (int j = 0; j < c.N; j++) g += (double)deltas[j * c.Rows + r] * xs[j * c.Cols + col];
                ok &= Math.Abs(w0[r * c.Cols + col] - Lr * g / c.N - w[r * c.Cols + col]) < 1e-4;
            }
        return ok.Label(c.ToString());
    }

    [Property]
    public Property FullRankSvdEqualsMiniBatch(RuleCase c)
    {
        // k = min(a, b) singular triplets reconstruct the mean gradient exactly: SVD-k then writes what MBGD writes
        int k = Math.Min(c.Rows, c.Cols);
        var svd = c.Apply(UpdateRuleFactory.Create(UpdateMethod.TruncatedSvd, c.Rows, c.Cols, k), Lr);
        var mb = c.Apply(UpdateRuleFactory.Create(UpdateMethod.MiniBatch, c.Rows, c.Cols), Lr);
        double worst = 0;
        for (int i = 0; i < svd.Length; i++) worst = Math.Max(worst, Math.Abs(svd[i] - mb[i]));
        return (worst < 1e-4).Label($"{c}: max |diff| {worst}");
    }

    [Property]
    public Property SgdIsSequentialRankOneWrites(RuleCase c)
    {
        var w = c.Apply(UpdateRuleFactory.Create(UpdateMethod.Sgd, c.Rows, c.Cols), Lr);
        var (w0, deltas, xs) = c.Data();
        bool ok = true;
        for (int r = 0; r < c.Rows; r++)
            for (int col = 0; col < c.Cols; col++)
            {
                double e = w0[r * c.Cols + col];
                for (int j = 0; j < c.N; j++) e -= Lr * (double)deltas[j * c.Rows + r] * xs[j * c.Cols + col];
                ok &= Math.Abs(e - w[r * c.Cols + col]) < 1e-4;
            }
        return ok.Label(c.ToString());
    }
}

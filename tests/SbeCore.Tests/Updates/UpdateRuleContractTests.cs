using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Numerics;
using SbeCore.Tests.Eigen;
using SbeCore.Updates;

namespace SbeCore.Tests.Updates;

public class UpdateRuleContractTests
{
    private const int A = 9, B = 14;

    public static TheoryData<UpdateMethod, int> Rules => new()
    {
        { UpdateMethod.Sgd, 1 }, { UpdateMethod.MiniBatch, 1 }, { UpdateMethod.TruncatedSvd, 1 }, { UpdateMethod.TruncatedSvd, 3 },
        { UpdateMethod.Sbe, 1 }, { UpdateMethod.Sbe, 3 },
        { UpdateMethod.Sbpca, 1 }, { UpdateMethod.Sbpca, 3 }, { UpdateMethod.Lrt, 1 }, { UpdateMethod.Lrt, 3 },
    };

    private static CrossbarTile Tile(ulong seed)
    {
        var w = new float[A * B]; new Xoshiro256(seed).FillGaussian(w);
        var t = new CrossbarTile(A, B); t.SetWeights(w); return t;
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void BadInputLeavesTileAndRuleUnchanged(UpdateMethod method, int rank)
    {
        var rule = UpdateRuleFactory.Create(method, A, B, rank, seed: 3);
        var tile = Tile(1);
        var (deltas, xs) = TestData.Gaussian(6, A, B, 2);
        rule.Apply(tile, deltas, xs, 6, 0.1f);
        float[] w = tile.Weights.ToArray();
        long writes = rule.RankOneWrites, tileWrites = tile.Counters.RankOneWrites;
        var bad = (float[])deltas.Clone(); bad[^1] = float.NaN;
        Assert.Equal("deltas", Assert.Throws<ArgumentException>(() => rule.Apply(tile, bad, xs, 6, 0.1f)).ParamName);
        var badX = (float[])xs.Clone(); badX[3] = float.NegativeInfinity;
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => rule.Apply(tile, deltas, badX, 6, 0.1f)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => rule.Apply(tile, deltas, xs.AsSpan(1).ToArray(), 6, 0.1f)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentException>(() => rule.Apply(tile, deltas, xs, 6, float.NaN)).ParamName);
        Assert.Equal("tile", Assert.Throws<ArgumentException>(() => rule.Apply(new CrossbarTile(A, B + 1), deltas, xs, 6, 0.1f)).ParamName);
        Assert.Equal(w, tile.Weights.ToArray());
        Assert.Equal(writes, rule.RankOneWrites);
        Assert.Equal(tileWrites, tile.Counters.RankOneWrites);
        // and the rule still behaves exactly like a twin that never saw the bad calls
        var twin = UpdateRuleFactory.Create(method, A, B, rank, seed: 3);
        var twinTile = Tile(1);
        twin.Apply(twinTile, deltas, xs, 6, 0.1f);
        var (d2, x2) = TestData.Gaussian(5, A, B, 7);
        rule.Apply(tile, d2, x2, 5, 0.1f); twin.Apply(twinTile, d2, x2, 5, 0.1f);
        Assert.Equal(twinTile.Weights.ToArray(), tile.Weights.ToArray());
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void EmptyBatchIsANoOp(UpdateMethod method, int rank)
    {
        var rule = UpdateRuleFactory.Create(method, A, B, rank);
        var tile = Tile(2);
        float[] w = tile.Weights.ToArray();
        rule.Apply(tile, [], [], 0, 0.1f);
        Assert.Equal(w, tile.Weights.ToArray());
        Assert.Equal(0, rule.RankOneWrites);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void ApplyIsAllocationFreeInSteadyState(UpdateMethod method, int rank)
    {
        var rule = UpdateRuleFactory.Create(method, A, B, rank);
        var tile = Tile(3);
        var (deltas, xs) = TestData.Gaussian(16, A, B, 4);
        rule.Apply(tile, deltas, xs, 16, 0.01f);
        SteadyState.AssertAllocatesNothing(() => { for (int i = 0; i < 5; i++) rule.Apply(tile, deltas, xs, 16, 0.01f); });
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void SameSeedSameWeightsBitForBit(UpdateMethod method, int rank)
    {
        float[] Run()
        {
            var rule = UpdateRuleFactory.Create(method, A, B, rank, new EstimatorOptions { SubBatch = 2 }, seed: 11);
            var tile = Tile(5);
            for (int batch = 0; batch < 3; batch++)
            {
                var (deltas, xs) = TestData.Gaussian(7, A, B, (ulong)batch);
                rule.Apply(tile, deltas, xs, 7, 0.05f);
            }
            return tile.Weights.ToArray();
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void InvalidRankThrows()
    {
        Assert.Equal("rank", Assert.Throws<ArgumentException>(() => UpdateRuleFactory.Create(UpdateMethod.TruncatedSvd, A, B, 0)).ParamName);
        Assert.Equal("rank", Assert.Throws<ArgumentException>(() => UpdateRuleFactory.Create(UpdateMethod.TruncatedSvd, A, B, A + 1)).ParamName);
        Assert.Equal("Rank", Assert.Throws<ArgumentException>(() => UpdateRuleFactory.Create(UpdateMethod.Sbe, A, B, A + 1)).ParamName);
        Assert.Equal("SubBatch", Assert.Throws<ArgumentException>(() => UpdateRuleFactory.Create(UpdateMethod.Sbe, A, B, 1, new EstimatorOptions { SubBatch = 0 })).ParamName);
        Assert.Throws<ArgumentException>(() => UpdateRuleFactory.Create((UpdateMethod)99, A, B));
    }

    [Fact]
    public void FactoryRankOverridesOptionsRank()
    {
        var rule = (SbeRule)UpdateRuleFactory.Create(UpdateMethod.Sbe, A, B, 2, new EstimatorOptions { Rank = 4, SubBatch = 3 });
        Assert.Equal(2, rule.Estimator.Rank);
        Assert.Equal(3, rule.Estimator.Options.SubBatch);
    }

    [Fact]
    public void SbeWithRayleighMagnitudeAppliesTheReplayedQuotient()
    {
        const int n = 12;
        var opts = new EstimatorOptions { Magnitude = MagnitudeEstimate.Rayleigh };
        var rule = (SbeRule)UpdateRuleFactory.Create(UpdateMethod.Sbe, A, B, 1, opts, seed: 2);
        var tile = Tile(6);
        var (deltas, xs) = TestData.Gaussian(n, A, B, 8);
        rule.Apply(tile, deltas, xs, n, 0.1f);
        var mean = Oracle.MeanGradient(deltas, xs, n, A, B);
        var dv = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(A, i => rule.LastD[i]);
        var xv = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(B, i => rule.LastX[i]);
        double rq = dv * (mean * xv);
        Assert.Equal(rq, rule.LastS[0], 1e-4 * Math.Abs(rq) + 1e-7);
    }
}

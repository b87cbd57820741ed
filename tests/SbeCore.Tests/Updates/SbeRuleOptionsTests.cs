using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Tests.Eigen;
using SbeCore.Updates;

namespace SbeCore.Tests.Updates;

public class SbeRuleOptionsTests
{
    private const int A = 6, B = 9;

    [Fact]
    public void ARankOverrideKeepsEveryOtherEstimatorOption()
    {
        var options = new EstimatorOptions
        {
            Rank = 1, SubBatch = 2, QuantizationBits = 8, StochasticRounding = true, Magnitude = MagnitudeEstimate.Rayleigh,
            Initialization = InitialState.FirstSample, WarmStart = false, OjaRate = 0.05f,
        };
        var rule = (SbeRule)UpdateRuleFactory.Create(UpdateMethod.Sbe, A, B, rank: 2, options);
        var o = rule.Estimator.Options;
        Assert.Equal(2, o.Rank);
        Assert.Equal((2, 8, true, MagnitudeEstimate.Rayleigh, InitialState.FirstSample, false),
            (o.SubBatch, o.QuantizationBits, o.StochasticRounding, o.Magnitude, o.Initialization, o.WarmStart));
        // Every option, including any added later: the options are a record, so equality compares them all.
        Assert.Equal(options with { Rank = 2 }, o);
        Assert.NotEqual(options, o);
    }

    [Fact]
    public void WithoutWarmStartEachBatchIsEstimatedFromScratch()
    {
        // Cold: the update of batch 2 does not depend on batch 1. Warm (the default): it does.
        var cold = new EstimatorOptions { WarmStart = false, Initialization = InitialState.FirstSample };
        var warm = new EstimatorOptions { Initialization = InitialState.FirstSample };
        var (d1, x1) = TestData.Gaussian(8, A, B, 1);
        var (d2, x2) = TestData.Gaussian(8, A, B, 2);
        float[] AfterBatch2(EstimatorOptions o, bool withBatch1)
        {
            var rule = new SbeRule(A, B, o, seed: 3);
            var tile = new CrossbarTile(A, B);
            if (withBatch1) rule.Apply(new CrossbarTile(A, B), d1, x1, 8, 0.1f); // a different tile: only the estimator carries over
            rule.Apply(tile, d2, x2, 8, 0.1f);
            return tile.Weights.ToArray();
        }
        Assert.Equal(AfterBatch2(cold, withBatch1: false), AfterBatch2(cold, withBatch1: true));
        Assert.NotEqual(AfterBatch2(warm, withBatch1: false), AfterBatch2(warm, withBatch1: true));
    }
}

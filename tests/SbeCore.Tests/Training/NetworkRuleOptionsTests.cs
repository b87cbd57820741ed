using SbeCore.Eigen;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Training;

public class NetworkRuleOptionsTests
{
    [Fact]
    public void RankCappedToTheLayerKeepsEveryOtherEstimatorOption()
    {
        // The output layer 8 -> 3 (3 x 9 tile) cannot hold rank 5: it gets rank 3, with the caller's other options intact.
        var options = new EstimatorOptions { Rank = 5, SubBatch = 4, QuantizationBits = 8, Magnitude = MagnitudeEstimate.RightNorm };
        var net = new Network(new NetworkOptions { LayerSizes = [20, 8, 3], Method = UpdateMethod.Sbe, Estimator = options, Seed = 7 });

        var hidden = Assert.IsType<SbeRule>(net.GetRule(0)).Estimator.Options;
        var output = Assert.IsType<SbeRule>(net.GetRule(1)).Estimator.Options;
        Assert.Equal(5, hidden.Rank);
        Assert.Equal(3, output.Rank);
        foreach (var o in new[] { hidden, output })
        {
            Assert.Equal(4, o.SubBatch);
            Assert.Equal(8, o.QuantizationBits);
            Assert.Equal(MagnitudeEstimate.RightNorm, o.Magnitude);
        }
    }
}

using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Experiments;
using SbeCore.Tests.Eigen;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Experiments;

public class UpdateQualityTests
{
    // The exact rank-1 write leaves sqrt(1 - s1^2 / ||M||^2) of the gradient (Eckart-Young): the scoring must say so,
    // and no other candidate may score better than it.
    [Fact]
    public void ExactSvdScoresTheEckartYoungResidualAndNothingBeatsIt()
    {
        var network = new Network(new NetworkOptions { LayerSizes = [10, 6, 3], Method = UpdateMethod.MiniBatch, Seed = 2 });
        string[] labels = ["svd-1", "sbe-1", "lrt-1", "sbpca-1"];
        var quality = new UpdateQuality(network, labels, (label, layer, rows, cols) => label switch
        {
            "svd-1" => new TruncatedSvdRule(rows, cols, 1),
            "sbe-1" => new SbeRule(rows, cols, new EstimatorOptions(), 3),
            "lrt-1" => new LrtRule(rows, cols, 1),
            _ => new SbpcaRule(rows, cols, 1, 4, seed: 3),
        });
        var stream = new PlantedStream(6, 11, [3.0, 1.0], 0.3, 5);
        var d = new float[16 * 6]; var x = new float[16 * 11];
        for (int t = 0; t < 30; t++)
        {
            stream.Next(16, d, x);
            quality.OnBatch(0, d, x, 16, 6, 11);
            var m = Oracle.MeanGradient(d, x, 16, 6, 11);
            var s = Oracle.Svd(m).S;
            double eckartYoung = Math.Sqrt(1 - s[0] * s[0] / (m.FrobeniusNorm() * m.FrobeniusNorm()));
            Assert.Equal(eckartYoung, quality.Scores["svd-1"][t].Residual, 1e-4);
            Assert.Equal(0, quality.Scores["svd-1"][t].MagnitudeError, 1e-4);
            foreach (var label in labels) Assert.True(quality.Scores[label][t].Residual >= eckartYoung - 1e-4, label);
        }
    }

    // StartRayleigh writes along the batch's start vectors with their exact quotients: after the first batch no write
    // can leave the weights further from the gradient step than no write.
    [Fact]
    public void StartRayleighNeverWritesWorseThanNothing()
    {
        var network = new Network(new NetworkOptions { LayerSizes = [10, 6, 3], Method = UpdateMethod.MiniBatch, Seed = 2 });
        var quality = new UpdateQuality(network, ["start", "paper"], (label, layer, rows, cols) =>
            new SbeRule(rows, cols, new EstimatorOptions { Magnitude = label == "start" ? MagnitudeEstimate.StartRayleigh : MagnitudeEstimate.RunningMean }, 3));
        var stream = new PlantedStream(6, 11, [1.0, 0.8], 1.0, 9); // noisy: the paper's running mean overshoots
        var d = new float[8 * 6]; var x = new float[8 * 11];
        for (int t = 0; t < 60; t++) { stream.Next(8, d, x); quality.OnBatch(0, d, x, 8, 6, 11); }
        Assert.All(quality.Scores["start"].Skip(1), s => Assert.True(s.Residual <= 1 + 1e-5, $"residual {s.Residual}"));
        Assert.Contains(quality.Scores["paper"], s => s.Residual > 1); // the guarantee is not vacuous on this stream
    }
}

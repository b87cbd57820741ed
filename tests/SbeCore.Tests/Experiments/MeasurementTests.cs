using SbeCore.Experiments;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Experiments;

/// <summary>The Fig. 3 and Fig. 1 measurements on the tiny problem.</summary>
public class MeasurementTests
{
    private static Network Tiny(UpdateMethod method, Activation act = Activation.Relu)
        => new(new NetworkOptions { LayerSizes = [8, 5, 3], Method = method, Activation = act, Seed = 3 });

    private static void Train(Network net, int batch, int epochs)
        => new Trainer(net, TinyExperiment.Data.Train, null, new TrainingSchedule { Epochs = epochs, BatchSize = batch, LearningRate = 0.2f, ShuffleSeed = 3 }).Run();

    [Fact]
    public void WithinBatchTraceShadowsTheRuleExactlyAndRecordsEverySampleOfTheTracedBatches()
    {
        var net = Tiny(UpdateMethod.Sbe);
        var trace = new WithinBatchTrace(net, 0, firstBatch: 6, count: 3);
        net.BatchObserver = trace;
        Train(net, batch: 8, epochs: 1); // 12 batches
        Assert.Equal(0, trace.ShadowMismatch);
        Assert.Equal(3 * 8, trace.Points.Count);
        Assert.Equal([6L, 7, 8], trace.Points.Select(p => p.Batch).Distinct());
        Assert.All(trace.Points, p =>
        {
            Assert.InRange(p.RightVectorError, 0, 1);
            Assert.InRange(p.LeftVectorError, 0, 1);
            Assert.True(double.IsFinite(p.ValueError));
        });
    }

    [Fact]
    public void WithinBatchTraceNeedsRankOneSbe()
        => Assert.Throws<ArgumentException>(() => new WithinBatchTrace(Tiny(UpdateMethod.MiniBatch), 0, 0, 1));

    [Fact]
    public void FullSpectrumCarriesTheWholeFrobeniusNorm()
    {
        foreach (var act in new[] { Activation.Relu, Activation.Sigmoid })
        {
            var net = Tiny(UpdateMethod.MiniBatch, act);
            var spectrum = new GradientSpectrum(0, b => b % 3 == 0);
            net.BatchObserver = spectrum;
            Train(net, batch: 16, epochs: 1); // 6 batches: 0 and 3 recorded
            Assert.Equal([0L, 3], spectrum.Records.Select(r => r.Batch));
            foreach (var r in spectrum.Records)
            {
                Assert.Equal(5, r.SingularValues.Length); // min(n = 16, rows = 5, cols = 9)
                Assert.True(r.SingularValues.Zip(r.SingularValues.Skip(1)).All(p => p.First >= p.Second));
                Assert.Equal(1.0, r.EnergyShare(5), 3);
                Assert.InRange(r.EnergyShare(1), 1.0 / 5 - 1e-9, 1.0);
                Assert.Equal(1.0, r.NuclearShare(5), 6);
            }
        }
    }
}

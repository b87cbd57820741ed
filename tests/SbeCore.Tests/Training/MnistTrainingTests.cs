using SbeCore.Data;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Training;

/// <summary>Short deterministic runs of the real update rules on the embedded MNIST-10k set.</summary>
public class MnistTrainingTests
{
    private static readonly Lazy<DataSplit> s_data = new(DataLoader.LoadDefault);

    // Short schedules (a few seconds each) that reach 90% honestly; the compare defaults train longer.
    [Theory]
    [InlineData(UpdateMethod.Sgd, 1, 0.02f, 1)]
    [InlineData(UpdateMethod.MiniBatch, 16, 0.3f, 2)]
    [InlineData(UpdateMethod.TruncatedSvd, 4, 0.05f, 3)]
    [InlineData(UpdateMethod.Sbe, 4, 0.05f, 3)]
    public void ShortRunReaches90PercentTestAccuracy(UpdateMethod method, int batch, float lr, int epochs)
    {
        var data = s_data.Value;
        var net = new Network(new NetworkOptions { LayerSizes = [784, 100, 10], Method = method, Seed = 1 });
        var schedule = new TrainingSchedule { Epochs = epochs, BatchSize = batch, LearningRate = lr, ShuffleSeed = 1 };
        for (int e = 0; e < epochs; e++) net.TrainEpoch(data.Train.Images, data.Train.Labels, batch, lr, schedule.EpochShuffleSeed(e));
        var test = net.Evaluate(data.Test.Images, data.Test.Labels);
        Assert.True(test.Accuracy >= 0.90, $"{method}: test accuracy {test.Accuracy:P2} after {epochs} epochs");
        Assert.Equal(ExpectedWrites(method, net, data.Train.Count, batch, epochs), net.RankOneWrites);
    }

    // Rank-1 writes of a run, batch by batch (the last batch of an epoch may be smaller): SGD one per sample and layer,
    // rank-1 SVD and SBE one per batch and layer, mini-batch's dense update min(n, rows, cols) per batch and layer.
    private static long ExpectedWrites(UpdateMethod method, Network net, int samples, int batch, int epochs)
    {
        long perEpoch = 0;
        for (int start = 0; start < samples; start += batch)
        {
            int n = Math.Min(batch, samples - start);
            for (int l = 0; l < net.LayerCount; l++)
            {
                var tile = net.GetTile(l);
                perEpoch += method switch
                {
                    UpdateMethod.Sgd => n,
                    UpdateMethod.MiniBatch => Math.Min(n, Math.Min(tile.Rows, tile.Cols)),
                    UpdateMethod.TruncatedSvd or UpdateMethod.Sbe => 1,
                    _ => throw new ArgumentOutOfRangeException(nameof(method)),
                };
            }
        }
        return epochs * perEpoch;
    }

    [Theory]
    [InlineData(UpdateMethod.Sgd)]
    [InlineData(UpdateMethod.MiniBatch)]
    [InlineData(UpdateMethod.TruncatedSvd)]
    [InlineData(UpdateMethod.Sbe)]
    public void SameSeedGivesBitIdenticalWeightsWithRealRules(UpdateMethod method)
    {
        var train = s_data.Value.Train.Slice(0, 600, "subset");
        float[] Run()
        {
            var net = new Network(new NetworkOptions { LayerSizes = [784, 32, 10], Method = method, Rank = 2, Seed = 5 });
            var history = new Trainer(net, train, null, new TrainingSchedule { Epochs = 2, BatchSize = 20, LearningRate = 0.1f, ShuffleSeed = 3 }).Run();
            Assert.Equal(3, history.Records.Count);
            return [.. net.GetTile(0).Weights, .. net.GetTile(1).Weights];
        }
        float[] a = Run(), b = Run();
        Assert.True(a.AsSpan().SequenceEqual(b), $"{method}: two runs with the same seed differ");
    }

    [Theory]
    [InlineData(UpdateMethod.Sgd)]
    [InlineData(UpdateMethod.MiniBatch)]
    [InlineData(UpdateMethod.TruncatedSvd)]
    [InlineData(UpdateMethod.Sbe)]
    public void SteadyStateTrainingStepAllocatesNothingWithRealRules(UpdateMethod method)
    {
        var train = s_data.Value.Train;
        var net = new Network(new NetworkOptions { LayerSizes = [784, 100, 10], Method = method, Seed = 2 });
        var order = new int[640];
        Network.ShuffledOrder(9, order);
        for (int b = 0; b < 3; b++) net.TrainBatch(train.Images, train.Labels, order.AsSpan(b * 64, 64), 0.05f); // warm-up
        SteadyState.AssertAllocatesNothing(() => { for (int b = 3; b < 10; b++) net.TrainBatch(train.Images, train.Labels, order.AsSpan(b * 64, 64), 0.05f); });
    }
}

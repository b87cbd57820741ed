using SbeCore.Numerics;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Training;

/// <summary>Hostile input at the network level: an absurd learning rate is refused before any layer is
/// written; a NaN prediction is never correct; SBE rank 2 with batches of one sample never gets stuck.</summary>
public class NetworkRobustnessTests
{
    private static (float[] Images, int[] Labels) Data(int n, int features, int classes, ulong seed) => RandomSamples.Make(n, features, classes, seed);

    private static float[][] Weights(Network net) => Enumerable.Range(0, net.LayerCount).Select(l => net.GetTile(l).Weights.ToArray()).ToArray();

    [Theory]
    [InlineData(UpdateMethod.Sgd, 1)]
    [InlineData(UpdateMethod.MiniBatch, 1)]
    [InlineData(UpdateMethod.TruncatedSvd, 2)]
    [InlineData(UpdateMethod.Sbe, 1)]
    [InlineData(UpdateMethod.Sbe, 2)]
    public void AbsurdLearningRateIsRefusedWithNothingChanged(UpdateMethod method, int rank)
    {
        var (x, y) = Data(8, 12, 3, 1);
        var net = new Network(new NetworkOptions { LayerSizes = [12, 6, 3], Method = method, Rank = rank, Seed = 2 });
        net.TrainBatch(x, y, 0.1f);
        var before = Weights(net);
        long writes = net.RankOneWrites;
        foreach (float lr in new[] { 3e38f, -3e38f, 1e38f })
        {
            var e = Assert.Throws<ArgumentException>(() => net.TrainBatch(x, y, lr));
            Assert.Equal("learningRate", e.ParamName);
            Assert.Equal(before, Weights(net));
            Assert.Equal(writes, net.RankOneWrites);
        }
        net.TrainBatch(x, y, 0.1f); // still trains
        var eval = net.Evaluate(x, y);
        Assert.True(double.IsFinite(eval.Loss));
    }

    [Fact]
    public void HugeButFiniteActivationsAreDivergenceNotAnEstimatorParameter()
    {
        // inputs of 2e37 keep the loss finite with zero output weights but give |delta| |x| beyond what the estimator
        // accepts: the error must be the network's own ("diverged"), before any layer is written, never "(Parameter 'xs')"
        var net = new Network(new NetworkOptions { LayerSizes = [12, 6, 3], Method = UpdateMethod.Sbe, Seed = 2 });
        net.GetTile(1).SetWeights(new float[3 * 7]);
        var (x, y) = Data(8, 12, 3, 1);
        for (int i = 0; i < x.Length; i++) x[i] *= 2e37f;
        var before = Weights(net);
        var e = Assert.Throws<InvalidOperationException>(() => net.TrainBatch(x, y, 0.1f));
        Assert.Contains("diverged", e.Message);
        Assert.Equal(before, Weights(net));
    }

    [Fact]
    public void BatchBuffersBeyondAnArrayAreRefusedNotWrapped()
    {
        // 4,096 x (2^20 + 1) wraps to 4,096 in 32 bits: the workspace used to allocate that and index past it
        var net = new Network(new NetworkOptions { LayerSizes = [2, 1 << 20, 2], Method = UpdateMethod.Sgd, Seed = 1 });
        var (x, y) = Data(4096, 2, 2, 5);
        var e = Assert.Throws<ArgumentException>(() => net.TrainBatch(x, y, 0.1f));
        Assert.Contains("smaller batches", e.Message);
    }

    [Fact]
    public void NonFiniteLogitsAreNoPrediction()
    {
        Assert.Equal(-1, SoftmaxCrossEntropy.ArgMax([float.NaN, float.NaN, float.NaN]));
        Assert.Equal(-1, SoftmaxCrossEntropy.ArgMax([0f, float.NaN, 1f]));
        Assert.Equal(-1, SoftmaxCrossEntropy.ArgMax([float.PositiveInfinity, 0f]));
        Assert.Equal(2, SoftmaxCrossEntropy.ArgMax([0f, 1f, 3f]));
    }

    [Fact]
    public void SbeRankTwoWithBatchesOfOneOnMnistAtAHighRateNeverFailsInside()
    {
        // the hostile-testing case: ReLUs die at this rate, layer 0's deltas stay zero for hundreds of batches, and the
        // estimator used to return s[1] = NaN or infinite vectors ("(Parameter 's')", a parameter the caller never passed)
        var train = SbeCore.Data.DataLoader.LoadDefault().Train;
        var net = new Network(new NetworkOptions { LayerSizes = [784, 100, 10], Method = UpdateMethod.Sbe, Rank = 2, Seed = 1 });
        var order = new int[1];
        for (int b = 0; b < 2500; b++)
        {
            order[0] = b % train.Labels.Length;
            try { net.TrainBatch(train.Images, train.Labels, order, 2f); }
            catch (ArgumentException e) when (e.ParamName == "learningRate") { }
            catch (InvalidOperationException e) when (e.Message.Contains("diverged")) { }
        }
    }

    [Fact]
    public void SbeRankTwoWithBatchesOfOneNeverGetsStuck()
    {
        var (x, y) = Data(64, 30, 4, 3);
        var net = new Network(new NetworkOptions { LayerSizes = [30, 16, 4], Method = UpdateMethod.Sbe, Rank = 2, Seed = 4 });
        var order = new int[1];
        for (int b = 0; b < 3000; b++)
        {
            order[0] = b % 64;
            net.TrainBatch(x, y, order, 0.05f);
        }
        Assert.True(double.IsFinite(net.Evaluate(x, y).Loss));
    }
}

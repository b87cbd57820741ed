using SbeCore.Numerics;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Training;

public class NetworkTests
{
    private static (float[] Images, int[] Labels) RandomData(int n, int features, int classes, ulong seed) => RandomSamples.Make(n, features, classes, seed);

    private static Network DenseNet(int[] sizes, ulong seed) =>
        new(new NetworkOptions { LayerSizes = sizes, Seed = seed }, (l, r, c) => new DenseMeanRule(r, c));

    [Fact]
    public void InitialWeightsDependOnSeedOnlyNotOnRule()
    {
        int[] sizes = [20, 8, 3];
        var a = DenseNet(sizes, 42);
        var b = new Network(new NetworkOptions { LayerSizes = sizes, Seed = 42, Method = UpdateMethod.Sgd }, (l, r, c) => new RecordingRule(r, c));
        var c = DenseNet(sizes, 43);
        for (int l = 0; l < 2; l++) Assert.True(a.GetTile(l).Weights.SequenceEqual(b.GetTile(l).Weights));
        Assert.False(a.GetTile(0).Weights.SequenceEqual(c.GetTile(0).Weights));
    }

    [Fact]
    public void HeNormalInitHasExpectedScaleAndZeroBias()
    {
        var net = DenseNet([400, 300, 10], 1);
        var w = net.GetTile(0).Weights;
        double sum2 = 0; int count = 0;
        for (int r = 0; r < 300; r++)
        {
            Assert.Equal(0f, w[r * 401 + 400]);
            for (int c = 0; c < 400; c++) { sum2 += (double)w[r * 401 + c] * w[r * 401 + c]; count++; }
        }
        Assert.InRange(sum2 / count, 2.0 / 400 * 0.97, 2.0 / 400 * 1.03);
    }

    [Fact]
    public void SameSeedSameDataOrderGivesBitIdenticalRuns()
    {
        var (x, y) = RandomData(300, 30, 4, 9);
        float[] Run()
        {
            var net = DenseNet([30, 16, 4], 7);
            for (int e = 0; e < 3; e++) net.TrainEpoch(x, y, 8, 0.2f, (ulong)e);
            return [.. net.GetTile(0).Weights, .. net.GetTile(1).Weights];
        }
        float[] first = Run(), second = Run();
        Assert.Equal(first.Length, second.Length);
        for (int i = 0; i < first.Length; i++) Assert.Equal(BitConverter.SingleToInt32Bits(first[i]), BitConverter.SingleToInt32Bits(second[i]));
        var other = DenseNet([30, 16, 4], 7);
        other.TrainEpoch(x, y, 8, 0.2f, 99); // a different shuffle must change the result
        Assert.False(other.GetTile(0).Weights.SequenceEqual(first.AsSpan(0, 16 * 31)));
    }

    [Fact]
    public void PulsedNoisyDeviceRunsAreBitIdenticalAndCountPulses()
    {
        var (x, y) = RandomData(200, 20, 3, 6);
        (float[] Weights, long Pulses) Run(ulong seed)
        {
            var net = new Network(new NetworkOptions
            {
                LayerSizes = [20, 10, 3], Method = UpdateMethod.Sbe, Seed = seed, TileConfig = SbeCore.Crossbar.TileConfig.GokmenVlasov(),
            });
            EpochMetrics m = default;
            for (int e = 0; e < 2; e++) m = net.TrainEpoch(x, y, 10, 0.1f, (ulong)e);
            net.Evaluate(x, y);
            Assert.Equal(net.TotalPulses, m.Pulses);
            return ([.. net.GetTile(0).Weights, .. net.GetTile(1).Weights], m.Pulses);
        }
        var a = Run(4);
        var b = Run(4);
        var c = Run(5);
        Assert.True(a.Pulses > 0);
        Assert.Equal(a.Pulses, b.Pulses);
        Assert.True(a.Weights.AsSpan().SequenceEqual(b.Weights));
        Assert.False(a.Weights.AsSpan().SequenceEqual(c.Weights));
    }

    [Theory]
    [InlineData(UpdateMethod.MiniBatch, false)]
    [InlineData(UpdateMethod.Sbe, false)]
    [InlineData(UpdateMethod.MiniBatch, true)]
    public void ConvolutionalTrainingOnThreeThreadsIsBitIdenticalToOne(UpdateMethod method, bool pulsed)
    {
        var (x, y) = RandomData(40, 2 * 8 * 8, 3, 9);
        float[] Run(int threads)
        {
            var net = new Network(new NetworkOptions
            {
                Architecture = "2x8x8-conv4k3p1-maxpool2-conv5k3-fc3", LayerSizes = [128, 3], Method = method, Seed = 3, Threads = threads,
                TileConfig = pulsed ? SbeCore.Crossbar.TileConfig.GokmenVlasov() : new SbeCore.Crossbar.TileConfig(),
            });
            for (int l = 0; l < net.LayerCount; l++)
            {
                net.GetTile(l).MinVisitsPerThread = 0;
                net.GetTile(l).MinMultiplyAddsPerThread = 1; // split the column reads over samples
            }
            net.TrainEpoch(x, y, 8, 0.05f, 1);
            var weights = new List<float>();
            for (int l = 0; l < net.LayerCount; l++) weights.AddRange(net.GetTile(l).Weights.ToArray());
            return [.. weights];
        }
        Assert.True(Run(1).AsSpan().SequenceEqual(Run(3)));
    }

    [Theory]
    [InlineData(UpdateMethod.Sgd)]
    [InlineData(UpdateMethod.MiniBatch)]
    [InlineData(UpdateMethod.Sbe)]
    public void PulsedTrainingOnThreeThreadsIsBitIdenticalToOne(UpdateMethod method)
    {
        var (x, y) = RandomData(120, 20, 3, 8);
        (float[] Weights, long Pulses) Run(int threads)
        {
            var net = new Network(new NetworkOptions
            {
                LayerSizes = [20, 160, 3], Method = method, Seed = 3, Threads = threads, TileConfig = SbeCore.Crossbar.TileConfig.GokmenVlasov(),
            });
            for (int l = 0; l < net.LayerCount; l++)
            {
                net.GetTile(l).MinVisitsPerThread = 0; // split even these small writes
                net.GetTile(l).MinMultiplyAddsPerThread = 1; // and reads
            }
            var m = net.TrainEpoch(x, y, method == UpdateMethod.Sgd ? 1 : 10, 0.1f, 1);
            return ([.. net.GetTile(0).Weights, .. net.GetTile(1).Weights], m.Pulses);
        }
        var one = Run(1);
        var three = Run(3);
        Assert.True(one.Pulses > 0);
        Assert.Equal(one.Pulses, three.Pulses);
        Assert.True(one.Weights.AsSpan().SequenceEqual(three.Weights));
        Assert.Throws<ArgumentException>(() => new Network(new NetworkOptions { LayerSizes = [4, 2], Threads = 0 }));
    }

    [Fact]
    public void TrainEpochUsesEveryBatchIncludingTheShortLastOne()
    {
        var (x, y) = RandomData(50, 10, 3, 2);
        int calls = 0, samples = 0;
        var net = new Network(new NetworkOptions { LayerSizes = [10, 3] },
            (l, r, c) => new CountingRule(n => { calls++; samples += n; }));
        var m = net.TrainEpoch(x, y, 16, 0.1f, 1);
        Assert.Equal(4, m.Batches);
        Assert.Equal(4, calls);
        Assert.Equal(50, samples);
        Assert.Equal(50, m.Samples);
    }

    [Fact]
    public void TrainingLowersTheLossOnASeparableProblem()
    {
        var (x, y) = RandomData(200, 12, 3, 4);
        for (int j = 0; j < 200; j++) x[j * 12 + y[j]] += 2f; // plant the class in a feature
        var net = DenseNet([12, 10, 3], 5);
        double before = net.Evaluate(x, y).Loss;
        for (int e = 0; e < 20; e++) net.TrainEpoch(x, y, 10, 0.3f, (ulong)e);
        var after = net.Evaluate(x, y);
        Assert.True(after.Loss < before * 0.2, $"loss {before} -> {after.Loss}");
        Assert.True(after.Accuracy > 0.95, $"accuracy {after.Accuracy}");
    }

    [Fact]
    public void PredictGivesProbabilitiesConsistentWithEvaluate()
    {
        var (x, y) = RandomData(300, 6, 4, 8); // 300 > one evaluation chunk
        var net = DenseNet([6, 5, 4], 3);
        var p = new float[300 * 4];
        net.Predict(x, p);
        double loss = 0;
        for (int j = 0; j < 300; j++)
        {
            Assert.Equal(1.0, p[j * 4] + p[j * 4 + 1] + p[j * 4 + 2] + p[j * 4 + 3], 1e-5);
            loss -= Math.Log(p[j * 4 + y[j]]);
        }
        Assert.Equal(net.Evaluate(x, y).Loss, loss / 300, 1e-4);
    }

    [Fact]
    public void BadInputIsRejectedAndChangesNothing()
    {
        var (x, y) = RandomData(10, 6, 3, 1);
        var net = DenseNet([6, 5, 3], 3);
        float[] w = net.GetTile(0).Weights.ToArray();
        Assert.Throws<ArgumentException>(() => net.TrainEpoch(x.AsSpan(1).ToArray(), y, 4, 0.1f, 0));
        Assert.Throws<ArgumentException>(() => net.TrainEpoch(x, y, 4, float.NaN, 0));
        Assert.Throws<ArgumentException>(() => net.TrainEpoch(x, y, 4, -1f, 0));
        Assert.Throws<ArgumentException>(() => net.TrainEpoch(x, y, 0, 0.1f, 0));
        var badLabel = (int[])y.Clone(); badLabel[9] = 3;
        Assert.Throws<ArgumentException>(() => net.TrainEpoch(x, badLabel, 4, 0.1f, 0));
        var nan = (float[])x.Clone(); nan[59] = float.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => net.TrainEpoch(nan, y, 4, 0.1f, 0));
        Assert.Equal("images", e.ParamName);
        Assert.Throws<ArgumentException>(() => net.TrainBatch(nan, y, [2, 9], 0.1f));
        Assert.Throws<ArgumentException>(() => net.TrainBatch(x, y, [2, 10], 0.1f));
        Assert.Throws<ArgumentException>(() => net.Predict(x, new float[29]));
        Assert.True(net.GetTile(0).Weights.SequenceEqual(w));
        Assert.Equal(0, net.RankOneWrites);
        Assert.Throws<ArgumentException>(() => new Network(new NetworkOptions { LayerSizes = [5] }, (l, r, c) => new DenseMeanRule(r, c)));
        Assert.Throws<ArgumentException>(() => new Network(new NetworkOptions { LayerSizes = [5, 0, 2] }, (l, r, c) => new DenseMeanRule(r, c)));
        Assert.Throws<ArgumentException>(() => new Network(new NetworkOptions { LayerSizes = [5, 2], Rank = 0 }, (l, r, c) => new DenseMeanRule(r, c)));
        Assert.Throws<ArgumentException>(() => new Network(new NetworkOptions { LayerSizes = [5, 2], SubBatch = 0 }, (l, r, c) => new DenseMeanRule(r, c)));
    }

    [Fact]
    public void DivergedBatchThrowsAndLeavesWeightsAlone()
    {
        var (x, y) = RandomData(8, 6, 3, 1);
        var net = DenseNet([6, 5, 3], 3);
        var huge = new float[3 * 6];
        Array.Fill(huge, 3e38f); // logits overflow to infinity
        net.GetTile(1).SetWeights(huge);
        float[] w0 = net.GetTile(0).Weights.ToArray();
        var e = Assert.Throws<InvalidOperationException>(() => net.TrainBatch(x, y, 0.1f));
        Assert.Contains("diverged", e.Message);
        Assert.True(net.GetTile(0).Weights.SequenceEqual(w0));
        Assert.True(net.GetTile(1).Weights.SequenceEqual(huge));
    }

    [Fact]
    public void SteadyStateTrainingStepAllocatesNothing()
    {
        var (x, y) = RandomData(256, 64, 10, 3);
        var net = DenseNet([64, 32, 10], 1);
        var order = new int[256];
        Network.ShuffledOrder(5, order);
        net.TrainBatch(x, y, order.AsSpan(0, 64), 0.1f); // warm-up grows the pooled workspace
        net.Evaluate(x, y);
        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int b = 0; b < 4; b++) net.TrainBatch(x, y, order.AsSpan(b * 64, 64), 0.1f);
            net.TrainBatch(x.AsSpan(0, 64 * 64), y.AsSpan(0, 64), 0.1f);
            net.Evaluate(x, y);
        });
    }

    private sealed class CountingRule(Action<int> onApply) : IUpdateRule
    {
        public string Name => "count";
        public long RankOneWrites => 0;
        public long PeripheralMemoryBytes => 0;
        public void Apply(SbeCore.Crossbar.IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate) => onApply(n);
    }
}

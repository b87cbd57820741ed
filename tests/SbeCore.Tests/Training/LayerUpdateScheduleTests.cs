using SbeCore.Numerics;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Training;

// A training step may update whole layers side by side (LayerUpdateSchedule): the same bits as in order, only for
// SbeCore's own rules, never with a batch observer, and a failed check reported as in order with nothing changed.
public class LayerUpdateScheduleTests
{
    private static (float[] Images, int[] Labels) RandomData(int n, int features, int classes, ulong seed) => RandomSamples.Make(n, features, classes, seed);

    private static Network Net(int[] sizes, UpdateMethod method, int threads, bool pulsed = false, string? architecture = null) => new(new NetworkOptions
    {
        LayerSizes = sizes, Architecture = architecture, Method = method, Rank = 2, Seed = 5, Threads = threads,
        TileConfig = pulsed ? SbeCore.Crossbar.TileConfig.GokmenVlasov() : new SbeCore.Crossbar.TileConfig(),
    });

    private static float[] Weights(Network net)
    {
        var all = new List<float>();
        for (int l = 0; l < net.LayerCount; l++) all.AddRange(net.GetTile(l).Weights.ToArray());
        return [.. all];
    }

    [Theory]
    [InlineData(UpdateMethod.Sbe, false, 2)]
    [InlineData(UpdateMethod.Sbe, true, 3)]
    [InlineData(UpdateMethod.TruncatedSvd, false, 2)]
    [InlineData(UpdateMethod.Lrt, false, 3)]
    [InlineData(UpdateMethod.Sbpca, true, 2)]
    public void LayersSideBySideGiveTheBitsOfLayersInOrder(UpdateMethod method, bool pulsed, int threads)
    {
        var (x, y) = RandomData(90, 24, 3, 7);
        int[] sizes = [24, 40, 30, 3];
        var one = Net(sizes, method, 1, pulsed);
        var many = Net(sizes, method, threads, pulsed);
        many.UpdateSchedule.MinSerialNanoseconds = 0;
        for (int e = 0; e < 2; e++)
        {
            one.TrainEpoch(x, y, 15, 0.05f, (ulong)e);
            many.TrainEpoch(x, y, 15, 0.05f, (ulong)e);
        }
        Assert.Equal(0, one.UpdateSchedule.SideBySideSteps);
        Assert.Equal(12, many.UpdateSchedule.SideBySideSteps); // every batch of both epochs
        Assert.True(Weights(one).AsSpan().SequenceEqual(Weights(many)));
        Assert.Equal(one.TotalPulses, many.TotalPulses);
    }

    [Fact]
    public void ConvolutionalLayersSideBySideGiveTheBitsOfLayersInOrder()
    {
        var (x, y) = RandomData(24, 2 * 8 * 8, 3, 9);
        const string arch = "2x8x8-conv4k3p1-maxpool2-conv6k3p1-fc3"; 
        var one = Net([128, 3], UpdateMethod.Sbe, 1, architecture: arch);
        var two = Net([128, 3], UpdateMethod.Sbe, 2, architecture: arch);
        two.UpdateSchedule.MinSerialNanoseconds = 0;
        one.TrainEpoch(x, y, 8, 0.05f, 1);
        two.TrainEpoch(x, y, 8, 0.05f, 1);
        Assert.Equal(3, two.UpdateSchedule.SideBySideSteps);
        Assert.True(Weights(one).AsSpan().SequenceEqual(Weights(two)));
    }

    [Fact]
    public void LayersSideBySideOnlyWhenTheEstimateBeatsLayersInOrder()
    {
        var (x, y) = RandomData(40, 600, 2, 3);
        var (narrow, classes) = RandomData(40, 100, 3, 3);
        var streaming = Net([100, 60, 30, 3], UpdateMethod.Sbe, 2); // the estimators' chains dominate the ideal writes
        streaming.UpdateSchedule.MinSerialNanoseconds = 0;
        streaming.TrainEpoch(narrow, classes, 20, 0.01f, 1);
        Assert.Equal(2, streaming.UpdateSchedule.SideBySideSteps);

        // Two pulsed 300 x 601 writes (about 70 us, split by the tile in order) against 20 pairs' chains (about 13 us):
        // side by side, the big writes would run on one thread.
        var writeBound = Net([600, 300, 2], UpdateMethod.Sbe, 2, pulsed: true);
        writeBound.UpdateSchedule.MinSerialNanoseconds = 0;
        writeBound.TrainEpoch(x, y, 20, 0.01f, 1);
        Assert.Equal(0, writeBound.UpdateSchedule.SideBySideSteps);

        var small = Net([600, 300, 2], UpdateMethod.Sbe, 2); // the default threshold: too little serial work in 2 samples
        small.TrainEpoch(x.AsSpan(0, 2 * 600).ToArray(), y.AsSpan(0, 2).ToArray(), 2, 0.01f, 1);
        Assert.Equal(0, small.UpdateSchedule.SideBySideSteps);
        var minibatch = Net([600, 300, 2], UpdateMethod.MiniBatch, 2); // no serial work: the tiles split it all
        minibatch.UpdateSchedule.MinSerialNanoseconds = 0;
        minibatch.TrainEpoch(x, y, 20, 0.01f, 1);
        Assert.Equal(0, minibatch.UpdateSchedule.SideBySideSteps);
    }

    [Fact]
    public void CustomRulesAndBatchObserversKeepTheLayersInOrder()
    {
        var (x, y) = RandomData(40, 24, 3, 3);
        var custom = new Network(new NetworkOptions { LayerSizes = [24, 40, 30, 3], Threads = 2 },
            (l, r, c) => new Forwarding(new SbeRule(r, c, new SbeCore.Eigen.EstimatorOptions { Rank = 1 }, (ulong)l)));
        custom.UpdateSchedule.MinSerialNanoseconds = 0;
        custom.TrainEpoch(x, y, 20, 0.05f, 1);
        Assert.Equal(0, custom.UpdateSchedule.SideBySideSteps);

        var observed = Net([24, 40, 30, 3], UpdateMethod.Sbe, 2);
        observed.UpdateSchedule.MinSerialNanoseconds = 0;
        var calls = new List<string>();
        observed.BatchObserver = new Recorder(calls);
        observed.TrainEpoch(x, y, 20, 0.05f, 1);
        Assert.Equal(0, observed.UpdateSchedule.SideBySideSteps);
        Assert.Equal(string.Concat(Enumerable.Repeat("b0 a0 b1 a1 b2 a2 ", 2)).TrimEnd(), string.Join(' ', calls));
    }

    [Fact]
    public void AFailedCheckSideBySideIsReportedAsInOrderWithNothingChanged()
    {
        var (x, y) = RandomData(30, 24, 3, 8);
        var one = Net([24, 40, 30, 3], UpdateMethod.Sbe, 1);
        var two = Net([24, 40, 30, 3], UpdateMethod.Sbe, 2);
        two.UpdateSchedule.MinSerialNanoseconds = 0;
        float[] before = Weights(two);
        var inOrder = Assert.Throws<ArgumentException>(() => one.TrainBatch(x, y, 3e37f));
        var sideBySide = Assert.Throws<ArgumentException>(() => two.TrainBatch(x, y, 3e37f));
        Assert.Equal(inOrder.Message, sideBySide.Message);
        Assert.Contains("layer 0", sideBySide.Message);
        Assert.True(before.AsSpan().SequenceEqual(Weights(two)));
        Assert.Equal(0, two.RankOneWrites);
    }

    [Fact]
    public void StepsSideBySideAllocateNothingInSteadyState()
    {
        var (x, y) = RandomData(200, 24, 3, 6);
        var net = Net([24, 40, 30, 3], UpdateMethod.Sbe, 2, pulsed: true);
        net.UpdateSchedule.MinSerialNanoseconds = 0;
        for (int b = 0; b < 3; b++) net.TrainBatch(x.AsSpan(b * 20 * 24, 20 * 24), y.AsSpan(b * 20, 20), 0.05f);
        long workers = net.UpdateSchedule.WorkerAllocatedBytes;
        SteadyState.AssertAllocatesNothing(() => { for (int b = 3; b < 10; b++) net.TrainBatch(x.AsSpan(b * 20 * 24, 20 * 24), y.AsSpan(b * 20, 20), 0.05f); });
        Assert.Equal(workers, net.UpdateSchedule.WorkerAllocatedBytes);
        Assert.True(net.UpdateSchedule.SideBySideSteps >= 10);
    }

    private sealed class Forwarding(IUpdateRule inner) : IUpdateRule
    {
        public string Name => inner.Name;
        public long RankOneWrites => inner.RankOneWrites;
        public long PeripheralMemoryBytes => inner.PeripheralMemoryBytes;
        public void Apply(SbeCore.Crossbar.IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
            => inner.Apply(tile, deltas, inputs, n, learningRate);
    }

    private sealed class Recorder(List<string> calls) : IBatchObserver
    {
        public void OnBatch(int layer, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, int rows, int cols) => calls.Add($"b{layer}");
        public void AfterUpdate(int layer, IUpdateRule rule) => calls.Add($"a{layer}");
    }
}

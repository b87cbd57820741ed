using BenchmarkDotNet.Attributes;
using SbeCore.Data;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Benchmarks.Training;

/// <summary>
/// Training throughput on MNIST-10k at batch 64, ideal device, per update rule. One operation = one sample
/// (OperationsPerInvoke = 64), so samples/s = 1e9 / Mean(ns). Each invocation is one TrainBatch: forward and backward
/// batched reads, then every layer's rule.Apply. Subclasses choose the network.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public abstract class ThroughputBenchmarks
{
    private const int Batch = 64;
    private Network _network = null!;
    private Dataset _train = null!;
    private int[] _order = [];
    private int _next;

    [Params(UpdateMethod.Sgd, UpdateMethod.MiniBatch, UpdateMethod.TruncatedSvd, UpdateMethod.Sbe)]
    public UpdateMethod Rule { get; set; }

    /// <summary>The network under test, for <see cref="Rule"/>.</summary>
    protected abstract NetworkOptions Options(UpdateMethod rule);

    [GlobalSetup]
    public void Setup()
    {
        _train = DataLoader.LoadDefault().Train;
        _network = new Network(Options(Rule));
        _order = new int[_train.Count];
        Network.ShuffledOrder(1, _order);
        _next = 0;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public double TrainBatch64()
    {
        if (_next + Batch > _order.Length) _next = 0;
        double loss = _network.TrainBatch(_train.Images, _train.Labels, _order.AsSpan(_next, Batch), 0.01f);
        _next += Batch;
        return loss;
    }
}

/// <summary>The paper's 784-100-10 ReLU network.</summary>
public class TrainingThroughputBenchmarks : ThroughputBenchmarks
{
    protected override NetworkOptions Options(UpdateMethod rule) => new() { LayerSizes = [784, 100, 10], Method = rule, Rank = 1, Seed = 1 };
}

/// <summary>LeNet-5 (Architecture "lenet5"): the conv counterpart.</summary>
public class LeNetThroughputBenchmarks : ThroughputBenchmarks
{
    protected override NetworkOptions Options(UpdateMethod rule) => new() { Architecture = "lenet5", LayerSizes = [784, 10], Method = rule, Rank = 1, Seed = 1 };
}

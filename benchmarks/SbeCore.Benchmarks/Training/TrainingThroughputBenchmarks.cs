using BenchmarkDotNet.Attributes;
using SbeCore.Data;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Benchmarks.Training;

/// <summary>
/// Training throughput of a 784-100-10 ReLU network on MNIST-10k at batch 64, ideal device, per update rule.
/// One operation = one sample (OperationsPerInvoke = 64), so samples/s = 1e9 / Mean(ns). Each invocation is one
/// TrainBatch: forward and backward batched reads, then every layer's rule.Apply.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TrainingThroughputBenchmarks
{
    private const int Batch = 64;
    private Network _network = null!;
    private Dataset _train = null!;
    private int[] _order = [];
    private int _next;

    [Params(UpdateMethod.Sgd, UpdateMethod.MiniBatch, UpdateMethod.TruncatedSvd, UpdateMethod.Sbe)]
    public UpdateMethod Rule { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _train = DataLoader.LoadDefault().Train;
        _network = new Network(new NetworkOptions { LayerSizes = [784, 100, 10], Method = Rule, Rank = 1, Seed = 1 });
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

using BenchmarkDotNet.Attributes;
using SbeCore.Data;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Benchmarks.Training;

/// <summary>
/// Training throughput of LeNet-5 (Architecture "lenet5") on MNIST-10k at batch 64, ideal device, per update rule: the
/// conv counterpart of <see cref="TrainingThroughputBenchmarks"/>. One operation = one sample (OperationsPerInvoke = 64).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class LeNetThroughputBenchmarks
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
        _network = new Network(new NetworkOptions { Architecture = "lenet5", LayerSizes = [784, 10], Method = Rule, Rank = 1, Seed = 1 });
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

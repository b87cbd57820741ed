using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using SbeCore.Crossbar;
using SbeCore.Numerics;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Benchmarks.Training;

/// <summary>
/// What a second thread buys (wall-clock time, so the ratio of the Threads = 2 and Threads = 1 rows is the speed-up):
/// the forward and backward batched reads of 64 inputs on an ideal tile and through aihwkit's default I/O model, and the
/// mini-batch rule's gradient and dense write of 64 samples. Results are bit-identical for both thread counts
/// (tests/SbeCore.Tests/Kernels/ParallelKernelsTests).
/// Run: dotnet run -c Release --project benchmarks/SbeCore.Benchmarks -- --filter '*ThreadScaling*'
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(ThreadScalingConfig))]
public class ThreadScalingBenchmarks
{
    private const int Batch = 64;

    [Params("512x512", "1024x1024")]
    public string Shape { get; set; } = "512x512";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    private CrossbarTile _ideal = null!, _io = null!;
    private MiniBatchRule _rule = null!;
    private float[] _x = [], _d = [], _y = [], _z = [];

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split('x');
        int rows = int.Parse(parts[0]), cols = int.Parse(parts[1]);
        _ideal = new CrossbarTile(rows, cols, new TileConfig(), seed: 1) { Threads = Threads };
        _io = new CrossbarTile(rows, cols, TileConfig.GokmenVlasov(), seed: 1) { Threads = Threads };
        _rule = new MiniBatchRule(rows, cols);
        var rng = new Xoshiro256(2);
        _x = new float[Batch * cols]; _d = new float[Batch * rows]; _y = new float[Batch * rows]; _z = new float[Batch * cols];
        rng.FillGaussian(_x); rng.FillGaussian(_d);
        for (int i = 0; i < _d.Length; i++) _d[i] *= 1e-3f; // small steps: the weights stay put over the run
    }

    [Benchmark]
    public void ReadForward() => _ideal.Read(_x, Batch, _y);

    [Benchmark]
    public void ReadBackward() => _ideal.ReadTransposed(_d, Batch, _z);

    [Benchmark]
    public void ReadForwardIO() => _io.Read(_x, Batch, _y);

    [Benchmark]
    public void ReadBackwardIO() => _io.ReadTransposed(_d, Batch, _z);

    [Benchmark]
    public void MiniBatchGradientAndWrite() => _rule.Apply(_ideal, _d, _x, Batch, 1e-3f);
}

/// <summary>
/// One training step (batch 64 of MNIST-10k: forward, backward, every layer's rule) on 1 and 2 threads, wall-clock time:
/// the paper's 784-100-10 MLP, a wider 784-512-512-10 MLP and LeNet-5, ideal device and ConstantStep (pulsed writes,
/// aihwkit's default noisy I/O). Bit-identical weights for both thread counts (tests/SbeCore.Tests/Training/NetworkTests).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(ThreadScalingConfig))]
public class NetworkThreadScalingBenchmarks
{
    private const int Batch = 64;

    [Params("784-100-10", "784-512-512-10", "lenet5")]
    public string Net { get; set; } = "784-100-10";

    [Params(UpdateMethod.MiniBatch, UpdateMethod.Sbe)]
    public UpdateMethod Rule { get; set; }

    [Params("ideal", "constantstep")]
    public string Device { get; set; } = "ideal";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    private Network _network = null!;
    private SbeCore.Data.Dataset _train = null!;
    private int[] _order = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _train = SbeCore.Data.DataLoader.LoadDefault().Train;
        var tileConfig = Device == "ideal" ? new TileConfig() : TileConfig.GokmenVlasov();
        _network = new Network(Net == "lenet5"
            ? new NetworkOptions { Architecture = "lenet5", LayerSizes = [784, 10], Method = Rule, Rank = 1, Seed = 1, Threads = Threads, TileConfig = tileConfig }
            : new NetworkOptions { LayerSizes = Net.Split('-').Select(int.Parse).ToArray(), Method = Rule, Rank = 1, Seed = 1, Threads = Threads, TileConfig = tileConfig });
        _order = new int[_train.Count];
        Network.ShuffledOrder(1, _order);
    }

    [Benchmark]
    public double TrainBatch64()
    {
        if (_next + Batch > _order.Length) _next = 0;
        double loss = _network.TrainBatch(_train.Images, _train.Labels, _order.AsSpan(_next, Batch), 0.01f);
        _next += Batch;
        return loss;
    }
}

/// <summary>Short runs (2 warm-up, 8 measured iterations): 2 x 2 x 3 x 2 network cases and 2 x 2 x 5 tile cases.</summary>
internal sealed class ThreadScalingConfig : ManualConfig
{
    public ThreadScalingConfig() => AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(8).WithLaunchCount(1));
}

using BenchmarkDotNet.Attributes;
using SbeCore.Crossbar;
using SbeCore.Numerics;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Benchmarks.Training;

/// <summary>
/// What a second thread buys (wall-clock time, so the ratio of the Threads = 2 and Threads = 1 rows is the speed-up):
/// the forward and backward batched reads of 64 inputs on an ideal tile and through aihwkit's default I/O model, the
/// mini-batch gradient of 64 samples, and one mini-batch training step (batch 64) of a 784-512-512-10 ReLU network
/// on the ideal device. Results are bit-identical for both thread counts (tests/SbeCore.Tests/Kernels/ParallelKernelsTests).
/// Run: dotnet run -c Release --project benchmarks/SbeCore.Benchmarks -- --filter '*ThreadScaling*'
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ThreadScalingBenchmarks
{
    private const int Batch = 64;

    [Params("512x512", "1024x1024")]
    public string Shape { get; set; } = "512x512";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    private CrossbarTile _ideal = null!, _io = null!;
    private MiniBatchRule _rule = null!;
    private Network _network = null!;
    private float[] _x = [], _d = [], _y = [], _z = [], _images = [];
    private int[] _labels = [];

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
        _network = new Network(new NetworkOptions { LayerSizes = [784, 512, 512, 10], Method = UpdateMethod.MiniBatch, Seed = 1, Threads = Threads });
        _images = new float[Batch * 784]; _labels = new int[Batch];
        for (int i = 0; i < _images.Length; i++) _images[i] = (float)rng.NextDouble();
        for (int j = 0; j < Batch; j++) _labels[j] = j % 10;
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

    [Benchmark]
    public double TrainStep784x512x512x10() => _network.TrainBatch(_images, _labels, 1e-3f);
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using SbeCore.Crossbar;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Crossbar;

/// <summary>
/// A rank-1 write as SGD on MNIST issues it: x in [0, 1] (pixels, about 80 % zeros), d = small back-propagated
/// errors (|d| &lt;= 0.05), lr 0.01, the GokmenVlasov preset's update (StochasticCompressed, desired_bl 31,
/// BL and update management on). Few devices get pulses, so this is the typical cost per write.
/// Run: dotnet run -c Release --project benchmarks/SbeCore.Benchmarks -- --filter '*TrainingLike*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class TrainingLikeUpdateBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10));
            AddColumn(new UpdatesPerSecondColumn());
        }
    }

    [Params("512x512", "100x785")]
    public string Shape { get; set; } = "512x512";

    private CrossbarTile _tile = null!;
    private float[] _d = [], _x = [];
    private float _sign = 1f;

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split('x');
        int rows = int.Parse(parts[0]), cols = int.Parse(parts[1]);
        _tile = new CrossbarTile(rows, cols, TileConfig.GokmenVlasov(), seed: 1);
        var rng = new Xoshiro256(2);
        _d = new float[rows]; _x = new float[cols];
        for (int i = 0; i < rows; i++) _d[i] = (float)(0.1 * rng.NextDouble() - 0.05);
        for (int j = 0; j < cols; j++) _x[j] = rng.NextDouble() < 0.8 ? 0f : (float)rng.NextDouble();
    }

    [Benchmark]
    public void Update()
    {
        _tile.Update(_sign * 0.01f, _d, _x);
        _sign = -_sign;
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Crossbar;

/// <summary>
/// One StochasticCompressed rank-1 write (BL 31, update management, ConstantStep with aihwkit's default
/// d2d and cycle-to-cycle noise): the tile's bitset path against the per-device reference.
/// Run: dotnet run -c Release --project benchmarks/SbeCore.Benchmarks -- --filter '*PulsedUpdate*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class PulsedUpdateBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10));
            AddColumn(new UpdatesPerSecondColumn());
        }
    }

    private const int Bl = 31;
    private const float LearningRate = 0.01f;

    [Params("512x512", "100x785")]
    public string Shape { get; set; } = "512x512";

    /// <summary>Threads the tile's write may use (the same bits for every value).</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    private CrossbarTile _tile = null!;
    private ReferencePulsedUpdate _reference = null!;
    private float[] _d = [], _x = [];

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split('x');
        int rows = int.Parse(parts[0]), cols = int.Parse(parts[1]);
        var config = new TileConfig
        {
            Device = new ConstantStepDevice(),
            Update = new UpdateConfig { DesiredBl = Bl, UpdateBlManagement = false, UpdateManagement = true },
        };
        _tile = new CrossbarTile(rows, cols, config, seed: 1) { Threads = Threads };
        _reference = new ReferencePulsedUpdate(rows, cols, config.Device.DwMin, 0.3f, seed: 1);
        var rng = new Xoshiro256(2);
        _d = new float[rows]; _x = new float[cols];
        for (int i = 0; i < rows; i++) _d[i] = (float)(2 * rng.NextDouble() - 1);
        for (int j = 0; j < cols; j++) _x[j] = (float)(2 * rng.NextDouble() - 1);
    }

    // Alternate the sign so the weights wander instead of piling up at a bound.
    private float _sign = 1f;

    [Benchmark(Baseline = true)]
    public void Reference()
    {
        _reference.Update(_sign * LearningRate, _d, _x, Bl);
        _sign = -_sign;
    }

    [Benchmark]
    public void Bitset()
    {
        _tile.Update(_sign * LearningRate, _d, _x);
        _sign = -_sign;
    }
}

/// <summary>1 / median: rank-1 writes per second.</summary>
internal sealed class UpdatesPerSecondColumn : IColumn
{
    public string Id => nameof(UpdatesPerSecondColumn);
    public string ColumnName => "Updates/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Rank-1 writes per second (1 / median)";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats) return "-";
        return (1e9 / stats.Median).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
    }
}

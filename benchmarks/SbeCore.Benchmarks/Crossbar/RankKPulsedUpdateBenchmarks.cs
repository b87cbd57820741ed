using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Crossbar;

/// <summary>
/// A rank-100 StochasticCompressed write on a 512 x 512 GokmenVlasov tile (BL 31, update and BL management, aihwkit's
/// device-to-device and cycle-to-cycle spreads; x, d uniform in [-1, 1]: every device pulsed), the pulsed update of
/// bindings/python/benchmarks/pulsed_update_vs_aihwkit.py: its writes one by one over the whole tile (WritesPerPass 1)
/// against the blocked pass (the default), on 1 and 2 threads. Same bits either way. Each iteration is one batch from
/// the initial weights: left to run, the weights pile up at their bounds and clipping takes over the time (a batch
/// took 37 ms at the first iteration and 47 ms ten iterations later), which the script's few rounds never reach.
/// Run: dotnet run -c Release --project benchmarks/SbeCore.Benchmarks -- --filter '*RankKPulsedUpdate*'
/// </summary>
[Config(typeof(Config))]
[MedianColumn, MinColumn, MaxColumn]
public class RankKPulsedUpdateBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithWarmupCount(5).WithIterationCount(21));
    }

    private const int Rows = 512, Cols = 512, K = 100;
    private const float LearningRate = 0.01f;

    [Params(1, PulseTuning.WritesPerPass)]
    public int WritesPerPass { get; set; } = PulseTuning.WritesPerPass;

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    private CrossbarTile _tile = null!;
    private float[] _s = [], _d = [], _x = [], _initial = [];
    private float _sign = 1f;

    [GlobalSetup]
    public void Setup()
    {
        var config = TileConfig.GokmenVlasov() with { Update = new UpdateConfig { DesiredBl = 31 } };
        _tile = new CrossbarTile(Rows, Cols, config, seed: 1) { Threads = Threads, WritesPerPass = WritesPerPass };
        var rng = new Xoshiro256(2);
        _s = new float[K];
        Array.Fill(_s, 1f);
        _d = new float[K * Rows]; _x = new float[K * Cols];
        for (int i = 0; i < _d.Length; i++) _d[i] = (float)(2 * rng.NextDouble() - 1);
        for (int j = 0; j < _x.Length; j++) _x[j] = (float)(2 * rng.NextDouble() - 1);
        _initial = _tile.Weights.ToArray();
    }

    [IterationSetup]
    public void Restart()
    {
        _tile.SetWeights(_initial);
        _sign = 1f;
    }

    // Alternate the sign so the weights wander instead of piling up at a bound.
    [Benchmark]
    public void RankK()
    {
        _tile.UpdateRankK(_sign * LearningRate, _s, _d, _x);
        _sign = -_sign;
    }
}

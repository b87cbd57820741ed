using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using SbeCore.Crossbar;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Crossbar;

/// <summary>
/// Pulsed writes per device law (public API only, so the same file runs against any build): an SGD-like rank-1
/// write on a 100x785 tile (x in [0, 1] with 80 % zeros, |d| &lt;= 0.05, lr 0.01, the preset's update), and a
/// dense 512x512 write (StochasticCompressed, |lr g| up to a few dw_min per device), for ConstantStep
/// (GokmenVlasov), LinearStep (EcRam) and ExpStep (ReRamES).
/// Run: dotnet run -c Release --project benchmarks/SbeCore.Benchmarks -- --filter '*DeviceWrite*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class DeviceWriteBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15));
    }

    [Params("GokmenVlasov", "EcRam", "ReRamES")]
    public string Device { get; set; } = "GokmenVlasov";

    private CrossbarTile _training = null!, _dense = null!;
    private float[] _d = [], _x = [], _g = [];
    private float _sign = 1f;

    [GlobalSetup]
    public void Setup()
    {
        TileConfig config = Device switch
        {
            "GokmenVlasov" => TileConfig.GokmenVlasov(),
            "EcRam" => TileConfig.EcRam(),
            "ReRamES" => TileConfig.ReRamES(),
            _ => throw new ArgumentException(Device),
        };
        _training = new CrossbarTile(100, 785, config, seed: 1);
        _dense = new CrossbarTile(512, 512, config, seed: 1);
        var rng = new Xoshiro256(2);
        _d = new float[100]; _x = new float[785]; _g = new float[512 * 512];
        for (int i = 0; i < _d.Length; i++) _d[i] = (float)(0.1 * rng.NextDouble() - 0.05);
        for (int j = 0; j < _x.Length; j++) _x[j] = rng.NextDouble() < 0.8 ? 0f : (float)rng.NextDouble();
        float scale = 4 * config.Device.WeightGranularity / 0.01f; // up to about 4 pulses per device at lr 0.01
        for (int k = 0; k < _g.Length; k++) _g[k] = (float)((2 * rng.NextDouble() - 1) * scale);
    }

    [Benchmark(Description = "SGD-like rank-1 write 100x785")]
    public void TrainingWrite()
    {
        _training.Update(_sign * 0.01f, _d, _x);
        _sign = -_sign;
    }

    [Benchmark(Description = "Dense write 512x512")]
    public void DenseWrite()
    {
        _dense.UpdateDense(_sign * 0.01f, _g, 1);
        _sign = -_sign;
    }
}

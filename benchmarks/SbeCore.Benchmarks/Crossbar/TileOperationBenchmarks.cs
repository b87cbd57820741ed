using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Crossbar;

/// <summary>
/// The other tile paths on an MNIST-sized 100x785 tile: deterministic and pulse-by-pulse (LinearStep) rank-1
/// writes, a dense write, and batched reads with and without the I/O model.
/// Run: dotnet run -c Release --project benchmarks/SbeCore.Benchmarks -- --filter '*TileOperation*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class TileOperationBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10));
    }

    private const int Rows = 100, Cols = 785, Batch = 64;
    private CrossbarTile _deterministic = null!, _linearStep = null!, _dense = null!, _perfect = null!, _analog = null!;
    private float[] _d = [], _x = [], _g = [], _inputs = [], _errors = [], _outputs = [], _back = [];
    private float _sign = 1f;

    [GlobalSetup]
    public void Setup()
    {
        var pulsed = new UpdateConfig { DesiredBl = 31, UpdateBlManagement = false };
        _deterministic = new CrossbarTile(Rows, Cols, new TileConfig { Device = new ConstantStepDevice(), Update = pulsed with { PulseType = PulseType.DeterministicImplicit } }, 1);
        _linearStep = new CrossbarTile(Rows, Cols, TileConfig.EcRam() with { Update = pulsed }, 1);
        _dense = new CrossbarTile(Rows, Cols, new TileConfig { Device = new ConstantStepDevice(), Update = pulsed }, 1);
        _perfect = new CrossbarTile(Rows, Cols, new TileConfig(), 1);
        _analog = new CrossbarTile(Rows, Cols, TileConfig.GokmenVlasov(), 1);
        var rng = new Xoshiro256(2);
        _d = Fill(ref rng, Rows); _x = Fill(ref rng, Cols); _g = Fill(ref rng, Rows * Cols);
        _inputs = Fill(ref rng, Batch * Cols); _errors = Fill(ref rng, Batch * Rows);
        _outputs = new float[Batch * Rows]; _back = new float[Batch * Cols];
        var w = Fill(ref rng, Rows * Cols);
        for (int k = 0; k < w.Length; k++) w[k] *= 0.1f;
        _perfect.SetWeights(w); _analog.SetWeights(w);
    }

    private static float[] Fill(ref Xoshiro256 rng, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(2 * rng.NextDouble() - 1);
        return v;
    }

    [Benchmark(Description = "Update ConstantStep DeterministicImplicit")]
    public void UpdateDeterministic() { _deterministic.Update(_sign * 0.01f, _d, _x); _sign = -_sign; }

    [Benchmark(Description = "Update EcRam (LinearStep, pulse by pulse)")]
    public void UpdateLinearStep() { _linearStep.Update(_sign * 0.01f, _d, _x); _sign = -_sign; }

    [Benchmark(Description = "UpdateDense ConstantStep StochasticCompressed")]
    public void UpdateDense() { _dense.UpdateDense(_sign * 0.01f, _g, 1); _sign = -_sign; }

    [Benchmark(Description = "Read batch 64, perfect I/O")]
    public void ReadPerfect() => _perfect.Read(_inputs, Batch, _outputs);

    [Benchmark(Description = "Read batch 64, preset I/O")]
    public void ReadAnalog() => _analog.Read(_inputs, Batch, _outputs);

    [Benchmark(Description = "ReadTransposed batch 64, preset I/O")]
    public void ReadTransposedAnalog() => _analog.ReadTransposed(_errors, Batch, _back);
}

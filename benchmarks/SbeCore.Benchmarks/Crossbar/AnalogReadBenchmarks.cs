using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using SbeCore.Crossbar;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Crossbar;

/// <summary>
/// The batched read through the I/O model (the preset: 7-bit DAC, 9-bit ADC, output noise, noise and bound
/// management) against the plain batched read of the same shape and batch, forward and backward.
/// Run: dotnet run -c Release --project benchmarks/SbeCore.Benchmarks -- --filter '*AnalogRead*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class AnalogReadBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(12));
    }

    [Params("512x512", "100x785")]
    public string Shape { get; set; } = "512x512";

    [Params(64, 100)]
    public int Batch { get; set; }

    private CrossbarTile _plain = null!, _io = null!;
    private float[] _inputs = [], _errors = [], _outputs = [], _back = [];

    [GlobalSetup]
    public void Setup()
    {
        var dims = Shape.Split('x');
        int rows = int.Parse(dims[0]), cols = int.Parse(dims[1]);
        _plain = new CrossbarTile(rows, cols, new TileConfig(), 1);
        _io = new CrossbarTile(rows, cols, new TileConfig { Forward = TileConfig.PresetIO(), Backward = TileConfig.PresetIO() }, 1);
        var rng = new Xoshiro256(2);
        _inputs = Fill(ref rng, Batch * cols, 1f); _errors = Fill(ref rng, Batch * rows, 1f);
        _outputs = new float[Batch * rows]; _back = new float[Batch * cols];
        var w = Fill(ref rng, rows * cols, 0.1f);
        _plain.SetWeights(w); _io.SetWeights(w);
    }

    private static float[] Fill(ref Xoshiro256 rng, int n, float scale)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = scale * (float)(2 * rng.NextDouble() - 1);
        return v;
    }

    [Benchmark(Baseline = true, Description = "Read, plain")]
    public void ReadPlain() => _plain.Read(_inputs, Batch, _outputs);

    [Benchmark(Description = "Read, I/O model")]
    public void ReadIo() => _io.Read(_inputs, Batch, _outputs);

    [Benchmark(Description = "ReadTransposed, plain")]
    public void ReadTransposedPlain() => _plain.ReadTransposed(_errors, Batch, _back);

    [Benchmark(Description = "ReadTransposed, I/O model")]
    public void ReadTransposedIo() => _io.ReadTransposed(_errors, Batch, _back);
}

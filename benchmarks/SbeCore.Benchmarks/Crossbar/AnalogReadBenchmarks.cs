using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using SbeCore.Crossbar;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Crossbar;

/// <summary>
/// The batched read through the I/O model (the preset: 7-bit DAC, 9-bit ADC, output noise, noise and bound
/// management) against the plain batched read of the same shape and batch, forward and backward: LeNet-5's
/// convolutions (6x26 with the 50,176 patches of a batch of 64, 16x151 with 6,400) and dense layers at batch 64 and 100.
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

    /// <summary>rows x cols / inputs per read.</summary>
    [Params("6x26/50176", "16x151/6400", "100x785/64", "100x785/100", "512x512/64", "512x512/100")]
    public string Case { get; set; } = "512x512/64";

    private int Batch { get; set; }

    private CrossbarTile _plain = null!, _io = null!;
    private float[] _inputs = [], _errors = [], _outputs = [], _back = [];

    [GlobalSetup]
    public void Setup()
    {
        var parts = Case.Split('/');
        var dims = parts[0].Split('x');
        int rows = int.Parse(dims[0]), cols = int.Parse(dims[1]);
        Batch = int.Parse(parts[1]);
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

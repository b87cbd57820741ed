using BenchmarkDotNet.Attributes;
using SbeCore.Crossbar;
using SbeCore.Numerics;
using SbeCore.Updates;

namespace SbeCore.Benchmarks.Eigen;

/// <summary>The svd-1 rule's whole per-batch cost (exact top pair + one rank-1 write on an ideal tile) on the two layers of
/// `sbe compare` (100 x 785 and 10 x 101), at batch sizes on both sides of the solver's route switch.</summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class TruncatedSvdBenchmarks
{
    private float[] _deltas = [], _xs = [];
    private CrossbarTile _tile = null!;
    private TruncatedSvdRule _rule = null!;

    /// <summary>rows x cols of the layer.</summary>
    [Params("100x785", "10x101")]
    public string Layer { get; set; } = "100x785";

    [Params(16, 64, 256, 1024)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var parts = Layer.Split('x');
        int rows = int.Parse(parts[0]), cols = int.Parse(parts[1]);
        var rng = new Xoshiro256(1);
        _deltas = new float[Batch * rows]; _xs = new float[Batch * cols];
        rng.FillGaussian(_deltas, 0.01); rng.FillGaussian(_xs);
        _tile = new CrossbarTile(rows, cols);
        _rule = new TruncatedSvdRule(rows, cols);
        _rule.Apply(_tile, _deltas, _xs, Batch, 1e-4f); // grow the solver's scratch before measuring
    }

    [Benchmark(Description = "svd-1 Apply (one batch)")]
    public void Apply() => _rule.Apply(_tile, _deltas, _xs, Batch, 1e-4f);
}

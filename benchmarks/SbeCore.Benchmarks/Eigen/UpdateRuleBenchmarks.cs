using BenchmarkDotNet.Attributes;
using SbeCore.Crossbar;
using SbeCore.Numerics;
using SbeCore.Updates;

namespace SbeCore.Benchmarks.Eigen;

/// <summary>One batch of 64 applied by each rule to a 100 x 785 tile (ideal device): the whole per-layer update cost
/// (SGD: 64 rank-1 writes; MiniBatch: dense accumulation + one dense write; SVD-1: exact top pair + 1 write;
/// SBE-1: streaming estimate + 1 write).</summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class UpdateRuleBenchmarks
{
    private const int Rows = 100, Cols = 785, N = 64;
    private float[] _deltas = [], _xs = [];
    private CrossbarTile _tile = null!;
    private IUpdateRule _rule = null!;

    [Params(UpdateMethod.Sgd, UpdateMethod.MiniBatch, UpdateMethod.TruncatedSvd, UpdateMethod.Sbe)]
    public UpdateMethod Method { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Xoshiro256(1);
        _deltas = new float[N * Rows]; _xs = new float[N * Cols];
        rng.FillGaussian(_deltas, 0.01); rng.FillGaussian(_xs);
        _tile = new CrossbarTile(Rows, Cols);
        _rule = UpdateRuleFactory.Create(Method, Rows, Cols, seed: 3);
    }

    [Benchmark(Description = "Apply one batch of 64 (100 x 785)")]
    public void Apply() => _rule.Apply(_tile, _deltas, _xs, N, 1e-4f);
}

using BenchmarkDotNet.Attributes;
using SbeCore.Eigen;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Eigen;

/// <summary>SBE-k per-sample cost on 100 x 785 for k = 1, 2, 4, 8: fully streaming (m = 1, one re-orthonormalisation
/// per sample, O(k^2(a+b))) and with sub-batches of m = 16 (O(k(a+b)) per sample plus O(k^2(a+b))/m).</summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class RankScalingBenchmarks
{
    private const int Rows = 100, Cols = 785, N = 64;
    private float[] _deltas = [], _xs = [], _s = [], _d = [], _x = [];
    private SbeEstimator _sbe = null!;

    [Params(1, 2, 4, 8)]
    public int K { get; set; }

    [Params(1, 16)]
    public int SubBatch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Xoshiro256(1);
        _deltas = new float[N * Rows]; _xs = new float[N * Cols];
        rng.FillGaussian(_deltas); rng.FillGaussian(_xs);
        _sbe = new SbeEstimator(Rows, Cols, new EstimatorOptions { Rank = K, SubBatch = SubBatch }, seed: 2);
        _s = new float[K]; _d = new float[K * Rows]; _x = new float[K * Cols];
    }

    [Benchmark(OperationsPerInvoke = N, Description = "Sbe-k ObserveBatch(64) + Estimate (per sample)")]
    public void ObserveBatchAndEstimate()
    {
        _sbe.ObserveBatch(_deltas, _xs, N);
        _sbe.Estimate(_s, _d, _x);
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using SbeCore.Eigen;
using SbeCore.Kernels;
using SbeCore.Numerics;
using SbeCore.Updates;

namespace SbeCore.Benchmarks.Eigen;

/// <summary>Per-sample cost on the paper's first layer (100 x 785, bias folded in): SBE-1's Observe against
/// MiniBatch's dense accumulation delta x^T into its a x b buffer (issue 4: target at least 50x fewer ns), and the same
/// accumulation into a plain array whose rows sit at the layer's odd stride (the buffer's layout before AlignedMatrix).</summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class ObservePerSampleBenchmarks
{
    private const int Rows = 100, Cols = 785, N = 64;
    private float[] _deltas = [], _xs = [];
    private SbeEstimator _sbe = null!;
    private MiniBatchRule _miniBatch = null!;
    private SbeCore.Crossbar.CrossbarTile _tile = null!;
    private float[] _denseAtOddStride = []; // the same accumulation into a plain a*b array (rows at stride 785, unaligned)

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Xoshiro256(1);
        _deltas = new float[N * Rows]; _xs = new float[N * Cols];
        rng.FillGaussian(_deltas); rng.FillGaussian(_xs);
        _sbe = new SbeEstimator(Rows, Cols, seed: 2);
        _miniBatch = new MiniBatchRule(Rows, Cols);
        _tile = new SbeCore.Crossbar.CrossbarTile(Rows, Cols);
        _denseAtOddStride = new float[Rows * Cols];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "MiniBatch dense accumulate (per sample)")]
    public void MiniBatchAccumulate()
    {
        for (int j = 0; j < N; j++) _miniBatch.Accumulate(1f / N, _deltas.AsSpan(j * Rows, Rows), _xs.AsSpan(j * Cols, Cols));
    }

    // What MiniBatchRule.Apply does now: the whole batch in one pass over the buffer (same bits as the per-sample Ger calls).
    [Benchmark(OperationsPerInvoke = N, Description = "MiniBatch one-pass accumulate, RankK (per sample)")]
    public void MiniBatchOnePass()
    {
        _miniBatch.AccumulateBatch(_deltas, _xs, N, _tile);
    }

    [Benchmark(OperationsPerInvoke = N, Description = "Dense accumulate into a plain a*b array (per sample)")]
    public void PlainArrayAccumulate()
    {
        for (int j = 0; j < N; j++) Blas.Ger(1f / N, _deltas.AsSpan(j * Rows, Rows), _xs.AsSpan(j * Cols, Cols), _denseAtOddStride, Rows, Cols, Cols);
    }

    [Benchmark(OperationsPerInvoke = N, Description = "Sbe-1 Observe (per sample)")]
    public void SbeObserve()
    {
        for (int j = 0; j < N; j++) _sbe.Observe(_deltas.AsSpan(j * Rows, Rows), _xs.AsSpan(j * Cols, Cols));
    }
}

/// <summary>Few iterations (the machine is shared), with the median beside the mean.</summary>
public sealed class ShortConfig : ManualConfig
{
    public ShortConfig()
    {
        AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(9).WithLaunchCount(1));
        AddColumn(StatisticColumn.Median);
    }
}

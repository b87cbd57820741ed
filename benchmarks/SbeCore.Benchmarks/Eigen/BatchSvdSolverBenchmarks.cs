using BenchmarkDotNet.Attributes;
using SbeCore.Eigen;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Eigen;

/// <summary>The exact top pair of one batch (<see cref="BatchSvdSolver.TopK"/>, k = 1, automatic route) on the layers of
/// `sbe compare`: 100 x 785 at n = 64 (sample route) and 256 (feature route), 10 x 101 at n = 64 (feature route).
/// Public API only, so the same file runs against an older commit for before/after figures.</summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class BatchSvdSolverBenchmarks
{
    private float[] _deltas = [], _xs = [], _s = [], _d = [], _x = [];
    private BatchSvdSolver _solver = null!;
    private int _n;

    /// <summary>rows x cols of the layer, then the batch size.</summary>
    [Params("100x785/64", "100x785/256", "10x101/64")]
    public string Case { get; set; } = "100x785/64";

    [GlobalSetup]
    public void Setup()
    {
        string[] layerBatch = Case.Split('/'), parts = layerBatch[0].Split('x');
        int rows = int.Parse(parts[0]), cols = int.Parse(parts[1]);
        _n = int.Parse(layerBatch[1]);
        var rng = new Xoshiro256(1);
        _deltas = new float[_n * rows]; _xs = new float[_n * cols];
        rng.FillGaussian(_deltas, 0.01); rng.FillGaussian(_xs);
        _solver = new BatchSvdSolver(rows, cols);
        _s = new float[1]; _d = new float[rows]; _x = new float[cols];
        _solver.TopK(_deltas, _xs, _n, _s, _d, _x); // grow the scratch before measuring
    }

    [Benchmark(Description = "BatchSvdSolver.TopK, k = 1")]
    public float TopK()
    {
        _solver.TopK(_deltas, _xs, _n, _s, _d, _x);
        return _s[0];
    }
}

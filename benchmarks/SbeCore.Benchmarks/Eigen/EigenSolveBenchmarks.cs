using BenchmarkDotNet.Attributes;
using SbeCore.Eigen;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Eigen;

/// <summary>The small symmetric eigenproblem inside the exact SVD alone (a Gram matrix of rank 64, as from a batch of 64):
/// cyclic Jacobi (all pairs) against the library's solver with the top eigenvector only (Householder tridiagonalisation,
/// then bisection + inverse iteration for an isolated top eigenvalue, as here, or QL for a cluster).</summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class EigenSolveBenchmarks
{
    private double[] _gram = [], _work = [], _vecs = [], _values = new double[1];
    private readonly TridiagonalEigen _ql = new();

    [Params(64, 100)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Xoshiro256(3);
        int r = Size, cols = 64;
        var g = new double[r * cols];
        for (int i = 0; i < g.Length; i++) g[i] = rng.NextGaussian();
        _gram = new double[r * r];
        for (int i = 0; i < r; i++)
            for (int l = 0; l < r; l++)
            {
                double acc = 0;
                for (int t = 0; t < cols; t++) acc += g[i * cols + t] * g[l * cols + t];
                _gram[i * r + l] = acc;
            }
        _work = new double[r * r]; _vecs = new double[r * r];
    }

    [Benchmark(Baseline = true, Description = "cyclic Jacobi (all eigenpairs)")]
    public void Jacobi()
    {
        _gram.CopyTo(_work, 0);
        JacobiReference.Jacobi(_work, _vecs, Size);
    }

    [Benchmark(Description = "Householder + bisection, top-1 vector")]
    public void TridiagonalQl() => _ql.TopK(_gram, Size, 1, _values, _vecs);
}

using BenchmarkDotNet.Attributes;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Kernels;

/// <summary>
/// Every matrix kernel at every shape and width, against a naive loop ("Naive") and TensorPrimitives row by row
/// ("Tensor"), with the three roofline probes in the same run. Method names are Kernel_Variant; the custom
/// columns (KernelMetrics) read them. Single-threaded throughout.
/// </summary>
[Config(typeof(KernelBenchConfig))]
public class MatrixKernelBenchmarks
{
    /// <summary>The shapes; SBE_BENCH_SHAPES (e.g. "100x785,512x512") narrows them while iterating.</summary>
    public static IEnumerable<string> Shapes() =>
        Environment.GetEnvironmentVariable("SBE_BENCH_SHAPES") is { Length: > 0 } only
            ? only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : ["10x101", "100x785", "512x512", "1024x1024", "4096x4096"];

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "100x785";

    private int _rows, _cols;
    private float[] _w = [], _x = [], _y = [], _d = [], _z = [], _u = [], _v = [], _s = [], _xs = [], _ys = [], _ds = [], _zs = [];
    private readonly float _alpha = 1e-7f, _one = 1f;
    private const int N = KernelMetrics.BatchSize, K = KernelMetrics.Rank;

    [GlobalSetup]
    public void Setup()
    {
        (_rows, _cols) = KernelMetrics.ParseShape(Shape);
        var rng = new Xoshiro256(2026);
        float[] Random(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = 2f * rng.NextSingle() - 1f; return a; }
        _w = Random(_rows * _cols); _x = Random(_cols); _d = Random(_rows); _y = new float[_rows]; _z = new float[_cols];
        _u = Random(K * _rows); _v = Random(K * _cols); _s = Random(K);
        for (int i = 0; i < _s.Length; i++) _s[i] *= 1e-7f; // keep W bounded over millions of updates
        _xs = Random(N * _cols); _ds = Random(N * _rows); _ys = new float[N * _rows]; _zs = new float[N * _cols];
    }

    // Roofline probes
    [Benchmark] public float Probe_Fma() => Probes.FmaPeak(_alpha, _one);
    [Benchmark] public float Probe_Stream() => Probes.StreamSum(_w);
    [Benchmark] public void Probe_Scale() => Probes.ScaleInPlace(_one, _w);

    // y = W x
    [Benchmark] public void Gemv_Naive() => Naive.Gemv(_w, _rows, _cols, _x, _y);
    [Benchmark] public void Gemv_Tensor() => Tensor.Gemv(_w, _rows, _cols, _x, _y);
    [Benchmark] public void Gemv_Scalar() => Blas.GemvScalar(_w, _rows, _cols, _cols, _x, _y);
    [Benchmark] public void Gemv_V128() => Blas.Gemv128(_w, _rows, _cols, _cols, _x, _y);
    [Benchmark] public void Gemv_V256() => Blas.Gemv256(_w, _rows, _cols, _cols, _x, _y);
    [Benchmark] public void Gemv_V512() => Blas.Gemv512(_w, _rows, _cols, _cols, _x, _y);

    // z = W^T d
    [Benchmark] public void GemvT_Naive() => Naive.GemvT(_w, _rows, _cols, _d, _z);
    [Benchmark] public void GemvT_Tensor() => Tensor.GemvT(_w, _rows, _cols, _d, _z);
    [Benchmark] public void GemvT_Scalar() => Blas.GemvTScalar(_w, _rows, _cols, _cols, _d, _z);
    [Benchmark] public void GemvT_V128() => Blas.GemvT128(_w, _rows, _cols, _cols, _d, _z);
    [Benchmark] public void GemvT_V256() => Blas.GemvT256(_w, _rows, _cols, _cols, _d, _z);
    [Benchmark] public void GemvT_V512() => Blas.GemvT512(_w, _rows, _cols, _cols, _d, _z);

    // W += alpha u v^T
    [Benchmark] public void Ger_Naive() => Naive.Ger(_alpha, _d, _x, _w, _rows, _cols);
    [Benchmark] public void Ger_Tensor() => Tensor.Ger(_alpha, _d, _x, _w, _rows, _cols);
    [Benchmark] public void Ger_Scalar() => Blas.GerScalar(_alpha, _d, _x, _w, _rows, _cols, _cols);
    [Benchmark] public void Ger_V128() => Blas.Ger128(_alpha, _d, _x, _w, _rows, _cols, _cols);
    [Benchmark] public void Ger_V256() => Blas.Ger256(_alpha, _d, _x, _w, _rows, _cols, _cols);
    [Benchmark] public void Ger_V512() => Blas.Ger512(_alpha, _d, _x, _w, _rows, _cols, _cols);

    // W += U diag(s) V^T, k = 4
    [Benchmark] public void RankK4_Naive() => Naive.RankK(_u, _s, _v, _w, _rows, _cols);
    [Benchmark] public void RankK4_Tensor() => Tensor.RankK(_u, _s, _v, _w, _rows, _cols);
    [Benchmark] public void RankK4_Scalar() => Blas.RankKScalar(_u, _s, _v, _w, _rows, _cols, _cols);
    [Benchmark] public void RankK4_V128() => Blas.RankK128(_u, _s, _v, _w, _rows, _cols, _cols);
    [Benchmark] public void RankK4_V256() => Blas.RankK256(_u, _s, _v, _w, _rows, _cols, _cols);
    [Benchmark] public void RankK4_V512() => Blas.RankK512(_u, _s, _v, _w, _rows, _cols, _cols);

    // Y (64 x rows) = X W^T
    [Benchmark] public void BatchRead64_Naive() => Naive.BatchRead(_w, _rows, _cols, _xs, N, _ys);
    [Benchmark] public void BatchRead64_Tensor() => Tensor.BatchRead(_w, _rows, _cols, _xs, N, _ys);
    [Benchmark] public void BatchRead64_Scalar() => Blas.BatchReadScalar(_w, _rows, _cols, _cols, _xs, N, _ys);
    [Benchmark] public void BatchRead64_V128() => Blas.BatchRead128(_w, _rows, _cols, _cols, _xs, N, _ys);
    [Benchmark] public void BatchRead64_V256() => Blas.BatchRead256(_w, _rows, _cols, _cols, _xs, N, _ys);
    [Benchmark] public void BatchRead64_V512() => Blas.BatchRead512(_w, _rows, _cols, _cols, _xs, N, _ys);

    [Benchmark]
    public void BatchRead64_GemvLoop()
    {
        for (int j = 0; j < N; j++) Blas.Gemv(_w, _rows, _cols, _cols, _xs.AsSpan(j * _cols, _cols), _ys.AsSpan(j * _rows, _rows));
    }

    // Z (64 x cols) = D W
    [Benchmark] public void BatchReadT64_Naive() => Naive.BatchReadTransposed(_w, _rows, _cols, _ds, N, _zs);
    [Benchmark] public void BatchReadT64_Tensor() => Tensor.BatchReadTransposed(_w, _rows, _cols, _ds, N, _zs);
    [Benchmark] public void BatchReadT64_Scalar() => Blas.BatchReadTransposedScalar(_w, _rows, _cols, _cols, _ds, N, _zs);
    [Benchmark] public void BatchReadT64_V128() => Blas.BatchReadTransposed128(_w, _rows, _cols, _cols, _ds, N, _zs);
    [Benchmark] public void BatchReadT64_V256() => Blas.BatchReadTransposed256(_w, _rows, _cols, _cols, _ds, N, _zs);
    [Benchmark] public void BatchReadT64_V512() => Blas.BatchReadTransposed512(_w, _rows, _cols, _cols, _ds, N, _zs);

    [Benchmark]
    public void BatchReadT64_GemvTLoop()
    {
        for (int j = 0; j < N; j++) Blas.GemvT(_w, _rows, _cols, _cols, _ds.AsSpan(j * _rows, _rows), _zs.AsSpan(j * _cols, _cols));
    }
}

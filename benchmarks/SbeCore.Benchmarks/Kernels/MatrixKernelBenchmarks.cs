using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>Where W starts relative to a 64-byte cache line: SBE_BENCH_W_OFFSET bytes past one (a multiple of 4,
    /// default 0). W is fixed there in a pinned array, so the probes and the kernels of every process see the same
    /// placement; left to the allocator it varies, and a contiguous probe over a misaligned W splits every 64-byte
    /// access over two lines (up to 2x slower at 10x101), which moves every ratio.</summary>
    public static int WOffsetBytes { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("SBE_BENCH_W_OFFSET"), out int b) && b >= 0 && b % 4 == 0 ? b % 64 : 0;

    private int _rows, _cols;
    private float[] _wBuf = [];
    private int _wAt;
    private Span<float> W => _wBuf.AsSpan(_wAt, _rows * _cols);
    // The same matrix with its row stride padded to a multiple of 16 floats (64 bytes), also at the fixed placement:
    // every row then starts on a cache line (at stride = cols = 101 or 785 most 64-byte accesses split two lines).
    private float[] _pBuf = [];
    private int _pAt, _pStride;
    private Span<float> P => _pBuf.AsSpan(_pAt, (_rows - 1) * _pStride + _cols);
    private float[][] _uk = [], _vk = [], _sk = [];
    private float[] _x = [], _y = [], _d = [], _z = [], _u = [], _v = [], _s = [], _xs = [], _ys = [], _ds = [], _zs = [];
    private readonly float _alpha = 1e-7f, _one = 1f;
    private const int N = KernelMetrics.BatchSize, K = KernelMetrics.Rank;

    [GlobalSetup]
    public void Setup()
    {
        (_rows, _cols) = KernelMetrics.ParseShape(Shape);
        var rng = new Xoshiro256(2026);
        float[] Random(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = 2f * rng.NextSingle() - 1f; return a; }
        _wBuf = GC.AllocateArray<float>(_rows * _cols + 16, pinned: true); // pinned heap: the address never changes
        _wAt = (int)(((WOffsetBytes - AddressOf(_wBuf) % 64) + 64) % 64 / 4);
        Random(_rows * _cols).CopyTo(W);
        _pStride = (_cols + 15) / 16 * 16;
        _pBuf = GC.AllocateArray<float>((_rows - 1) * _pStride + _cols + 16, pinned: true);
        _pAt = (int)(((WOffsetBytes - AddressOf(_pBuf) % 64) + 64) % 64 / 4);
        for (int r = 0; r < _rows; r++) W.Slice(r * _cols, _cols).CopyTo(P.Slice(r * _pStride));
        _x = Random(_cols); _d = Random(_rows); _y = new float[_rows]; _z = new float[_cols];
        _u = Random(K * _rows); _v = Random(K * _cols); _s = Random(K);
        for (int i = 0; i < _s.Length; i++) _s[i] *= 1e-7f; // keep W bounded over millions of updates
        _uk = new float[K][]; _vk = new float[K][]; _sk = new float[K][];
        for (int k = 1; k < K; k++) { _uk[k] = _u[..(k * _rows)]; _vk[k] = _v[..(k * _cols)]; _sk[k] = _s[..k]; }
        _xs = Random(N * _cols); _ds = Random(N * _rows); _ys = new float[N * _rows]; _zs = new float[N * _cols];
    }

    private static unsafe long AddressOf(float[] pinned) => (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    // Roofline probes
    [Benchmark] public float Probe_Fma() => Probes.FmaPeak(_alpha, _one);
    [Benchmark] public float Probe_Stream() => Probes.StreamSum(W);
    [Benchmark] public void Probe_Scale() => Probes.ScaleInPlace(_one, W);

    // y = W x
    [Benchmark] public void Gemv_Naive() => Naive.Gemv(W, _rows, _cols, _x, _y);
    [Benchmark] public void Gemv_Tensor() => Tensor.Gemv(W, _rows, _cols, _x, _y);
    [Benchmark] public void Gemv_Scalar() => Blas.GemvScalar(W, _rows, _cols, _cols, _x, _y);
    [Benchmark] public void Gemv_V128() => Blas.Gemv128(W, _rows, _cols, _cols, _x, _y);
    [Benchmark] public void Gemv_V256() => Blas.Gemv256(W, _rows, _cols, _cols, _x, _y);
    [Benchmark] public void Gemv_V512() => Blas.Gemv512(W, _rows, _cols, _cols, _x, _y);

    // z = W^T d
    [Benchmark] public void GemvT_Naive() => Naive.GemvT(W, _rows, _cols, _d, _z);
    [Benchmark] public void GemvT_Tensor() => Tensor.GemvT(W, _rows, _cols, _d, _z);
    [Benchmark] public void GemvT_Scalar() => Blas.GemvTScalar(W, _rows, _cols, _cols, _d, _z);
    [Benchmark] public void GemvT_V128() => Blas.GemvT128(W, _rows, _cols, _cols, _d, _z);
    [Benchmark] public void GemvT_V256() => Blas.GemvT256(W, _rows, _cols, _cols, _d, _z);
    [Benchmark] public void GemvT_V512() => Blas.GemvT512(W, _rows, _cols, _cols, _d, _z);

    // W += alpha u v^T
    [Benchmark] public void Ger_Naive() => Naive.Ger(_alpha, _d, _x, W, _rows, _cols);
    [Benchmark] public void Ger_Tensor() => Tensor.Ger(_alpha, _d, _x, W, _rows, _cols);
    [Benchmark] public void Ger_Scalar() => Blas.GerScalar(_alpha, _d, _x, W, _rows, _cols, _cols);
    [Benchmark] public void Ger_V128() => Blas.Ger128(_alpha, _d, _x, W, _rows, _cols, _cols);
    [Benchmark] public void Ger_V256() => Blas.Ger256(_alpha, _d, _x, W, _rows, _cols, _cols);
    [Benchmark] public void Ger_V512() => Blas.Ger512(_alpha, _d, _x, W, _rows, _cols, _cols);

    // W += U diag(s) V^T, k = 4
    [Benchmark] public void RankK4_Naive() => Naive.RankK(_u, _s, _v, W, _rows, _cols);
    [Benchmark] public void RankK4_Tensor() => Tensor.RankK(_u, _s, _v, W, _rows, _cols);
    [Benchmark] public void RankK4_Scalar() => Blas.RankKScalar(_u, _s, _v, W, _rows, _cols, _cols);
    [Benchmark] public void RankK4_V128() => Blas.RankK128(_u, _s, _v, W, _rows, _cols, _cols);
    [Benchmark] public void RankK4_V256() => Blas.RankK256(_u, _s, _v, W, _rows, _cols, _cols);
    [Benchmark] public void RankK4_V512() => Blas.RankK512(_u, _s, _v, W, _rows, _cols, _cols);

    // The public (512-bit) paths on the padded stride (same rows x cols, same probes)
    [Benchmark] public void Gemv_V512Padded() => Blas.Gemv512(P, _rows, _cols, _pStride, _x, _y);
    [Benchmark] public void GemvT_V512Padded() => Blas.GemvT512(P, _rows, _cols, _pStride, _d, _z);
    [Benchmark] public void Ger_V512Padded() => Blas.Ger512(_alpha, _d, _x, P, _rows, _cols, _pStride);
    [Benchmark] public void RankK4_V512Padded() => Blas.RankK512(_u, _s, _v, P, _rows, _cols, _pStride);

    // k = 1, 2, 3 on the public (512-bit) path: the cost per term
    [Benchmark] public void RankK1_V512() => Blas.RankK512(_uk[1], _sk[1], _vk[1], W, _rows, _cols, _cols);
    [Benchmark] public void RankK2_V512() => Blas.RankK512(_uk[2], _sk[2], _vk[2], W, _rows, _cols, _cols);
    [Benchmark] public void RankK3_V512() => Blas.RankK512(_uk[3], _sk[3], _vk[3], W, _rows, _cols, _cols);

    // Y (64 x rows) = X W^T
    [Benchmark] public void BatchRead64_Naive() => Naive.BatchRead(W, _rows, _cols, _xs, N, _ys);
    [Benchmark] public void BatchRead64_Tensor() => Tensor.BatchRead(W, _rows, _cols, _xs, N, _ys);
    [Benchmark] public void BatchRead64_Scalar() => Blas.BatchReadScalar(W, _rows, _cols, _cols, _xs, N, _ys);
    [Benchmark] public void BatchRead64_V128() => Blas.BatchRead128(W, _rows, _cols, _cols, _xs, N, _ys);
    [Benchmark] public void BatchRead64_V256() => Blas.BatchRead256(W, _rows, _cols, _cols, _xs, N, _ys);
    [Benchmark] public void BatchRead64_V512() => Blas.BatchRead512(W, _rows, _cols, _cols, _xs, N, _ys);

    [Benchmark]
    public void BatchRead64_GemvLoop()
    {
        for (int j = 0; j < N; j++) Blas.Gemv(W, _rows, _cols, _cols, _xs.AsSpan(j * _cols, _cols), _ys.AsSpan(j * _rows, _rows));
    }

    // Z (64 x cols) = D W
    [Benchmark] public void BatchReadT64_Naive() => Naive.BatchReadTransposed(W, _rows, _cols, _ds, N, _zs);
    [Benchmark] public void BatchReadT64_Tensor() => Tensor.BatchReadTransposed(W, _rows, _cols, _ds, N, _zs);
    [Benchmark] public void BatchReadT64_Scalar() => Blas.BatchReadTransposedScalar(W, _rows, _cols, _cols, _ds, N, _zs);
    [Benchmark] public void BatchReadT64_V128() => Blas.BatchReadTransposed128(W, _rows, _cols, _cols, _ds, N, _zs);
    [Benchmark] public void BatchReadT64_V256() => Blas.BatchReadTransposed256(W, _rows, _cols, _cols, _ds, N, _zs);
    [Benchmark] public void BatchReadT64_V512() => Blas.BatchReadTransposed512(W, _rows, _cols, _cols, _ds, N, _zs);

    [Benchmark]
    public void BatchReadT64_GemvTLoop()
    {
        for (int j = 0; j < N; j++) Blas.GemvT(W, _rows, _cols, _cols, _ds.AsSpan(j * _rows, _rows), _zs.AsSpan(j * _cols, _cols));
    }
}

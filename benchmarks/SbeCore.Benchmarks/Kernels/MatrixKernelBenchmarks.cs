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

    /// <summary>Where W and every operand start relative to a 64-byte cache line: SBE_BENCH_W_OFFSET bytes past one (a
    /// multiple of 4, default 0 = aligned), fixed in pinned arrays (<see cref="PinnedBuffer"/>), so the probes and the
    /// kernels of every process see the same placement. Left to the allocator it varies, and a contiguous probe over a
    /// misaligned W splits every 64-byte access over two lines (up to 2x slower at 10x101), which moves every ratio.</summary>
    public static int WOffsetBytes { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("SBE_BENCH_W_OFFSET"), out int b) && b >= 0 && b % 4 == 0 ? b % 64 : 0;

    private int _rows, _cols, _pStride;
    private PinnedBuffer _w = null!, _p = null!, _x = null!, _y = null!, _d = null!, _z = null!, _u = null!, _v = null!, _s = null!;
    private PinnedBuffer _xs = null!, _ys = null!, _ds = null!, _zs = null!;
    private PinnedBuffer[] _uk = [], _vk = [], _sk = [];
    private Span<float> W => _w.Span;
    // The same matrix with its row stride padded to a multiple of 16 floats (64 bytes): every row then starts on a
    // cache line (at stride = cols = 101 or 785 most 64-byte accesses of a row split two lines).
    private Span<float> P => _p.Span;
    private Span<float> X => _x.Span;
    private Span<float> Y => _y.Span;
    private Span<float> D => _d.Span;
    private Span<float> Z => _z.Span;
    private Span<float> U => _u.Span;
    private Span<float> V => _v.Span;
    private Span<float> S => _s.Span;
    private Span<float> Xs => _xs.Span;
    private Span<float> Ys => _ys.Span;
    private Span<float> Ds => _ds.Span;
    private Span<float> Zs => _zs.Span;
    private readonly float _alpha = 1e-7f, _one = 1f;
    private const int N = KernelMetrics.BatchSize, K = KernelMetrics.Rank;

    [GlobalSetup]
    public void Setup()
    {
        (_rows, _cols) = KernelMetrics.ParseShape(Shape);
        var rng = new Xoshiro256(2026);
        PinnedBuffer Random(int n, float scale = 1f)
        {
            var b = new PinnedBuffer(n, WOffsetBytes);
            for (int i = 0; i < n; i++) b.Span[i] = (2f * rng.NextSingle() - 1f) * scale;
            return b;
        }
        PinnedBuffer Zeros(int n) => new(n, WOffsetBytes);
        _w = Random(_rows * _cols);
        _pStride = (_cols + 15) / 16 * 16;
        _p = Zeros((_rows - 1) * _pStride + _cols);
        for (int r = 0; r < _rows; r++) W.Slice(r * _cols, _cols).CopyTo(P.Slice(r * _pStride));
        _x = Random(_cols); _d = Random(_rows); _y = Zeros(_rows); _z = Zeros(_cols);
        _u = Random(K * _rows); _v = Random(K * _cols);
        _s = Random(K, 1e-7f); // keep W bounded over millions of updates
        _uk = new PinnedBuffer[K]; _vk = new PinnedBuffer[K]; _sk = new PinnedBuffer[K];
        for (int k = 1; k < K; k++)
        {
            _uk[k] = Zeros(k * _rows); U[..(k * _rows)].CopyTo(_uk[k].Span);
            _vk[k] = Zeros(k * _cols); V[..(k * _cols)].CopyTo(_vk[k].Span);
            _sk[k] = Zeros(k); S[..k].CopyTo(_sk[k].Span);
        }
        _xs = Random(N * _cols); _ds = Random(N * _rows); _ys = Zeros(N * _rows); _zs = Zeros(N * _cols);
    }

    // Roofline probes
    [Benchmark] public float Probe_Fma() => Probes.FmaPeak(_alpha, _one);
    [Benchmark] public float Probe_Stream() => Probes.StreamSum(W);
    [Benchmark] public void Probe_Scale() => Probes.ScaleInPlace(_one, W);

    // y = W x
    [Benchmark] public void Gemv_Naive() => Naive.Gemv(W, _rows, _cols, X, Y);
    [Benchmark] public void Gemv_Tensor() => Tensor.Gemv(W, _rows, _cols, X, Y);
    [Benchmark] public void Gemv_Scalar() => Blas.GemvScalar(W, _rows, _cols, _cols, X, Y);
    [Benchmark] public void Gemv_V128() => Blas.Gemv128(W, _rows, _cols, _cols, X, Y);
    [Benchmark] public void Gemv_V256() => Blas.Gemv256(W, _rows, _cols, _cols, X, Y);
    [Benchmark] public void Gemv_V512() => Blas.Gemv512(W, _rows, _cols, _cols, X, Y);

    // z = W^T d
    [Benchmark] public void GemvT_Naive() => Naive.GemvT(W, _rows, _cols, D, Z);
    [Benchmark] public void GemvT_Tensor() => Tensor.GemvT(W, _rows, _cols, D, Z);
    [Benchmark] public void GemvT_Scalar() => Blas.GemvTScalar(W, _rows, _cols, _cols, D, Z);
    [Benchmark] public void GemvT_V128() => Blas.GemvT128(W, _rows, _cols, _cols, D, Z);
    [Benchmark] public void GemvT_V256() => Blas.GemvT256(W, _rows, _cols, _cols, D, Z);
    [Benchmark] public void GemvT_V512() => Blas.GemvT512(W, _rows, _cols, _cols, D, Z);

    // W += alpha u v^T
    [Benchmark] public void Ger_Naive() => Naive.Ger(_alpha, D, X, W, _rows, _cols);
    [Benchmark] public void Ger_Tensor() => Tensor.Ger(_alpha, D, X, W, _rows, _cols);
    [Benchmark] public void Ger_Scalar() => Blas.GerScalar(_alpha, D, X, W, _rows, _cols, _cols);
    [Benchmark] public void Ger_V128() => Blas.Ger128(_alpha, D, X, W, _rows, _cols, _cols);
    [Benchmark] public void Ger_V256() => Blas.Ger256(_alpha, D, X, W, _rows, _cols, _cols);
    [Benchmark] public void Ger_V512() => Blas.Ger512(_alpha, D, X, W, _rows, _cols, _cols);

    // W += U diag(s) V^T, k = 4
    [Benchmark] public void RankK4_Naive() => Naive.RankK(U, S, V, W, _rows, _cols);
    [Benchmark] public void RankK4_Tensor() => Tensor.RankK(U, S, V, W, _rows, _cols);
    [Benchmark] public void RankK4_Scalar() => Blas.RankKScalar(U, S, V, W, _rows, _cols, _cols);
    [Benchmark] public void RankK4_V128() => Blas.RankK128(U, S, V, W, _rows, _cols, _cols);
    [Benchmark] public void RankK4_V256() => Blas.RankK256(U, S, V, W, _rows, _cols, _cols);
    [Benchmark] public void RankK4_V512() => Blas.RankK512(U, S, V, W, _rows, _cols, _cols);

    // The public (512-bit) paths on the padded stride (same rows x cols, same probes)
    [Benchmark] public void Gemv_V512Padded() => Blas.Gemv512(P, _rows, _cols, _pStride, X, Y);
    [Benchmark] public void GemvT_V512Padded() => Blas.GemvT512(P, _rows, _cols, _pStride, D, Z);
    [Benchmark] public void Ger_V512Padded() => Blas.Ger512(_alpha, D, X, P, _rows, _cols, _pStride);
    [Benchmark] public void RankK4_V512Padded() => Blas.RankK512(U, S, V, P, _rows, _cols, _pStride);

    // k = 1, 2, 3 on the public (512-bit) path: the cost per term
    [Benchmark] public void RankK1_V512() => Blas.RankK512(_uk[1].Span, _sk[1].Span, _vk[1].Span, W, _rows, _cols, _cols);
    [Benchmark] public void RankK2_V512() => Blas.RankK512(_uk[2].Span, _sk[2].Span, _vk[2].Span, W, _rows, _cols, _cols);
    [Benchmark] public void RankK3_V512() => Blas.RankK512(_uk[3].Span, _sk[3].Span, _vk[3].Span, W, _rows, _cols, _cols);

    // Y (64 x rows) = X W^T
    [Benchmark] public void BatchRead64_Naive() => Naive.BatchRead(W, _rows, _cols, Xs, N, Ys);
    [Benchmark] public void BatchRead64_Tensor() => Tensor.BatchRead(W, _rows, _cols, Xs, N, Ys);
    [Benchmark] public void BatchRead64_Scalar() => Blas.BatchReadScalar(W, _rows, _cols, _cols, Xs, N, Ys);
    [Benchmark] public void BatchRead64_V128() => Blas.BatchRead128(W, _rows, _cols, _cols, Xs, N, Ys);
    [Benchmark] public void BatchRead64_V256() => Blas.BatchRead256(W, _rows, _cols, _cols, Xs, N, Ys);
    [Benchmark] public void BatchRead64_V512() => Blas.BatchRead512(W, _rows, _cols, _cols, Xs, N, Ys);

    [Benchmark]
    public void BatchRead64_GemvLoop()
    {
        for (int j = 0; j < N; j++) Blas.Gemv(W, _rows, _cols, _cols, Xs.Slice(j * _cols, _cols), Ys.Slice(j * _rows, _rows));
    }

    // Z (64 x cols) = D W
    [Benchmark] public void BatchReadT64_Naive() => Naive.BatchReadTransposed(W, _rows, _cols, Ds, N, Zs);
    [Benchmark] public void BatchReadT64_Tensor() => Tensor.BatchReadTransposed(W, _rows, _cols, Ds, N, Zs);
    [Benchmark] public void BatchReadT64_Scalar() => Blas.BatchReadTransposedScalar(W, _rows, _cols, _cols, Ds, N, Zs);
    [Benchmark] public void BatchReadT64_V128() => Blas.BatchReadTransposed128(W, _rows, _cols, _cols, Ds, N, Zs);
    [Benchmark] public void BatchReadT64_V256() => Blas.BatchReadTransposed256(W, _rows, _cols, _cols, Ds, N, Zs);
    [Benchmark] public void BatchReadT64_V512() => Blas.BatchReadTransposed512(W, _rows, _cols, _cols, Ds, N, Zs);

    [Benchmark]
    public void BatchReadT64_GemvTLoop()
    {
        for (int j = 0; j < N; j++) Blas.GemvT(W, _rows, _cols, _cols, Ds.Slice(j * _rows, _rows), Zs.Slice(j * _cols, _cols));
    }
}

using BenchmarkDotNet.Attributes;
using SbeCore.Eigen;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Eigen;

/// <summary>The exact SVD's heaviest double kernels at every width, beside the previous System.Numerics.Vector
/// version (<see cref="LegacySvdKernels"/>), on the shapes 100 x 785 gives them: the sample route's Gram of the 64 widened
/// inputs (64 rows of 800 doubles), the feature route's strip S^T B (100 x 128 from a chunk of 64 samples), and the widening
/// of 64 input rows of 785 floats to padded doubles that both routes start with.</summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class SvdKernelWidthBenchmarks
{
    private const int GramRows = 64, GramStride = 800, S = 100, T = 64, StripStride = 128;
    private double[] _a = [], _g = [], _sMat = [], _b = [], _c = [], _wide = [];
    private float[] _floats = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Xoshiro256(1);
        _a = new double[GramRows * GramStride];
        for (int j = 0; j < GramRows; j++)
            for (int i = 0; i < 785; i++) _a[j * GramStride + i] = rng.NextGaussian();
        _g = new double[GramRows * GramRows];
        _sMat = new double[T * S];
        for (int i = 0; i < _sMat.Length; i++) _sMat[i] = 0.01 * rng.NextGaussian();
        _b = new double[T * StripStride];
        for (int i = 0; i < _b.Length; i++) _b[i] = rng.NextGaussian();
        _c = new double[S * StripStride];
        _floats = new float[GramRows * 785];
        for (int i = 0; i < _floats.Length; i++) _floats[i] = (float)rng.NextGaussian();
        _wide = new double[GramRows * GramStride];
    }

    [Benchmark(Baseline = true, Description = "Gram 64 x 800, previous (Vector<double>)")]
    public void GramLegacy() => LegacySvdKernels.Gram(_a, GramRows, GramStride, _g, GramRows);

    [Benchmark(Description = "Gram 64 x 800, V512")]
    public void Gram512() => SvdKernels.Gram512(_a, GramRows, GramStride, _g, GramRows);

    [Benchmark(Description = "Gram 64 x 800, V256")]
    public void Gram256() => SvdKernels.Gram256(_a, GramRows, GramStride, _g, GramRows);

    [Benchmark(Description = "Gram 64 x 800, V128")]
    public void Gram128() => SvdKernels.Gram128(_a, GramRows, GramStride, _g, GramRows);

    [Benchmark(Description = "S^T B 100 x 128 over 64, previous (Vector<double>)")]
    public void ProductLegacy() => LegacySvdKernels.AddTransposedProduct(_sMat, S, _b, StripStride, T, _c);

    [Benchmark(Description = "S^T B 100 x 128 over 64, V512")]
    public void Product512() => SvdKernels.AddTransposedProduct512(_sMat, S, _b, StripStride, T, _c);

    [Benchmark(Description = "S^T B 100 x 128 over 64, V256")]
    public void Product256() => SvdKernels.AddTransposedProduct256(_sMat, S, _b, StripStride, T, _c);

    [Benchmark(Description = "S^T B 100 x 128 over 64, V128")]
    public void Product128() => SvdKernels.AddTransposedProduct128(_sMat, S, _b, StripStride, T, _c);

    [Benchmark(Description = "Widen 64 x 785 floats -> 800 doubles, previous (scalar loop)")]
    public void WidenLegacy() => LegacySvdKernels.Widen(_floats, GramRows, 785, 785, _wide, GramStride);

    [Benchmark(Description = "Widen 64 x 785 floats -> 800 doubles, V512")]
    public void Widen512() => SvdKernels.Widen512(_floats, GramRows, 785, 785, _wide, GramStride);

    [Benchmark(Description = "Widen 64 x 785 floats -> 800 doubles, V256")]
    public void Widen256() => SvdKernels.Widen256(_floats, GramRows, 785, 785, _wide, GramStride);

    [Benchmark(Description = "Widen 64 x 785 floats -> 800 doubles, V128")]
    public void Widen128() => SvdKernels.Widen128(_floats, GramRows, 785, 785, _wide, GramStride);
}

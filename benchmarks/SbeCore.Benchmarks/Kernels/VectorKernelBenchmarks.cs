using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Benchmarks.Kernels;

/// <summary>Dot, Axpy, Scale and Nrm2 at every width against a naive loop and TensorPrimitives (single-threaded).</summary>
[Config(typeof(KernelBenchConfig))]
public class VectorKernelBenchmarks
{
    [Params(101, 785, 262144)]
    public int Length { get; set; } = 785;

    private float[] _x = [], _y = [];
    private readonly float _a = 1f;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Xoshiro256(7);
        _x = new float[Length]; _y = new float[Length];
        for (int i = 0; i < Length; i++) { _x[i] = 2f * rng.NextSingle() - 1f; _y[i] = 2f * rng.NextSingle() - 1f; }
    }

    [Benchmark]
    public float Dot_Naive() { float s = 0; for (int i = 0; i < _x.Length; i++) s += _x[i] * _y[i]; return s; }
    [Benchmark] public float Dot_Tensor() => TensorPrimitives.Dot(_x, _y);
    [Benchmark] public float Dot_Scalar() => Blas.DotScalar(_x, _y);
    [Benchmark] public float Dot_V128() => Blas.Dot128(_x, _y);
    [Benchmark] public float Dot_V256() => Blas.Dot256(_x, _y);
    [Benchmark] public float Dot_V512() => Blas.Dot512(_x, _y);

    [Benchmark]
    public void Axpy_Naive() { for (int i = 0; i < _x.Length; i++) _y[i] += _a * _x[i]; }
    [Benchmark] public void Axpy_Tensor() => TensorPrimitives.MultiplyAdd(_x, _a, _y, _y);
    [Benchmark] public void Axpy_Scalar() => Blas.AxpyScalar(_a, _x, _y);
    [Benchmark] public void Axpy_V128() => Blas.Axpy128(_a, _x, _y);
    [Benchmark] public void Axpy_V256() => Blas.Axpy256(_a, _x, _y);
    [Benchmark] public void Axpy_V512() => Blas.Axpy512(_a, _x, _y);

    [Benchmark]
    public void Scale_Naive() { for (int i = 0; i < _x.Length; i++) _x[i] *= _a; }
    [Benchmark] public void Scale_Tensor() => TensorPrimitives.Multiply(_x, _a, _x);
    [Benchmark] public void Scale_Scalar() => Blas.ScaleScalar(_a, _x);
    [Benchmark] public void Scale_V128() => Blas.Scale128(_a, _x);
    [Benchmark] public void Scale_V256() => Blas.Scale256(_a, _x);
    [Benchmark] public void Scale_V512() => Blas.Scale512(_a, _x);

    [Benchmark]
    public double Nrm2_Naive() { double s = 0; for (int i = 0; i < _x.Length; i++) s += (double)_x[i] * _x[i]; return Math.Sqrt(s); }
    /// <summary>TensorPrimitives.Norm accumulates in float, not double: the nearest library call, not the same accuracy.</summary>
    [Benchmark] public double Nrm2_Tensor() => TensorPrimitives.Norm(_x);
    [Benchmark] public double Nrm2_Scalar() => Blas.Nrm2Scalar(_x);
    [Benchmark] public double Nrm2_V128() => Blas.Nrm2_128(_x);
    [Benchmark] public double Nrm2_V256() => Blas.Nrm2_256(_x);
    [Benchmark] public double Nrm2_V512() => Blas.Nrm2_512(_x);
}

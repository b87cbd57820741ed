using System.Runtime.Intrinsics;
using SbeCore.Kernels;
using SbeCore.Numerics;
using Xunit.Abstractions;

namespace SbeCore.Tests.Kernels;

public class AllocationAndDispatchTests(ITestOutputHelper output)
{
    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        var rng = new Xoshiro256(51);
        const int rows = 37, cols = 101, stride = 103, n = 9, k = 3;
        float[] w = Reference.RandomMatrix(ref rng, rows, cols, stride);
        float[] x = Reference.RandomVector(ref rng, cols), d = Reference.RandomVector(ref rng, rows);
        float[] y = new float[rows], z = new float[cols];
        float[] xs = Reference.RandomVector(ref rng, n * cols), ds = Reference.RandomVector(ref rng, n * rows);
        float[] ys = new float[n * rows], zs = new float[n * cols];
        float[] u = Reference.RandomVector(ref rng, k * rows), v = Reference.RandomVector(ref rng, k * cols), s = Reference.RandomVector(ref rng, k);
        float sink = 0;

        void CallAll()
        {
            sink += Blas.Dot(x, z);
            Blas.Axpy(0.5f, x, z);
            Blas.Scale(0.5f, z);
            sink += (float)Blas.Nrm2(x);
            Blas.Gemv(w, rows, cols, stride, x, y);
            Blas.GemvT(w, rows, cols, stride, d, z);
            Blas.Ger(1e-3f, d, x, w, rows, cols, stride);
            Blas.RankK(u, s, v, w, rows, cols, stride);
            Blas.BatchRead(w, rows, cols, stride, xs, n, ys);
            Blas.BatchReadTransposed(w, rows, cols, stride, ds, n, zs);
        }

        for (int i = 0; i < 50; i++) CallAll(); // warm up (tiering)
        SteadyState.AssertAllocatesNothing(() => { for (int i = 0; i < 100; i++) CallAll(); });
        Assert.False(float.IsNaN(sink));
    }

    [Fact]
    public void PublicMethodsTakeTheWidestAcceleratedPath()
    {
        int expected = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
        Assert.Equal(expected, Blas.VectorBits);
        output.WriteLine($"Dispatch: {(expected == 0 ? "scalar" : $"Vector{expected}")}; width paths tested here: {string.Join(", ", Enum.GetValues<Width>().Where(Paths.IsAccelerated))}.");

        var rng = new Xoshiro256(52);
        const int rows = 11, cols = 203, stride = 205, n = 6;
        float[] w = Reference.RandomMatrix(ref rng, rows, cols, stride);
        float[] x = Reference.RandomVector(ref rng, n * cols);
        float[] viaPublic = new float[n * rows], viaPath = new float[n * rows];
        var width = (Width)expected;
        Blas.BatchRead(w, rows, cols, stride, x, n, viaPublic);
        Paths.BatchRead(width, w, rows, cols, stride, x, n, viaPath);
        Assert.Equal(viaPath, viaPublic);
        float[] x0 = x.AsSpan(0, cols).ToArray();
        Assert.True(Reference.SameBits(Paths.Dot(width, x0, x0), Blas.Dot(x0, x0)));
    }
}

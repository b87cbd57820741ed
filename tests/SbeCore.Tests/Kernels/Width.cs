using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Tests.Kernels;

/// <summary>A kernel path: one of the internal width entry points, called directly.</summary>
public enum Width { Scalar = 0, V128 = 128, V256 = 256, V512 = 512 }

/// <summary>Calls the width entry points of <see cref="Blas"/> (arguments already valid: no checks happen there).</summary>
internal static class Paths
{
    public static bool IsAccelerated(Width width) => width switch
    {
        Width.V512 => Vector512.IsHardwareAccelerated,
        Width.V256 => Vector256.IsHardwareAccelerated,
        Width.V128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };

    /// <summary>The widths this process runs: every hardware-accelerated vector width plus scalar. The theory
    /// case names (e.g. "width: V256") say which ran; widths the CPU or a DOTNET_Enable* switch turned off are
    /// left out rather than emulated in software.</summary>
    public static TheoryData<Width> Supported()
    {
        var data = new TheoryData<Width>();
        foreach (Width w in new[] { Width.V512, Width.V256, Width.V128, Width.Scalar })
            if (IsAccelerated(w)) data.Add(w);
        return data;
    }

    public static float Dot(Width w, ReadOnlySpan<float> x, ReadOnlySpan<float> y) => w switch
    {
        Width.V512 => Blas.Dot512(x, y), Width.V256 => Blas.Dot256(x, y), Width.V128 => Blas.Dot128(x, y), _ => Blas.DotScalar(x, y),
    };

    public static void Axpy(Width w, float a, ReadOnlySpan<float> x, Span<float> y)
    {
        switch (w)
        {
            case Width.V512: Blas.Axpy512(a, x, y); break;
            case Width.V256: Blas.Axpy256(a, x, y); break;
            case Width.V128: Blas.Axpy128(a, x, y); break;
            default: Blas.AxpyScalar(a, x, y); break;
        }
    }

    public static void Scale(Width w, float a, Span<float> x)
    {
        switch (w)
        {
            case Width.V512: Blas.Scale512(a, x); break;
            case Width.V256: Blas.Scale256(a, x); break;
            case Width.V128: Blas.Scale128(a, x); break;
            default: Blas.ScaleScalar(a, x); break;
        }
    }

    public static double Nrm2(Width w, ReadOnlySpan<float> x) => w switch
    {
        Width.V512 => Blas.Nrm2_512(x), Width.V256 => Blas.Nrm2_256(x), Width.V128 => Blas.Nrm2_128(x), _ => Blas.Nrm2Scalar(x),
    };

    public static void Gemv(Width w, ReadOnlySpan<float> m, int rows, int cols, int stride, ReadOnlySpan<float> x, Span<float> y)
    {
        switch (w)
        {
            case Width.V512: Blas.Gemv512(m, rows, cols, stride, x, y); break;
            case Width.V256: Blas.Gemv256(m, rows, cols, stride, x, y); break;
            case Width.V128: Blas.Gemv128(m, rows, cols, stride, x, y); break;
            default: Blas.GemvScalar(m, rows, cols, stride, x, y); break;
        }
    }

    public static void GemvT(Width w, ReadOnlySpan<float> m, int rows, int cols, int stride, ReadOnlySpan<float> d, Span<float> z)
    {
        switch (w)
        {
            case Width.V512: Blas.GemvT512(m, rows, cols, stride, d, z); break;
            case Width.V256: Blas.GemvT256(m, rows, cols, stride, d, z); break;
            case Width.V128: Blas.GemvT128(m, rows, cols, stride, d, z); break;
            default: Blas.GemvTScalar(m, rows, cols, stride, d, z); break;
        }
    }

    public static void Ger(Width w, float alpha, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> m, int rows, int cols, int stride)
    {
        switch (w)
        {
            case Width.V512: Blas.Ger512(alpha, u, v, m, rows, cols, stride); break;
            case Width.V256: Blas.Ger256(alpha, u, v, m, rows, cols, stride); break;
            case Width.V128: Blas.Ger128(alpha, u, v, m, rows, cols, stride); break;
            default: Blas.GerScalar(alpha, u, v, m, rows, cols, stride); break;
        }
    }

    public static void RankK(Width w, ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> m, int rows, int cols, int stride)
    {
        switch (w)
        {
            case Width.V512: Blas.RankK512(u, s, v, m, rows, cols, stride); break;
            case Width.V256: Blas.RankK256(u, s, v, m, rows, cols, stride); break;
            case Width.V128: Blas.RankK128(u, s, v, m, rows, cols, stride); break;
            default: Blas.RankKScalar(u, s, v, m, rows, cols, stride); break;
        }
    }

    public static void BatchRead(Width w, ReadOnlySpan<float> m, int rows, int cols, int stride, ReadOnlySpan<float> x, int n, Span<float> y)
    {
        switch (w)
        {
            case Width.V512: Blas.BatchRead512(m, rows, cols, stride, x, n, y); break;
            case Width.V256: Blas.BatchRead256(m, rows, cols, stride, x, n, y); break;
            case Width.V128: Blas.BatchRead128(m, rows, cols, stride, x, n, y); break;
            default: Blas.BatchReadScalar(m, rows, cols, stride, x, n, y); break;
        }
    }

    public static void BatchReadTransposed(Width w, ReadOnlySpan<float> m, int rows, int cols, int stride, ReadOnlySpan<float> d, int n, Span<float> z)
    {
        switch (w)
        {
            case Width.V512: Blas.BatchReadTransposed512(m, rows, cols, stride, d, n, z); break;
            case Width.V256: Blas.BatchReadTransposed256(m, rows, cols, stride, d, n, z); break;
            case Width.V128: Blas.BatchReadTransposed128(m, rows, cols, stride, d, n, z); break;
            default: Blas.BatchReadTransposedScalar(m, rows, cols, stride, d, n, z); break;
        }
    }
}

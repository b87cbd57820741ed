using System.Numerics;
using System.Runtime.InteropServices;

namespace SbeCore.Eigen;

/// <summary>Double-precision dot and axpy for the exact SVD's small dense work (System.Numerics.Vector, any width).</summary>
internal static class DoubleOps
{
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length, i = 0;
        y = y.Slice(0, n);
        double s = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            Vector<double> a0 = default, a1 = default;
            int v = 0;
            for (; v + 1 < xv.Length; v += 2) { a0 += xv[v] * yv[v]; a1 += xv[v + 1] * yv[v + 1]; }
            for (; v < xv.Length; v++) a0 += xv[v] * yv[v];
            s = Vector.Sum(a0 + a1);
            i = xv.Length * Vector<double>.Count;
        }
        for (; i < n; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>y += a x.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        y = y.Slice(0, n);
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            var av = new Vector<double>(a);
            for (int v = 0; v < xv.Length; v++) yv[v] += av * xv[v];
            i = xv.Length * Vector<double>.Count;
        }
        for (; i < n; i++) y[i] += a * x[i];
    }

    /// <summary>y += a x with x in float.</summary>
    public static void Axpy(double a, ReadOnlySpan<float> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        y = y.Slice(0, n);
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            var av = new Vector<double>(a);
            for (int v = 0; v < xv.Length; v++)
            {
                Vector.Widen(xv[v], out Vector<double> lo, out Vector<double> hi);
                yv[2 * v] += av * lo;
                yv[2 * v + 1] += av * hi;
            }
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < n; i++) y[i] += a * x[i];
    }
}

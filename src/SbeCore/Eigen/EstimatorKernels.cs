using SbeCore.Kernels;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Eigen;

/// <summary>
/// Fused SIMD loops the estimator needs beyond SbeCore.Kernels.Blas: the rank-1 step
/// "v = alpha v + beta u, then u.v and |v|^2" in one pass (reductions flushed into double every 64 vectors).
/// Paths: Vector512, Vector256, scalar; chosen once per call by hardware acceleration.
/// </summary>
internal static class EstimatorKernels
{
    /// <summary>True when every element is finite (no NaN, no +-Inf): the shared scan of the kernel layer.</summary>
    public static bool AllFinite(ReadOnlySpan<float> x) => Blas.IndexOfNonFinite(x) < 0;

    // Float lanes accumulate at most this many vectors before they are flushed into double, which bounds the float
    // rounding of each lane sum to ~BlockVectors ulps whatever the length (DESIGN.md: norms accumulate in double).
    private const int BlockVectors = 64;

    /// <summary>In place: v = alpha v + beta u; returns u.v and |v|^2 of the new v.</summary>
    public static void ScaleAddDotNorm(float alpha, float beta, ReadOnlySpan<float> u, Span<float> v, out double dot, out double sumSq)
        => ScaleAddDotNorm(alpha, beta, u, v, v, out dot, out sumSq);

    /// <summary>w = alpha v + beta u (w may be v); returns u.w and |w|^2 (float lanes over blocks of 64 vectors,
    /// flushed into double accumulators). A non-finite u or an overflow shows up as a non-finite |w|^2.</summary>
    public static void ScaleAddDotNorm(float alpha, float beta, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, out double dot, out double sumSq)
    {
        if (u.Length != v.Length || w.Length != v.Length)
            throw new ArgumentException($"u has {u.Length} elements, v has {v.Length}, w has {w.Length}.", nameof(w));
        ref float ru = ref MemoryMarshal.GetReference(u);
        ref float rv = ref MemoryMarshal.GetReference(v);
        ref float rw = ref MemoryMarshal.GetReference(w);
        nuint n = (nuint)u.Length, i = 0;
        double d = 0, q = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            var va = Vector512.Create(alpha); var vb = Vector512.Create(beta);
            nuint width = (nuint)Vector512<float>.Count;
            while (i + width <= n)
            {
                nuint blockEnd = Math.Min(n - width + 1, i + BlockVectors * width);
                Vector512<float> d0 = default, q0 = default, d1 = default, q1 = default;
                for (; i + width < blockEnd; i += 2 * width) // two independent chains hide the FMA latency
                {
                    var u0 = Vector512.LoadUnsafe(ref ru, i);
                    var u1 = Vector512.LoadUnsafe(ref ru, i + width);
                    var v0 = Vector512.FusedMultiplyAdd(va, Vector512.LoadUnsafe(ref rv, i), vb * u0);
                    var v1 = Vector512.FusedMultiplyAdd(va, Vector512.LoadUnsafe(ref rv, i + width), vb * u1);
                    v0.StoreUnsafe(ref rw, i);
                    v1.StoreUnsafe(ref rw, i + width);
                    d0 = Vector512.FusedMultiplyAdd(u0, v0, d0); q0 = Vector512.FusedMultiplyAdd(v0, v0, q0);
                    d1 = Vector512.FusedMultiplyAdd(u1, v1, d1); q1 = Vector512.FusedMultiplyAdd(v1, v1, q1);
                }
                for (; i < blockEnd; i += width)
                {
                    var uu = Vector512.LoadUnsafe(ref ru, i);
                    var vv = Vector512.FusedMultiplyAdd(va, Vector512.LoadUnsafe(ref rv, i), vb * uu);
                    vv.StoreUnsafe(ref rw, i);
                    d0 = Vector512.FusedMultiplyAdd(uu, vv, d0);
                    q0 = Vector512.FusedMultiplyAdd(vv, vv, q0);
                }
                d += SumToDouble(d0 + d1); q += SumToDouble(q0 + q1);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            var va = Vector256.Create(alpha); var vb = Vector256.Create(beta);
            nuint width = (nuint)Vector256<float>.Count;
            while (i + width <= n)
            {
                nuint blockEnd = Math.Min(n - width + 1, i + BlockVectors * width);
                Vector256<float> d0 = default, q0 = default;
                for (; i < blockEnd; i += width)
                {
                    var uu = Vector256.LoadUnsafe(ref ru, i);
                    var vv = Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref rv, i), vb * uu);
                    vv.StoreUnsafe(ref rw, i);
                    d0 = Vector256.FusedMultiplyAdd(uu, vv, d0);
                    q0 = Vector256.FusedMultiplyAdd(vv, vv, q0);
                }
                d += SumToDouble(d0); q += SumToDouble(q0);
            }
        }
        for (; i < n; i++)
        {
            float uu = Unsafe.Add(ref ru, i);
            float vv = MathF.FusedMultiplyAdd(alpha, Unsafe.Add(ref rv, i), beta * uu);
            Unsafe.Add(ref rw, i) = vv;
            d += (double)uu * vv; q += (double)vv * vv;
        }
        dot = d; sumSq = q;
    }

    private static double SumToDouble(Vector512<float> v)
    {
        var (lo, hi) = Vector512.Widen(v);
        return Vector512.Sum(lo + hi);
    }

    private static double SumToDouble(Vector256<float> v)
    {
        var (lo, hi) = Vector256.Widen(v);
        return Vector256.Sum(lo + hi);
    }

    /// <summary>Sum of squares (the Euclidean norm squared): float lanes over blocks of 64 vectors flushed into double.</summary>
    public static double SumSquares(ReadOnlySpan<float> x)
    {
        ref float r = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        double s = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            nuint width = (nuint)Vector512<float>.Count;
            while (i + width <= n)
            {
                nuint blockEnd = Math.Min(n - width + 1, i + BlockVectors * width);
                Vector512<float> a0 = default, a1 = default;
                for (; i + width < blockEnd; i += 2 * width)
                {
                    var v0 = Vector512.LoadUnsafe(ref r, i); var v1 = Vector512.LoadUnsafe(ref r, i + width);
                    a0 = Vector512.FusedMultiplyAdd(v0, v0, a0); a1 = Vector512.FusedMultiplyAdd(v1, v1, a1);
                }
                for (; i < blockEnd; i += width) { var v = Vector512.LoadUnsafe(ref r, i); a0 = Vector512.FusedMultiplyAdd(v, v, a0); }
                s += SumToDouble(a0 + a1);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            nuint width = (nuint)Vector256<float>.Count;
            while (i + width <= n)
            {
                nuint blockEnd = Math.Min(n - width + 1, i + BlockVectors * width);
                Vector256<float> a0 = default, a1 = default;
                for (; i + width < blockEnd; i += 2 * width)
                {
                    var v0 = Vector256.LoadUnsafe(ref r, i); var v1 = Vector256.LoadUnsafe(ref r, i + width);
                    a0 = Vector256.FusedMultiplyAdd(v0, v0, a0); a1 = Vector256.FusedMultiplyAdd(v1, v1, a1);
                }
                for (; i < blockEnd; i += width) { var v = Vector256.LoadUnsafe(ref r, i); a0 = Vector256.FusedMultiplyAdd(v, v, a0); }
                s += SumToDouble(a0 + a1);
            }
        }
        for (; i < n; i++) { double v = Unsafe.Add(ref r, i); s += v * v; }
        return s;
    }
}

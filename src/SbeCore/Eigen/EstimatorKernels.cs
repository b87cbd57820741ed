using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Eigen;

/// <summary>
/// Fused SIMD loops the estimator needs beyond SbeCore.Kernels.Blas: a finiteness scan and the rank-1 step
/// "v = alpha v + beta u, then u.v and |v|^2" in one pass (the norm accumulated in double).
/// Paths: Vector512, Vector256, scalar; chosen once per call by hardware acceleration.
/// </summary>
internal static class EstimatorKernels
{
    /// <summary>True when every element is finite (no NaN, no +-Inf): sums x*0, which is NaN iff some x is not finite.</summary>
    public static bool AllFinite(ReadOnlySpan<float> x)
    {
        ref float r = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
                acc += Vector512.LoadUnsafe(ref r, i) * Vector512<float>.Zero;
            if (!Vector512.EqualsAll(acc, Vector512<float>.Zero)) return false;
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
                acc += Vector256.LoadUnsafe(ref r, i) * Vector256<float>.Zero;
            if (!Vector256.EqualsAll(acc, Vector256<float>.Zero)) return false;
        }
        for (; i < n; i++) if (!float.IsFinite(Unsafe.Add(ref r, i))) return false;
        return true;
    }

    /// <summary>v = alpha v + beta u in place; returns u.v and |v|^2 of the new v (both accumulated in double).</summary>
    public static void ScaleAddDotNorm(float alpha, float beta, ReadOnlySpan<float> u, Span<float> v, out double dot, out double sumSq)
    {
        if (u.Length != v.Length) throw new ArgumentException($"u has {u.Length} elements, v has {v.Length}.", nameof(v));
        ref float ru = ref MemoryMarshal.GetReference(u);
        ref float rv = ref MemoryMarshal.GetReference(v);
        nuint n = (nuint)u.Length, i = 0;
        double d = 0, q = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            var va = Vector512.Create(alpha); var vb = Vector512.Create(beta);
            Vector512<double> d0 = default, d1 = default, q0 = default, q1 = default;
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                var uu = Vector512.LoadUnsafe(ref ru, i);
                var vv = Vector512.FusedMultiplyAdd(va, Vector512.LoadUnsafe(ref rv, i), vb * uu);
                vv.StoreUnsafe(ref rv, i);
                var (ul, uh) = Vector512.Widen(uu);
                var (vl, vh) = Vector512.Widen(vv);
                d0 = Vector512.FusedMultiplyAdd(ul, vl, d0); d1 = Vector512.FusedMultiplyAdd(uh, vh, d1);
                q0 = Vector512.FusedMultiplyAdd(vl, vl, q0); q1 = Vector512.FusedMultiplyAdd(vh, vh, q1);
            }
            d = Vector512.Sum(d0 + d1); q = Vector512.Sum(q0 + q1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            var va = Vector256.Create(alpha); var vb = Vector256.Create(beta);
            Vector256<double> d0 = default, d1 = default, q0 = default, q1 = default;
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                var uu = Vector256.LoadUnsafe(ref ru, i);
                var vv = Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref rv, i), vb * uu);
                vv.StoreUnsafe(ref rv, i);
                var (ul, uh) = Vector256.Widen(uu);
                var (vl, vh) = Vector256.Widen(vv);
                d0 = Vector256.FusedMultiplyAdd(ul, vl, d0); d1 = Vector256.FusedMultiplyAdd(uh, vh, d1);
                q0 = Vector256.FusedMultiplyAdd(vl, vl, q0); q1 = Vector256.FusedMultiplyAdd(vh, vh, q1);
            }
            d = Vector256.Sum(d0 + d1); q = Vector256.Sum(q0 + q1);
        }
        for (; i < n; i++)
        {
            float uu = Unsafe.Add(ref ru, i);
            float vv = MathF.FusedMultiplyAdd(alpha, Unsafe.Add(ref rv, i), beta * uu);
            Unsafe.Add(ref rv, i) = vv;
            d += (double)uu * vv; q += (double)vv * vv;
        }
        dot = d; sumSq = q;
    }

    /// <summary>Sum of squares in double (the Euclidean norm squared).</summary>
    public static double SumSquares(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x) s += (double)v * v;
        return s;
    }
}

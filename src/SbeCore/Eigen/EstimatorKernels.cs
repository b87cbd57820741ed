using SbeCore.Kernels;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Eigen;

/// <summary>
/// Fused SIMD loops the estimator needs beyond SbeCore.Kernels.Blas: the rank-1 step
/// "v = alpha v + beta u, then u.v and |v|^2" in one pass (reductions flushed into double every 64 vectors).
/// One generic body per loop over the kernels' ISimdOps; the public method picks the widest accelerated width whose
/// vector fits the length (a short vector falls to a narrower width, not straight to scalar).
/// </summary>
internal static class EstimatorKernels
{
    /// <summary>True when every element is finite (no NaN, no +-Inf): the shared scan of the kernel layer.</summary>
    public static bool AllFinite(ReadOnlySpan<float> x) => Blas.IndexOfNonFinite(x) < 0;

    // Float lanes accumulate at most this many vectors before they are flushed into double, which bounds the float
    // rounding of each lane sum to ~BlockVectors ulps whatever the length (norms accumulate in double so long vectors lose no bits).
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
        (dot, sumSq) = ScaleAddDotNorm(SimdDispatch.For(u.Length), alpha, beta, u, v, w);
    }

    /// <summary>In place, as above at a width chosen by the caller (<see cref="SimdDispatch.For"/> of the length): the
    /// estimator's per-sample step chooses it once per call, not once per vector. The sums come back by value (through
    /// out parameters they went through memory, on the step's chain).</summary>
    internal static (double Dot, double SumSq) ScaleAddDotNorm(SimdWidth width, float alpha, float beta, ReadOnlySpan<float> u, Span<float> v)
    {
        if (u.Length != v.Length) throw new ArgumentException($"u has {u.Length} elements, v has {v.Length}.", nameof(v));
        return ScaleAddDotNorm(width, alpha, beta, u, v, v);
    }

    private static (double Dot, double SumSq) ScaleAddDotNorm(SimdWidth width, float alpha, float beta, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w)
        => width switch
        {
            SimdWidth.V512 => ScaleAddDotNormCore<Simd512, Vector512<float>, Vector512<double>>(alpha, beta, u, v, w, twoChains: true),
            SimdWidth.V256 => ScaleAddDotNormCore<Simd256, Vector256<float>, Vector256<double>>(alpha, beta, u, v, w, twoChains: false),
            SimdWidth.V128 => ScaleAddDotNormCore<Simd128, Vector128<float>, Vector128<double>>(alpha, beta, u, v, w, twoChains: true),
            _ => ScaleAddDotNormTail(alpha, beta, u, v, w, 0, 0, 0),
        };

    // Width entry points (lengths already checked). AVX2 runs one accumulator chain so its results stay bit-identical to
    // the published AVX2 figures (docs/results.md); the others run two to hide the FMA latency.
    internal static void ScaleAddDotNorm512(float alpha, float beta, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, out double dot, out double sumSq)
        => (dot, sumSq) = ScaleAddDotNormCore<Simd512, Vector512<float>, Vector512<double>>(alpha, beta, u, v, w, twoChains: true);

    internal static void ScaleAddDotNorm256(float alpha, float beta, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, out double dot, out double sumSq)
        => (dot, sumSq) = ScaleAddDotNormCore<Simd256, Vector256<float>, Vector256<double>>(alpha, beta, u, v, w, twoChains: false);

    internal static void ScaleAddDotNorm128(float alpha, float beta, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, out double dot, out double sumSq)
        => (dot, sumSq) = ScaleAddDotNormCore<Simd128, Vector128<float>, Vector128<double>>(alpha, beta, u, v, w, twoChains: true);

    internal static void ScaleAddDotNormScalar(float alpha, float beta, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, out double dot, out double sumSq)
        => (dot, sumSq) = ScaleAddDotNormTail(alpha, beta, u, v, w, 0, 0, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double Dot, double SumSq) ScaleAddDotNormCore<TOps, TVec, TWide>(float alpha, float beta, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w,
        bool twoChains)
        where TOps : struct, ISimdWideningOps<TVec, TWide> where TVec : struct where TWide : struct
    {
        ref float ru = ref MemoryMarshal.GetReference(u);
        ref float rv = ref MemoryMarshal.GetReference(v);
        ref float rw = ref MemoryMarshal.GetReference(w);
        nuint n = (nuint)u.Length, i = 0, width = (nuint)TOps.Count;
        double d = 0, q = 0;
        TVec va = TOps.Broadcast(alpha), vb = TOps.Broadcast(beta);
        while (i + width <= n)
        {
            nuint blockEnd = Math.Min(n - width + 1, i + BlockVectors * width);
            TVec d0 = TOps.Zero, q0 = d0, d1 = d0, q1 = d0;
            if (twoChains)
            {
                for (; i + width < blockEnd; i += 2 * width) // two independent chains hide the FMA latency
                {
                    TVec u0 = TOps.Load(ref ru, i);
                    TVec u1 = TOps.Load(ref ru, i + width);
                    TVec v0 = TOps.MultiplyAdd(va, TOps.Load(ref rv, i), TOps.Multiply(vb, u0));
                    TVec v1 = TOps.MultiplyAdd(va, TOps.Load(ref rv, i + width), TOps.Multiply(vb, u1));
                    TOps.Store(v0, ref rw, i);
                    TOps.Store(v1, ref rw, i + width);
                    d0 = TOps.MultiplyAdd(u0, v0, d0); q0 = TOps.MultiplyAdd(v0, v0, q0);
                    d1 = TOps.MultiplyAdd(u1, v1, d1); q1 = TOps.MultiplyAdd(v1, v1, q1);
                }
            }
            for (; i < blockEnd; i += width)
            {
                TVec uu = TOps.Load(ref ru, i);
                TVec vv = TOps.MultiplyAdd(va, TOps.Load(ref rv, i), TOps.Multiply(vb, uu));
                TOps.Store(vv, ref rw, i);
                d0 = TOps.MultiplyAdd(uu, vv, d0);
                q0 = TOps.MultiplyAdd(vv, vv, q0);
            }
            d += SimdGeneric.SumToDouble<TOps, TVec, TWide>(TOps.Add(d0, d1));
            q += SimdGeneric.SumToDouble<TOps, TVec, TWide>(TOps.Add(q0, q1));
        }
        return ScaleAddDotNormTail(alpha, beta, u, v, w, (int)i, d, q);
    }

    // Elements from start on, one at a time, accumulated in double onto dot and sumSq; returns the sums. By value, not
    // by ref: a sum behind a ref (or whose address a callee takes) is stored and reloaded at every add, on the chain.
    private static (double Dot, double SumSq) ScaleAddDotNormTail(float alpha, float beta, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, int start, double dot, double sumSq)
    {
        for (int i = start; i < u.Length; i++)
        {
            float uu = u[i];
            float vv = MathF.FusedMultiplyAdd(alpha, v[i], beta * uu);
            w[i] = vv;
            dot += (double)uu * vv; sumSq += (double)vv * vv;
        }
        return (dot, sumSq);
    }

    /// <summary>sum_j (delta_j . d)(x_j . x) over the n samples (deltas n x d.Length, xs n x x.Length): n times a
    /// Rayleigh quotient d^T M x of the batch-mean gradient M, in one pass over the batch.</summary>
    public static double SumOfProducts(ReadOnlySpan<float> deltas, ReadOnlySpan<float> xs, int n, ReadOnlySpan<float> d, ReadOnlySpan<float> x)
    {
        double acc = 0;
        for (int j = 0; j < n; j++)
            acc += (double)Blas.Dot(deltas.Slice(j * d.Length, d.Length), d) * Blas.Dot(xs.Slice(j * x.Length, x.Length), x);
        return acc;
    }

    /// <summary>Sum of squares (the Euclidean norm squared): float lanes over blocks of 64 vectors flushed into double.</summary>
    public static double SumSquares(ReadOnlySpan<float> x)
    {
        int n = x.Length;
        return SimdDispatch.For(n) switch
        {
            SimdWidth.V512 => SumSquares512(x),
            SimdWidth.V256 => SumSquares256(x),
            SimdWidth.V128 => SumSquares128(x),
            _ => SumSquaresScalar(x),
        };
    }

    internal static double SumSquares512(ReadOnlySpan<float> x) => SumSquaresCore<Simd512, Vector512<float>, Vector512<double>>(x);
    internal static double SumSquares256(ReadOnlySpan<float> x) => SumSquaresCore<Simd256, Vector256<float>, Vector256<double>>(x);
    internal static double SumSquares128(ReadOnlySpan<float> x) => SumSquaresCore<Simd128, Vector128<float>, Vector128<double>>(x);
    internal static double SumSquaresScalar(ReadOnlySpan<float> x) => SumSquaresTail(x, 0, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SumSquaresCore<TOps, TVec, TWide>(ReadOnlySpan<float> x)
        where TOps : struct, ISimdWideningOps<TVec, TWide> where TVec : struct where TWide : struct
    {
        ref float r = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0, width = (nuint)TOps.Count;
        double s = 0;
        while (i + width <= n)
        {
            nuint blockEnd = Math.Min(n - width + 1, i + BlockVectors * width);
            TVec a0 = TOps.Zero, a1 = a0;
            for (; i + width < blockEnd; i += 2 * width)
            {
                TVec v0 = TOps.Load(ref r, i), v1 = TOps.Load(ref r, i + width);
                a0 = TOps.MultiplyAdd(v0, v0, a0); a1 = TOps.MultiplyAdd(v1, v1, a1);
            }
            for (; i < blockEnd; i += width) { TVec v = TOps.Load(ref r, i); a0 = TOps.MultiplyAdd(v, v, a0); }
            s += SimdGeneric.SumToDouble<TOps, TVec, TWide>(TOps.Add(a0, a1));
        }
        return SumSquaresTail(x, (int)i, s);
    }

    private static double SumSquaresTail(ReadOnlySpan<float> x, int start, double s)
    {
        for (int i = start; i < x.Length; i++) { double v = x[i]; s += v * v; }
        return s;
    }
}

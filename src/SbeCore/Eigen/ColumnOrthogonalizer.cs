using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Eigen;

/// <summary>
/// Modified Gram-Schmidt over the k columns (stored as consecutive rows of length len) that keeps each column's
/// norm as its magnitude: afterwards column c = R_cc q_c with q orthonormal and R_cc &gt; 0 (the positive-diagonal
/// convention, so no column ever flips sign). For k = 1 it changes nothing, which is why the rank-k path with k = 1,
/// m = 1 is exactly the paper's recurrence.
/// </summary>
internal static class ColumnOrthogonalizer
{
    // A column whose residual after projection is below this fraction of its norm is linearly dependent on the
    // earlier ones; it is replaced by a fresh random direction so that the basis stays complete.
    private const double DependenceTolerance = 1e-6;

    /// <summary>Orthogonalises the columns in place and writes their norms; reseeds zero or dependent columns from rng.</summary>
    public static void Orthogonalize(Span<float> v, int k, int len, Span<double> norms, ref Xoshiro256 rng)
    {
        for (int c = 0; c < k; c++)
        {
            Span<float> col = v.Slice(c * len, len);
            double before = EstimatorKernels.SumSquares(col);
            RemoveEarlier(v, c, len, norms, col);
            double after = EstimatorKernels.SumSquares(col);
            if (after < 0.25 * before && after > 0)
            {
                // heavy cancellation (the column was mostly inside the earlier ones): float MGS lost orthogonality
                // in proportion to before/after, so project once more ("twice is enough")
                RemoveEarlier(v, c, len, norms, col);
                after = EstimatorKernels.SumSquares(col);
            }
            if (after == 0 || after <= DependenceTolerance * DependenceTolerance * before)
            {
                double target = before > 0 ? Math.Sqrt(before) : c > 0 ? norms[0] : 1.0;
                after = Reseed(v, c, len, norms, col, target, ref rng);
            }
            norms[c] = Math.Sqrt(after);
        }
    }

    private static void RemoveEarlier(ReadOnlySpan<float> v, int c, int len, ReadOnlySpan<double> norms, Span<float> col)
    {
        for (int e = 0; e < c; e++)
        {
            if (norms[e] <= 0) continue;
            ReadOnlySpan<float> prev = v.Slice(e * len, len);
            double coef = Blas.Dot(col, prev) / (norms[e] * norms[e]);
            Blas.Axpy((float)-coef, prev, col);
        }
    }

    private static double Reseed(Span<float> v, int c, int len, ReadOnlySpan<double> norms, Span<float> col, double target, ref Xoshiro256 rng)
    {
        if (!(target > 0) || !double.IsFinite(target)) target = 1.0;
        for (int attempt = 0; attempt < 8; attempt++)
        {
            rng.FillGaussian(col);
            RemoveEarlier(v, c, len, norms, col);
            RemoveEarlier(v, c, len, norms, col); // twice is enough for a random vector
            double ss = EstimatorKernels.SumSquares(col);
            if (ss > 0)
            {
                Blas.Scale((float)(target / Math.Sqrt(ss)), col);
                return EstimatorKernels.SumSquares(col);
            }
        }
        throw new InvalidOperationException("Could not complete an orthogonal basis (k > len?).");
    }
}

namespace SbeCore.Benchmarks.Eigen;

/// <summary>
/// The exact SVD's previous eigen-solve, kept here as the benchmark baseline of TridiagonalEigen. Cyclic Jacobi eigensolver for a small dense symmetric matrix in double (accurate to a few ulps of the largest
/// eigenvalue; O(r^3) per sweep, typically 6-10 sweeps; stops when a sweep finds nothing above rounding level). Allocation-free: works in the caller's buffers.
/// </summary>
internal static class JacobiReference
{
    /// <summary>
    /// Diagonalises a (r x r, row-major, symmetric; destroyed) so that on return its diagonal holds the eigenvalues
    /// and the rows of v (r x r, row-major: v[e * r + i] is component i of eigenvector e) the matching unit eigenvectors.
    /// Rows keep every update contiguous: A is read and written along rows p and q (mirrored into the columns).
    /// </summary>
    public static void Jacobi(Span<double> a, Span<double> v, int r)
    {
        v.Slice(0, r * r).Clear();
        for (int i = 0; i < r; i++) v[i * r + i] = 1;
        bool any = false;
        for (int i = 0; i < r * r && !any; i++) any = a[i] != 0;
        if (!any) return;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < r; p++)
                for (int q = p + 1; q < r; q++)
                {
                    double apq = a[p * r + q];
                    // negligible against both diagonal entries: rounding level, leave it (classic Jacobi threshold)
                    if (Math.Abs(apq) <= 1e-17 * (Math.Abs(a[p * r + p]) + Math.Abs(a[q * r + q])) || apq == 0) continue;
                    double theta = (a[q * r + q] - a[p * r + p]) / (2 * apq);
                    double t = theta == 0 ? 1 : Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    Rotate(a, v, r, p, q, c, s);
                    rotated = true;
                }
            if (!rotated) return;
        }
    }

    // A <- J^T A J and V^T <- (V J)^T for the rotation J in the (p, q) plane, using symmetry: the diagonal by the closed form
    // (a_pp - t a_pq, a_qq + t a_pq), every other entry of rows/columns p and q once, mirrored (Numerical Recipes' form
    // with tau = s / (1 + c), which keeps the rounding small).
    private static void Rotate(Span<double> a, Span<double> v, int r, int p, int q, double c, double s)
    {
        double apq = a[p * r + q], t = s / c, tau = s / (1 + c);
        a[p * r + p] -= t * apq;
        a[q * r + q] += t * apq;
        a[p * r + q] = 0; a[q * r + p] = 0;
        Span<double> rowP = a.Slice(p * r, r), rowQ = a.Slice(q * r, r);
        for (int k = 0; k < r; k++)
        {
            if (k == p || k == q) continue;
            double g = rowP[k], h = rowQ[k];
            double gp = g - s * (h + g * tau), hq = h + s * (g - h * tau);
            rowP[k] = gp; a[k * r + p] = gp;
            rowQ[k] = hq; a[k * r + q] = hq;
        }
        Span<double> vp = v.Slice(p * r, r), vq = v.Slice(q * r, r);
        for (int k = 0; k < r; k++)
        {
            double vkp = vp[k], vkq = vq[k];
            vp[k] = c * vkp - s * vkq;
            vq[k] = s * vkp + c * vkq;
        }
    }
}

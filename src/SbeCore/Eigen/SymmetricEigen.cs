namespace SbeCore.Eigen;

/// <summary>
/// Cyclic Jacobi eigensolver for a small dense symmetric matrix in double (accurate to a few ulps of the largest
/// eigenvalue; O(r^3) per sweep, typically 6-10 sweeps; stops when a sweep finds nothing above rounding level). Allocation-free: works in the caller's buffers.
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Diagonalises a (r x r, row-major, symmetric; destroyed) so that on return its diagonal holds the eigenvalues
    /// and the columns of v (r x r, row-major) the matching unit eigenvectors.
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

    // A <- J^T A J and V <- V J for the rotation J in the (p, q) plane.
    private static void Rotate(Span<double> a, Span<double> v, int r, int p, int q, double c, double s)
    {
        for (int k = 0; k < r; k++) // columns p, q
        {
            double akp = a[k * r + p], akq = a[k * r + q];
            a[k * r + p] = c * akp - s * akq;
            a[k * r + q] = s * akp + c * akq;
        }
        for (int k = 0; k < r; k++) // rows p, q
        {
            double apk = a[p * r + k], aqk = a[q * r + k];
            a[p * r + k] = c * apk - s * aqk;
            a[q * r + k] = s * apk + c * aqk;
        }
        a[p * r + q] = 0; a[q * r + p] = 0;
        for (int k = 0; k < r; k++)
        {
            double vkp = v[k * r + p], vkq = v[k * r + q];
            v[k * r + p] = c * vkp - s * vkq;
            v[k * r + q] = s * vkp + c * vkq;
        }
    }
}

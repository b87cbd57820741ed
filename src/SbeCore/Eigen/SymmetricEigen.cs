namespace SbeCore.Eigen;

/// <summary>
/// Cyclic Jacobi eigensolver for a small dense symmetric matrix in double (accurate to a few ulps of the largest
/// eigenvalue; O(r^3) per sweep, typically 6-10 sweeps). Allocation-free: works in the caller's buffers.
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
        double frob = 0;
        for (int i = 0; i < r * r; i++) frob += a[i] * a[i];
        if (frob == 0) return;
        double tol = 1e-30 * frob; // off-diagonal mass relative to the matrix: (1e-15)^2
        for (int sweep = 0; sweep < 60; sweep++)
        {
            double off = 0;
            for (int p = 0; p < r; p++)
                for (int q = p + 1; q < r; q++) off += a[p * r + q] * a[p * r + q];
            if (off <= tol) return;
            for (int p = 0; p < r; p++)
                for (int q = p + 1; q < r; q++)
                {
                    double apq = a[p * r + q];
                    if (apq == 0) continue;
                    double theta = (a[q * r + q] - a[p * r + p]) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    Rotate(a, v, r, p, q, c, s);
                }
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

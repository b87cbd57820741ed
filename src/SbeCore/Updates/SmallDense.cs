namespace SbeCore.Updates;

/// <summary>The small dense SVD of LRT's (k + 1) x (k + 1) core (k, the rank, at most a few dozen).</summary>
internal static class SmallDense
{
    /// <summary>
    /// SVD of the m x m matrix a (row-major, overwritten) by one-sided Jacobi: a = P diag(sigma) Q^T with sigma
    /// descending; p and q are m x m row-major (column c of P is p[i m + c]).
    /// </summary>
    public static void Svd(Span<double> a, int m, Span<double> sigma, Span<double> p, Span<double> q)
    {
        q.Slice(0, m * m).Clear();
        for (int i = 0; i < m; i++) q[i * m + i] = 1;
        for (int sweep = 0; sweep < 60; sweep++)
        {
            bool rotated = false;
            for (int i = 0; i < m - 1; i++)
                for (int j = i + 1; j < m; j++)
                {
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int r = 0; r < m; r++) { double x = a[r * m + i], y = a[r * m + j]; alpha += x * x; beta += y * y; gamma += x * y; }
                    if (Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta) || gamma == 0) continue;
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.Sign(zeta == 0 ? 1 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    double c = 1 / Math.Sqrt(1 + t * t), s = c * t;
                    Rotate(a, m, i, j, c, s);
                    Rotate(q, m, i, j, c, s);
                }
            if (!rotated) break;
        }
        Span<int> order = stackalloc int[m];
        for (int c = 0; c < m; c++)
        {
            double norm = 0;
            for (int r = 0; r < m; r++) norm += a[r * m + c] * a[r * m + c];
            sigma[c] = Math.Sqrt(norm);
            order[c] = c;
        }
        // Selection sort by sigma (m is tiny); permute P's and Q's columns with it.
        Span<double> sorted = stackalloc double[m];
        for (int c = 0; c < m; c++)
        {
            int best = c;
            for (int e = c + 1; e < m; e++) if (sigma[order[e]] > sigma[order[best]]) best = e;
            (order[c], order[best]) = (order[best], order[c]);
        }
        Span<double> qCopy = stackalloc double[m * m];
        q.Slice(0, m * m).CopyTo(qCopy);
        for (int c = 0; c < m; c++)
        {
            int from = order[c];
            sorted[c] = sigma[from];
            for (int r = 0; r < m; r++)
            {
                p[r * m + c] = sigma[from] > 0 ? a[r * m + from] / sigma[from] : 0;
                q[r * m + c] = qCopy[r * m + from];
            }
        }
        sorted.CopyTo(sigma);
    }

    // Columns i and j of the m x m row-major x: (x_i, x_j) <- (c x_i - s x_j, s x_i + c x_j).
    private static void Rotate(Span<double> x, int m, int i, int j, double c, double s)
    {
        for (int r = 0; r < m; r++)
        {
            double u = x[r * m + i], v = x[r * m + j];
            x[r * m + i] = c * u - s * v;
            x[r * m + j] = s * u + c * v;
        }
    }
}

namespace SbeCore.Eigen;

/// <summary>
/// Rank-revealing Cholesky of a symmetric positive semidefinite Gram matrix G (n x n) with diagonal pivoting:
/// G = L L^T + E with L n x r, |E| at rounding level of max G_ii. Each step takes the largest remaining diagonal, so the
/// factor stops at the numerical rank r (a batch with repeated or collinear samples, zero deltas) instead of dividing
/// by noise. L is stored by columns (column c is row c of <c>l</c>, n entries then zeros up to the row stride), in the
/// original sample order.
/// </summary>
internal static class PivotedCholesky
{
    /// <summary>Stop when the largest remaining diagonal is below this times n times the largest diagonal of G.</summary>
    private const double RelativeStop = 4 * 2.220446049250313e-16;

    /// <summary>Factors g (read-only, row stride gs) into the columns of l (rows of stride gs, capacity n rows); diag and
    /// pivoted are n-long scratch. Returns r.</summary>
    public static int Factor(ReadOnlySpan<double> g, int n, int gs, Span<double> l, Span<double> diag, Span<bool> pivoted)
    {
        double maxDiag = 0;
        for (int i = 0; i < n; i++) { diag[i] = g[i * gs + i]; pivoted[i] = false; maxDiag = Math.Max(maxDiag, diag[i]); }
        if (!(maxDiag > 0)) return 0;
        double stop = RelativeStop * n * maxDiag;
        int r = 0;
        for (; r < n; r++)
        {
            int p = -1;
            double best = stop;
            for (int i = 0; i < n; i++)
                if (!pivoted[i] && diag[i] > best) { best = diag[i]; p = i; } // first index wins ties: deterministic
            if (p < 0) break;
            pivoted[p] = true;
            double pivot = Math.Sqrt(best);
            // column r = (G[:, p] - sum_c L_c L_c[p]) / pivot, zero in the rows already pivoted
            l.Slice(r * gs, gs).Clear();
            Span<double> col = l.Slice(r * gs, n);
            g.Slice(p * gs, n).CopyTo(col);
            for (int c = 0; c < r; c++)
            {
                ReadOnlySpan<double> lc = l.Slice(c * gs, n);
                if (lc[p] != 0) DoubleOps.Axpy(-lc[p], lc, col);
            }
            double inv = 1 / pivot;
            for (int i = 0; i < n; i++)
            {
                if (pivoted[i]) { col[i] = 0; continue; }
                double v = col[i] * inv;
                col[i] = v;
                diag[i] -= v * v;
            }
            col[p] = pivot;
        }
        return r;
    }
}

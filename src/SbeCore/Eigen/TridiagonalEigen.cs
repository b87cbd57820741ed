using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SbeCore.Eigen;

/// <summary>
/// Top-k eigenpairs of a small dense symmetric matrix in double: Householder tridiagonalisation (LAPACK dsytd2's
/// unblocked form on the lower triangle, rows vectorised: one fused dot+axpy pass per row for A u, one fused rank-2 pass
/// per row for the update, 2/3 r^3 multiply-adds in all; the reflectors are kept, not accumulated) and the implicit-shift
/// QL iteration (EISPACK tql2). The matrix is first scaled by a power of two to max |a_ij| = 1 (exact; no overflow or
/// underflow in the reflector norms whatever the data's scale). tql2 normally rotates the
/// whole n x n eigenvector matrix at every QL step (the O(n^3) bulk of its cost); here the plane rotations are only
/// recorded, and once the eigenvalues are known the rotations are replayed in reverse on the k wanted unit vectors.
/// That gives exactly the columns tql2 would produce (same rotations, products taken in the other order), so the vectors
/// are orthonormal to rounding even for repeated eigenvalues, at O(k n^2) instead of O(n^3).
/// Reusable scratch: allocation-free once it has seen the largest n (the rotation log grows on demand).
/// </summary>
internal sealed partial class TridiagonalEigen
{
    private double[] _v = [], _u = [], _d = [], _e = [], _h = [], _p = [], _w = [];
    private double[] _rotC = [], _rotS = [];
    private int[] _rotI = [], _order = [];
    private int _rotCount;

    /// <summary>Whether the last TopK took the bisection + inverse iteration path (tests check both paths run).</summary>
    internal bool LastWasIsolated { get; private set; }

    /// <summary>
    /// Eigen-decomposes a (r x r, row-major, symmetric; left unchanged) and writes the k largest eigenvalues in
    /// descending order to values and the matching unit eigenvectors as the rows of vectors (k x r).
    /// </summary>
    public void TopK(ReadOnlySpan<double> a, int r, int k, Span<double> values, Span<double> vectors)
    {
        Ensure(r);
        Span<double> v = _v.AsSpan(0, r * r), d = _d.AsSpan(0, r), e = _e.AsSpan(0, r);
        Span<double> u = _u.AsSpan(0, r * r), tau = _h.AsSpan(0, r);
        double amax = 0;
        for (int i = 0; i < r * r; i++) amax = Math.Max(amax, Math.Abs(a[i]));
        int exponent = amax > 0 && double.IsFinite(amax) ? Math.ILogB(amax) : 0;
        for (int i = 0; i < r * r; i++) v[i] = Math.ScaleB(a[i], -exponent);
        Tridiagonalize(v, u, tau, d, e, _p, r);
        Span<double> w = _w.AsSpan(0, k * r);
        LastWasIsolated = TryIsolatedTopK(d, e, r, k, values, w);
        if (LastWasIsolated)
            for (int c = 0; c < k; c++) values[c] = Math.ScaleB(values[c], exponent);
        else
            QlTopK(d, e, r, k, values, w, exponent);
        // eigenvector = Q w_c (rows of vectors)
        for (int c = 0; c < k; c++)
        {
            Span<double> outRow = vectors.Slice(c * r, r);
            w.Slice(c * r, r).CopyTo(outRow);
            ApplyReflectors(u, tau, outRow, r);
        }
    }

    // All eigenvalues by tql2 (rotations recorded), the k largest selected; their tridiagonal eigenvectors into w.
    private void QlTopK(Span<double> d, Span<double> e, int r, int k, Span<double> values, Span<double> w, int exponent)
    {
        _rotCount = 0;
        Tql2(d, e, r);
        // the k largest eigenvalues (stable selection: the first index wins ties, so the result is deterministic)
        Span<int> order = _order.AsSpan(0, r);
        for (int i = 0; i < r; i++) order[i] = i;
        for (int c = 0; c < k; c++)
        {
            int best = c;
            for (int i = c + 1; i < r; i++)
                if (d[order[i]] > d[order[best]]) best = i;
            (order[c], order[best]) = (order[best], order[c]);
        }
        // w_c = G_1 G_2 ... G_m e_j: apply the recorded rotations in reverse order to the unit vectors e_j
        w.Clear();
        for (int c = 0; c < k; c++) { w[c * r + order[c]] = 1; values[c] = Math.ScaleB(d[order[c]], exponent); }
        ReplayRotations(w, k, r);
    }

    private void ReplayRotations(Span<double> w, int k, int r)
    {
        ReadOnlySpan<double> cs = _rotC.AsSpan(0, _rotCount), ss = _rotS.AsSpan(0, _rotCount);
        ReadOnlySpan<int> idx = _rotI.AsSpan(0, _rotCount);
        for (int c = 0; c < k; c++)
        {
            Span<double> wc = w.Slice(c * r, r);
            for (int t = _rotCount - 1; t >= 0; t--)
            {
                int i = idx[t];
                double wi = wc[i], wi1 = wc[i + 1], cc = cs[t], sn = ss[t];
                // tql2's column update V[:, i] = c V[:, i] - s V[:, i+1], V[:, i+1] = s V[:, i] + c V[:, i+1] as a matrix G:
                // (G w)_i = c w_i + s w_{i+1}, (G w)_{i+1} = c w_{i+1} - s w_i
                wc[i] = cc * wi + sn * wi1;
                wc[i + 1] = cc * wi1 - sn * wi;
            }
        }
    }

    // Householder reduction A = Q T Q^T, Q = H_0 H_1 ... H_{r-3}, H_j = I - tau_j u_j u_j^T acting on entries j+1..r-1
    // (LAPACK dsytd2, lower triangle, row-major: row i holds A[i, 0..i]). On return d is T's diagonal, e[i] = T[i, i-1]
    // (e[0] = 0, the layout tql2 expects), u's row j holds u_j from column j+1 (u_j[j+1] = 1), tau_j in tau.
    private static void Tridiagonalize(Span<double> a, Span<double> u, Span<double> tau, Span<double> d, Span<double> e, Span<double> p, int r)
    {
        e[0] = 0;
        for (int j = 0; j < r - 2; j++)
        {
            int m = r - 1 - j, o = j + 1;
            d[j] = a[j * r + j];
            Span<double> uj = u.Slice(j * r + o, m);
            for (int i = 0; i < m; i++) uj[i] = a[(o + i) * r + j]; // column j below the diagonal
            double alpha = uj[0], sigma2 = 0;
            for (int i = 1; i < m; i++) sigma2 += uj[i] * uj[i];
            if (sigma2 == 0) { tau[j] = 0; e[j + 1] = alpha; continue; } // already reduced: H_j = I
            double beta = -Math.CopySign(Math.Sqrt(alpha * alpha + sigma2), alpha);
            tau[j] = (beta - alpha) / beta;
            double scale = 1 / (alpha - beta);
            for (int i = 1; i < m; i++) uj[i] *= scale;
            uj[0] = 1;
            e[j + 1] = beta;
            RankTwoUpdate(a, r, o, m, uj, tau[j], p.Slice(0, m));
        }
        if (r >= 2) { d[r - 2] = a[(r - 2) * r + r - 2]; e[r - 1] = a[(r - 1) * r + r - 2]; }
        d[r - 1] = a[(r - 1) * r + r - 1];
    }

    // Trailing block B = A[o.., o..] (m x m, lower triangle) <- H B H with H = I - tau u u^T:
    // p = tau B u, w = p - (tau/2)(p . u) u, B -= u w^T + w u^T.
    private static void RankTwoUpdate(Span<double> a, int r, int o, int m, ReadOnlySpan<double> u, double tau, Span<double> p)
    {
        p.Clear();
        for (int i = 0; i < m; i++)
        {
            // row i of the lower triangle, B[i, 0..i]: its dot with u gives p_i's part from l <= i, and by symmetry it
            // is column i above the diagonal, so p[l] += B[i, l] u_i for l < i
            ReadOnlySpan<double> row = a.Slice((o + i) * r + o, i + 1);
            p[i] += DotAndAxpy(row, u, p, i);
        }
        double pu = 0;
        for (int i = 0; i < m; i++) { p[i] *= tau; pu += p[i] * u[i]; }
        double kk = -0.5 * tau * pu;
        for (int i = 0; i < m; i++) p[i] += kk * u[i];
        for (int i = 0; i < m; i++) RankTwoRow(a.Slice((o + i) * r + o, i + 1), u, p, u[i], p[i]);
    }

    // y <- Q y = H_0 H_1 ... H_{r-3} y (innermost first)
    private static void ApplyReflectors(ReadOnlySpan<double> u, ReadOnlySpan<double> tau, Span<double> y, int r)
    {
        for (int j = r - 3; j >= 0; j--)
        {
            if (tau[j] == 0) continue;
            int m = r - 1 - j;
            ReadOnlySpan<double> uj = u.Slice(j * r + j + 1, m);
            Span<double> yj = y.Slice(j + 1, m);
            double g = tau[j] * DoubleOps.Dot(uj, yj);
            DoubleOps.Axpy(-g, uj, yj);
        }
    }

    // EISPACK tql2 (JAMA's transcription), recording the eigenvector rotations instead of applying them.
    private void Tql2(Span<double> d, Span<double> e, int n)
    {
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0;
        const double eps = 2.220446049250313e-16; // 2^-52
        for (int l = 0; l < n; l++)
        {
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            int m = l;
            while (m < n)
            {
                if (Math.Abs(e[m]) <= eps * tst1) break;
                m++;
            }
            if (m > l)
            {
                int iter = 0;
                do
                {
                    if (++iter > 60) break; // never seen in practice (tql2 converges in 1-3 steps per eigenvalue)
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1, el1 = e[l + 1], s = 0, s2 = 0;
                    EnsureRotations(_rotCount + (m - l));
                    for (int i = m - 1; i >= l; i--)
                    {
                        c3 = c2; c2 = c; s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        _rotC[_rotCount] = c; _rotS[_rotCount] = s; _rotI[_rotCount] = i; _rotCount++;
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.Abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    // sqrt(a^2 + b^2) without destructive underflow or overflow
    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b);
        if (x < y) (x, y) = (y, x);
        if (x == 0) return 0;
        double t = y / x;
        return x * Math.Sqrt(1 + t * t);
    }

    private void Ensure(int r)
    {
        if (_d.Length >= r) return;
        _v = new double[r * r]; _u = new double[r * r]; _d = new double[r]; _h = new double[r]; _e = new double[r]; _p = new double[r];
        _w = new double[r * r]; _order = new int[r];
        EnsureIsolated(r);
        EnsureRotations(4 * r * r);
    }

    private void EnsureRotations(int count)
    {
        if (_rotC.Length >= count) return;
        int cap = Math.Max(count, 2 * _rotC.Length);
        Array.Resize(ref _rotC, cap); Array.Resize(ref _rotS, cap); Array.Resize(ref _rotI, cap);
    }
}

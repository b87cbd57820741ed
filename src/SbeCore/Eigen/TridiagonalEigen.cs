namespace SbeCore.Eigen;

/// <summary>
/// Top-k eigenpairs of a small dense symmetric matrix in double: Householder tridiagonalisation (EISPACK tred2, with
/// the orthogonal transform accumulated) and the implicit-shift QL iteration (EISPACK tql2). tql2 normally rotates the
/// whole n x n eigenvector matrix at every QL step (the O(n^3) bulk of its cost); here the plane rotations are only
/// recorded, and once the eigenvalues are known the rotations are replayed in reverse on the k wanted unit vectors.
/// That gives exactly the columns tql2 would produce (same rotations, products taken in the other order), so the vectors
/// are orthonormal to rounding even for repeated eigenvalues, at O(k n^2) instead of O(n^3).
/// Reusable scratch: allocation-free once it has seen the largest n (the rotation log grows on demand).
/// </summary>
internal sealed class TridiagonalEigen
{
    private double[] _v = [], _d = [], _e = [], _h = [], _w = [];
    private double[] _rotC = [], _rotS = [];
    private int[] _rotI = [], _order = [];
    private int _rotCount;

    /// <summary>
    /// Eigen-decomposes a (r x r, row-major, symmetric; left unchanged) and writes the k largest eigenvalues in
    /// descending order to values and the matching unit eigenvectors as the rows of vectors (k x r).
    /// </summary>
    public void TopK(ReadOnlySpan<double> a, int r, int k, Span<double> values, Span<double> vectors)
    {
        Ensure(r);
        Span<double> v = _v.AsSpan(0, r * r), d = _d.AsSpan(0, r), e = _e.AsSpan(0, r);
        a.Slice(0, r * r).CopyTo(v);
        Span<double> h = _h.AsSpan(0, r);
        Tred2(v, d, e, h, r);
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
        Span<double> w = _w.AsSpan(0, k * r);
        w.Clear();
        for (int c = 0; c < k; c++) { w[c * r + order[c]] = 1; values[c] = d[order[c]]; }
        ReplayRotations(w, k, r);
        // eigenvector = Q w_c (rows of vectors)
        for (int c = 0; c < k; c++)
        {
            Span<double> outRow = vectors.Slice(c * r, r);
            w.Slice(c * r, r).CopyTo(outRow);
            ApplyReflectors(v, h, outRow, r);
        }
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

    // EISPACK tred2 (JAMA's transcription) on row-major v, without its accumulation loop: on return d is T's diagonal,
    // e[1..r) its sub-diagonal, and v and h hold the Householder reflectors (A = Q T Q^T, Q = P_{n-1} ... P_1).
    private static void Tred2(Span<double> v, Span<double> d, Span<double> e, Span<double> h, int n)
    {
        for (int j = 0; j < n; j++) d[j] = v[(n - 1) * n + j];
        for (int i = n - 1; i > 0; i--)
        {
            double scale = 0, hh2 = 0;
            for (int k = 0; k < i; k++) scale += Math.Abs(d[k]);
            if (scale == 0)
            {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++)
                {
                    d[j] = v[(i - 1) * n + j];
                    v[i * n + j] = 0;
                    v[j * n + i] = 0;
                }
            }
            else
            {
                for (int k = 0; k < i; k++) { d[k] /= scale; hh2 += d[k] * d[k]; }
                double f = d[i - 1];
                double g = Math.Sqrt(hh2);
                if (f > 0) g = -g;
                e[i] = scale * g;
                hh2 -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) e[j] = 0;
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    v[j * n + i] = f;
                    g = e[j] + v[j * n + j] * f;
                    for (int k = j + 1; k <= i - 1; k++)
                    {
                        double vkj = v[k * n + j];
                        g += vkj * d[k];
                        e[k] += vkj * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++) { e[j] /= hh2; f += e[j] * d[j]; }
                double hh = f / (hh2 + hh2);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                for (int j = 0; j < i; j++)
                {
                    f = d[j]; g = e[j];
                    for (int k = j; k <= i - 1; k++) v[k * n + j] -= f * e[k] + g * d[k];
                    d[j] = v[(i - 1) * n + j];
                    v[i * n + j] = 0;
                }
            }
            d[i] = hh2;
        }
        // T's diagonal is left on the diagonal of v; the reflectors stay in v's columns (u_i = v[0..i)[i], with
        // H_i = h[i]) and are applied to the k wanted vectors only (ApplyReflectors) instead of being accumulated.
        for (int i = 1; i < n; i++) h[i] = d[i];
        for (int j = 0; j < n; j++) d[j] = v[j * n + j];
        e[0] = 0;
    }

    // y <- P_{n-1} ... P_1 y with P_i = I - u_i u_i^T / H_i on the leading i entries (tred2's accumulated transform, applied).
    private static void ApplyReflectors(ReadOnlySpan<double> v, ReadOnlySpan<double> h, Span<double> y, int n)
    {
        for (int i = 1; i < n; i++)
        {
            double hi = h[i];
            if (hi == 0) continue;
            double g = 0;
            for (int k = 0; k < i; k++) g += v[k * n + i] * y[k];
            g /= hi;
            for (int k = 0; k < i; k++) y[k] -= g * v[k * n + i];
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
        _v = new double[r * r]; _d = new double[r]; _h = new double[r]; _e = new double[r]; _w = new double[r * r]; _order = new int[r];
        EnsureRotations(4 * r * r);
    }

    private void EnsureRotations(int count)
    {
        if (_rotC.Length >= count) return;
        int cap = Math.Max(count, 2 * _rotC.Length);
        Array.Resize(ref _rotC, cap); Array.Resize(ref _rotS, cap); Array.Resize(ref _rotI, cap);
    }
}

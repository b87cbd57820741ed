namespace SbeCore.Eigen;

// The fast path of TridiagonalEigen for the usual case, top eigenvalues well apart (LAPACK dsyevx's route: dstebz
// bisection, dstein inverse iteration). tql2 has to chase every eigenvalue through a chain of dependent divisions and
// square roots (about 1.2 r^2 rotations); here each wanted eigenvalue costs about 30 Sturm counts (O(r) each), one LU of
// T - shift I and three solves. Used only when each of the top k eigenvalues is isolated, i.e. no other eigenvalue lies
// within 1e-2 |T| of it: then inverse iteration's vectors are accurate and orthogonal to about eps |T| / gap = 2e-14
// without any reorthogonalisation. Clusters and repeated eigenvalues go to tql2.
internal sealed partial class TridiagonalEigen
{
    private const double IsolationGap = 1e-2;     // relative to |T|
    private const double CoarseBisection = 1e-9;  // bisection stops here; inverse iteration + Rayleigh quotient finish
    private const double Eps = 2.220446049250313e-16;
    private double[] _e2 = [], _dd = [], _dl = [], _du = [], _du2 = [];
    private int[] _ipiv = [];

    // T (diagonal d, e[i] = T[i, i-1]) -> its k largest eigenvalues (descending) and unit eigenvectors as the rows of w,
    // or false (nothing usable written) when one of them is not isolated.
    private bool TryIsolatedTopK(ReadOnlySpan<double> d, ReadOnlySpan<double> e, int r, int k, Span<double> values, Span<double> w)
    {
        if (r < 3) return false;
        Span<double> e2 = _e2.AsSpan(0, r);
        double glo = double.MaxValue, ghi = double.MinValue, maxE2 = 0;
        for (int i = 0; i < r; i++)
        {
            double off = (i > 0 ? Math.Abs(e[i]) : 0) + (i + 1 < r ? Math.Abs(e[i + 1]) : 0);
            glo = Math.Min(glo, d[i] - off);
            ghi = Math.Max(ghi, d[i] + off);
            e2[i] = i > 0 ? e[i] * e[i] : 0;
            maxE2 = Math.Max(maxE2, e2[i]);
        }
        double norm = Math.Max(Math.Abs(glo), Math.Abs(ghi)); // Gershgorin bound on |T|
        // a zero or diagonal T costs tql2 nothing, and it returns exact unit vectors there
        if (!(norm > 0) || maxE2 == 0) return false;
        double pivmin = double.Epsilon * (1L << 53) * Math.Max(1, maxE2); // LAPACK's safe minimum pivot
        double gap = IsolationGap * norm, coarse = CoarseBisection * norm;
        for (int c = 0; c < k; c++)
        {
            int index = r - 1 - c; // ascending position of the c-th largest
            double lo = glo, hi = ghi;
            while (hi - lo > coarse)
            {
                double mid = 0.5 * (lo + hi);
                if (CountBelow(d, e2, r, mid, pivmin) > index) hi = mid; else lo = mid;
            }
            double shift = 0.5 * (lo + hi);
            if (CountBelow(d, e2, r, shift + gap, pivmin) - CountBelow(d, e2, r, shift - gap, pivmin) != 1) return false;
            Span<double> v = w.Slice(c * r, r);
            InverseIteration(d, e, r, shift, norm, v);
            values[c] = RayleighQuotient(d, e, r, v);
        }
        return true;
    }

    // Sturm count: the number of eigenvalues of T below x (negative pivots of the LDL^T of T - x I).
    private static int CountBelow(ReadOnlySpan<double> d, ReadOnlySpan<double> e2, int r, double x, double pivmin)
    {
        int count = 0;
        double q = d[0] - x;
        if (Math.Abs(q) < pivmin) q = -pivmin;
        if (q < 0) count++;
        for (int i = 1; i < r; i++)
        {
            q = d[i] - x - e2[i] / q;
            if (Math.Abs(q) < pivmin) q = -pivmin;
            if (q < 0) count++;
        }
        return count;
    }

    // Three steps of inverse iteration with T - shift I (LU with partial pivoting, LAPACK dgttrf/dgtts2; a pivot below
    // eps |T| is raised to eps |T|), from a fixed start vector: the error along each other eigenvector shrinks by
    // |lambda - shift| / gap < 1e-7 per step.
    private void InverseIteration(ReadOnlySpan<double> d, ReadOnlySpan<double> e, int r, double shift, double norm, Span<double> v)
    {
        Span<double> dd = _dd.AsSpan(0, r), dl = _dl.AsSpan(0, r), du = _du.AsSpan(0, r), du2 = _du2.AsSpan(0, r);
        Span<int> ipiv = _ipiv.AsSpan(0, r);
        for (int i = 0; i < r; i++)
        {
            dd[i] = d[i] - shift;
            dl[i] = du[i] = i + 1 < r ? e[i + 1] : 0;
            du2[i] = 0;
            ipiv[i] = i;
        }
        for (int i = 0; i < r - 1; i++)
        {
            if (Math.Abs(dd[i]) >= Math.Abs(dl[i]))
            {
                if (dd[i] != 0)
                {
                    double fact = dl[i] / dd[i];
                    dl[i] = fact;
                    dd[i + 1] -= fact * du[i];
                }
            }
            else
            {
                double fact = dd[i] / dl[i];
                dd[i] = dl[i];
                dl[i] = fact;
                double temp = du[i];
                du[i] = dd[i + 1];
                dd[i + 1] = temp - fact * dd[i + 1];
                if (i < r - 2)
                {
                    du2[i] = du[i + 1];
                    du[i + 1] = -fact * du[i + 1];
                }
                ipiv[i] = i + 1;
            }
        }
        double tiny = Eps * norm;
        for (int i = 0; i < r; i++)
            if (Math.Abs(dd[i]) < tiny) dd[i] = dd[i] < 0 ? -tiny : tiny;
        for (int i = 0; i < r; i++) v[i] = (i + 1) * 0.6180339887498949 % 1.0 - 0.5; // fixed, no structure
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < r - 1; i++)
            {
                if (ipiv[i] == i) v[i + 1] -= dl[i] * v[i];
                else { double temp = v[i] - dl[i] * v[i + 1]; v[i] = v[i + 1]; v[i + 1] = temp; }
            }
            v[r - 1] /= dd[r - 1];
            v[r - 2] = (v[r - 2] - du[r - 2] * v[r - 1]) / dd[r - 2];
            for (int i = r - 3; i >= 0; i--) v[i] = (v[i] - du[i] * v[i + 1] - du2[i] * v[i + 2]) / dd[i];
            double max = 0;
            for (int i = 0; i < r; i++) max = Math.Max(max, Math.Abs(v[i]));
            double n2 = 0;
            for (int i = 0; i < r; i++) { v[i] /= max; n2 += v[i] * v[i]; }
            double inv = 1 / Math.Sqrt(n2);
            for (int i = 0; i < r; i++) v[i] *= inv;
        }
    }

    private static double RayleighQuotient(ReadOnlySpan<double> d, ReadOnlySpan<double> e, int r, ReadOnlySpan<double> v)
    {
        double q = d[0] * v[0] * v[0];
        for (int i = 1; i < r; i++) q += d[i] * v[i] * v[i] + 2 * e[i] * v[i] * v[i - 1];
        return q;
    }

    private void EnsureIsolated(int r)
    {
        if (_e2.Length >= r) return;
        _e2 = new double[r]; _dd = new double[r]; _dl = new double[r]; _du = new double[r]; _du2 = new double[r]; _ipiv = new int[r];
    }
}

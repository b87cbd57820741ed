namespace SbeCore.Eigen;

/// <summary>
/// Exact top-k singular triplets of a batch-mean gradient M = (1/n) sum_j delta_j x_j^T without forming the a x b
/// matrix (SBE.md section 4), with reusable double-precision scratch: allocation-free once it has seen the largest n.
/// </summary>
/// <remarks>
/// Two routes, chosen by size. n &lt;= min(a, b) (the sample side): thin QR (modified Gram-Schmidt, reorthogonalised)
/// of the delta and x columns, D = Q_d R_d and X = Q_x R_x, so M = Q_d C Q_x^T with the n x n core
/// C = R_d R_x^T / n; the eigenpairs of C^T C (Householder + QL, TridiagonalEigen) give C's right singular vectors. n &gt; min(a, b) (the feature
/// side): with r = min(a, b), the r x r Gram matrix M M^T (or M^T M) is accumulated from strips of 64 columns of M, so
/// only r x 64 of M ever exists; its eigenpairs give one side, one pass over the batch gives the other.
/// Singular values are descending; pairs beyond the rank of M get s = 0 and unit vectors completing the basis.
/// </remarks>
public sealed class BatchSvdSolver
{
    private const int Strip = 64;
    private readonly int _r;                         // min(rows, cols)
    private double[] _qd = [], _qx = [], _rd = [], _rx = [], _core = [], _gram = [], _vecs = [];
    private readonly double[] _strip, _sideGram, _sideVecs;
    private double[] _proj = [];
    private readonly double[] _tmpRow, _tmpOther;
    private readonly double[] _eigValues;
    private readonly TridiagonalEigen _tridiagonal = new();

    /// <summary>Creates a solver for rows (a) x cols (b) gradients.</summary>
    public BatchSvdSolver(int rows, int cols)
    {
        if (rows < 1) throw new ArgumentException($"rows must be >= 1 (got {rows}).", nameof(rows));
        if (cols < 1) throw new ArgumentException($"cols must be >= 1 (got {cols}).", nameof(cols));
        Rows = rows; Cols = cols; _r = Math.Min(rows, cols);
        _strip = new double[_r * Strip];
        _sideGram = new double[_r * _r];
        _sideVecs = new double[_r * _r];
        _tmpRow = new double[Math.Max(rows, cols)];
        _tmpOther = new double[Math.Max(rows, cols)];
        _eigValues = new double[_r];
    }

    /// <summary>a.</summary>
    public int Rows { get; }
    /// <summary>b.</summary>
    public int Cols { get; }

    /// <summary>
    /// Top k = s.Length singular triplets of M = (1/n) sum_j delta_j x_j^T; deltas n x rows, inputs n x cols.
    /// Writes s (descending, &gt;= 0), d (k x rows, unit rows) and x (k x cols, unit rows).
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths, n &lt; 1, k outside 1..min(rows, cols), NaN/Inf.</exception>
    public void TopK(ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, Span<float> s, Span<float> d, Span<float> x)
    {
        int k = s.Length;
        if (n < 1) throw new ArgumentException($"n must be >= 1 (got {n}).", nameof(n));
        if (deltas.Length != (long)n * Rows) throw new ArgumentException($"deltas has {deltas.Length} elements, expected n*rows = {(long)n * Rows}.", nameof(deltas));
        if (inputs.Length != (long)n * Cols) throw new ArgumentException($"inputs has {inputs.Length} elements, expected n*cols = {(long)n * Cols}.", nameof(inputs));
        if (k < 1 || k > _r) throw new ArgumentException($"s has {k} elements; k must be in 1..min(rows, cols) = 1..{_r}.", nameof(s));
        if (d.Length != k * Rows) throw new ArgumentException($"d has {d.Length} elements, expected k*rows = {k * Rows}.", nameof(d));
        if (x.Length != k * Cols) throw new ArgumentException($"x has {x.Length} elements, expected k*cols = {k * Cols}.", nameof(x));
        if (!EstimatorKernels.AllFinite(deltas)) throw new ArgumentException("deltas contains NaN or Inf.", nameof(deltas));
        if (!EstimatorKernels.AllFinite(inputs)) throw new ArgumentException("inputs contains NaN or Inf.", nameof(inputs));

        if (n <= _r) SampleSide(deltas, inputs, n, s, d, x);
        else if (Rows <= Cols) FeatureSide(deltas, Rows, inputs, Cols, n, s, d, x);
        else FeatureSide(inputs, Cols, deltas, Rows, n, s, x, d);
    }

    private void SampleSide(ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, Span<float> s, Span<float> d, Span<float> x)
    {
        EnsureSampleScratch(n);
        Span<double> qd = _qd.AsSpan(0, n * Rows), qx = _qx.AsSpan(0, n * Cols);
        Span<double> rd = _rd.AsSpan(0, n * n), rx = _rx.AsSpan(0, n * n), core = _core.AsSpan(0, n * n);
        Span<double> gram = _gram.AsSpan(0, n * n), vecs = _vecs.AsSpan(0, n * n);
        ThinQr(deltas, Rows, n, qd, rd);
        ThinQr(inputs, Cols, n, qx, rx);
        // core C = R_d R_x^T / n (row i, column l), R stored row-major n x n (upper triangular).
        for (int i = 0; i < n; i++)
            for (int l = 0; l < n; l++)
            {
                double acc = 0;
                for (int t = Math.Max(i, l); t < n; t++) acc += rd[i * n + t] * rx[l * n + t];
                core[i * n + l] = acc / n;
            }
        // C^T C, eigenvectors = right singular vectors of C.
        for (int i = 0; i < n; i++)
            for (int l = i; l < n; l++)
            {
                double acc = 0;
                for (int t = 0; t < n; t++) acc += core[t * n + i] * core[t * n + l];
                gram[i * n + l] = acc; gram[l * n + i] = acc;
            }
        int k = s.Length;
        int kk = Math.Min(k, n);
        Eigenpairs(gram, vecs, n, kk);
        Span<double> cv = _tmpOther.AsSpan(0, n);
        for (int c = 0; c < k; c++)
        {
            if (c >= n) // rank(M) <= n < k: the remaining pairs are zero
            {
                s[c] = 0; d.Slice(c * Rows, Rows).Clear(); x.Slice(c * Cols, Cols).Clear();
                FinishPair(s, d, x, c);
                continue;
            }
            int e = c;
            double sigma = Math.Sqrt(Math.Max(_eigValues[c], 0));
            // x_c = Q_x v_e; d_c = Q_d (C v_e) / sigma
            Span<float> xc = x.Slice(c * Cols, Cols), dc = d.Slice(c * Rows, Rows);
            Combine(qx, Cols, n, vecs, e, n, xc);
            for (int i = 0; i < n; i++)
            {
                double acc = 0;
                for (int t = 0; t < n; t++) acc += core[i * n + t] * vecs[e * n + t];
                cv[i] = acc;
            }
            CombineVector(qd, Rows, n, cv, dc);
            s[c] = (float)sigma;
            FinishPair(s, d, x, c);
        }
    }

    // Feature side: "left" vectors l_j (length r) and "right" vectors g_j (length big); M_L = (1/n) sum l_j g_j^T is r x big.
    private void FeatureSide(ReadOnlySpan<float> left, int r, ReadOnlySpan<float> right, int big, int n,
        Span<float> s, Span<float> dLeft, Span<float> dRight)
    {
        Span<double> gram = _sideGram.AsSpan(0, r * r), vecs = _sideVecs.AsSpan(0, r * r);
        gram.Clear();
        for (int c0 = 0; c0 < big; c0 += Strip)
        {
            int w = Math.Min(Strip, big - c0);
            Span<double> strip = _strip.AsSpan(0, r * w);
            strip.Clear();
            for (int j = 0; j < n; j++)
            {
                ReadOnlySpan<float> lj = left.Slice(j * r, r), gj = right.Slice(j * big + c0, w);
                for (int i = 0; i < r; i++)
                    if (lj[i] != 0) DoubleOps.Axpy(lj[i], gj, strip.Slice(i * w, w));
            }
            for (int i = 0; i < r; i++)
                for (int l = i; l < r; l++)
                {
                    gram[i * r + l] += DoubleOps.Dot(strip.Slice(i * w, w), strip.Slice(l * w, w));
                }
        }
        double invN2 = 1.0 / ((double)n * n);
        for (int i = 0; i < r; i++)
            for (int l = i; l < r; l++) { double g = gram[i * r + l] * invN2; gram[i * r + l] = g; gram[l * r + i] = g; }
        int k = s.Length;
        Eigenpairs(gram, vecs, r, k);
        EnsureProjection(n);
        Span<double> proj = _proj.AsSpan(0, n), acc2 = _tmpRow.AsSpan(0, big);
        for (int c = 0; c < k; c++)
        {
            int e = c;
            double sigma = Math.Sqrt(Math.Max(_eigValues[c], 0));
            Span<float> lc = dLeft.Slice(c * r, r), gc = dRight.Slice(c * big, big);
            for (int i = 0; i < r; i++) lc[i] = (float)vecs[e * r + i];
            // other side: (1/n) sum_j (l_j . e) g_j / sigma
            for (int j = 0; j < n; j++)
            {
                ReadOnlySpan<float> lj = left.Slice(j * r, r);
                double p = 0;
                for (int i = 0; i < r; i++) p += lj[i] * vecs[e * r + i];
                proj[j] = p;
            }
            acc2.Clear();
            for (int j = 0; j < n; j++)
            {
                double p = proj[j];
                if (p == 0) continue;
                DoubleOps.Axpy(p, right.Slice(j * big, big), acc2);
            }
            WriteNormalized(acc2, gc);
            s[c] = (float)sigma;
            FinishPair(s, dLeft, dRight, c, r, big);
        }
    }

    // Top k eigenpairs of the symmetric r x r matrix a: eigenvalues (descending) into _eigValues, unit eigenvectors as
    // the first k rows of vecs. Householder + QL with vectors for the top k only (TridiagonalEigen).
    private void Eigenpairs(Span<double> a, Span<double> vecs, int r, int k)
        => _tridiagonal.TopK(a, r, k, _eigValues.AsSpan(0, k), vecs.Slice(0, k * r));

    private void FinishPair(Span<float> s, Span<float> d, Span<float> x, int c) => FinishPair(s, d, x, c, Rows, Cols);

    // A pair with sigma at rounding level of sigma_1 (or whose vectors came out degenerate) lies beyond the numerical
    // rank of M: its vectors are arbitrary, so complete the orthonormal bases deterministically and report s = 0.
    private void FinishPair(Span<float> s, Span<float> a, Span<float> b, int c, int lenA, int lenB)
    {
        bool zero = s[c] <= NumericalZero * s[0];
        bool okA = Complete(a, c, lenA, zero), okB = Complete(b, c, lenB, zero);
        if (zero || !okA || !okB)
        {
            s[c] = 0;
            Complete(a, c, lenA, force: true); Complete(b, c, lenB, force: true);
        }
    }

    private const double NumericalZero = 1e-7;

    private static bool IsUnitAndOrthogonal(ReadOnlySpan<float> v, int c, int len)
    {
        ReadOnlySpan<float> vc = v.Slice(c * len, len);
        double ss = 0;
        foreach (float e in vc) ss += (double)e * e;
        if (Math.Abs(ss - 1) > 1e-4) return false;
        for (int e = 0; e < c; e++)
        {
            ReadOnlySpan<float> ve = v.Slice(e * len, len);
            double dot = 0;
            for (int i = 0; i < len; i++) dot += (double)ve[i] * vc[i];
            if (Math.Abs(dot) > 1e-4) return false;
        }
        return true;
    }

    // Returns true when vector c was already unit and orthogonal to the earlier ones; otherwise replaces it.
    private static bool Complete(Span<float> v, int c, int len, bool force)
    {
        Span<float> vc = v.Slice(c * len, len);
        if (!force && IsUnitAndOrthogonal(v, c, len)) return true;
        // the basis vector e_i farthest from the earlier (orthonormal) vectors: residual^2 = 1 - sum_e v_e[i]^2 >= (len-c)/len
        int best = 0; double bestResidual = -1;
        for (int i = 0; i < len; i++)
        {
            double covered = 0;
            for (int e = 0; e < c; e++) { double t = v[e * len + i]; covered += t * t; }
            if (1 - covered > bestResidual) { bestResidual = 1 - covered; best = i; }
        }
        vc.Clear(); vc[best] = 1;
        for (int pass = 0; pass < 2; pass++)
            for (int e = 0; e < c; e++)
            {
                ReadOnlySpan<float> ve = v.Slice(e * len, len);
                double dot = 0;
                for (int i = 0; i < len; i++) dot += (double)ve[i] * vc[i];
                for (int i = 0; i < len; i++) vc[i] -= (float)(dot * ve[i]);
            }
        double n2 = 0;
        foreach (float e in vc) n2 += (double)e * e;
        float inv = (float)(1 / Math.Sqrt(n2));
        for (int i = 0; i < len; i++) vc[i] *= inv;
        return false;
    }

    // Columns v_j (rows of src, length len) -> Q (n rows of length len, orthonormal or zero) and R (n x n, upper).
    private static void ThinQr(ReadOnlySpan<float> src, int len, int n, Span<double> q, Span<double> r)
    {
        r.Clear();
        for (int j = 0; j < n; j++)
        {
            Span<double> qj = q.Slice(j * len, len);
            ReadOnlySpan<float> vj = src.Slice(j * len, len);
            double orig = 0;
            for (int i = 0; i < len; i++) { qj[i] = vj[i]; orig += qj[i] * qj[i]; }
            double norm2 = orig;
            for (int pass = 0; pass < 2; pass++)
            {
                double before = norm2;
                for (int t = 0; t < j; t++)
                {
                    if (r[t * n + t] == 0) continue;
                    ReadOnlySpan<double> qt = q.Slice(t * len, len);
                    double dot = DoubleOps.Dot(qt, qj);
                    DoubleOps.Axpy(-dot, qt, qj);
                    r[t * n + j] += dot;
                }
                norm2 = DoubleOps.Dot(qj, qj);
                // DGKS criterion: a projection that kept more than half the squared norm lost no digits to cancellation,
                // so the column is already orthogonal to working precision and the second pass would change nothing
                if (norm2 >= 0.5 * before) break;
            }
            if (norm2 == 0 || norm2 <= 1e-24 * orig) { qj.Clear(); r[j * n + j] = 0; continue; }
            double norm = Math.Sqrt(norm2);
            for (int i = 0; i < len; i++) qj[i] /= norm;
            r[j * n + j] = norm;
        }
    }

    // out = sum_t Q_t * (eigenvector e)[t] (Q has n rows of length len; eigenvectors are rows of vecs), normalised.
    private void Combine(ReadOnlySpan<double> q, int len, int n, ReadOnlySpan<double> vecs, int e, int stride, Span<float> output)
    {
        Span<double> acc = _tmpRow.AsSpan(0, len);
        acc.Clear();
        for (int t = 0; t < n; t++)
        {
            double w = vecs[e * stride + t];
            if (w == 0) continue;
            DoubleOps.Axpy(w, q.Slice(t * len, len), acc);
        }
        WriteNormalized(acc, output);
    }

    private void CombineVector(ReadOnlySpan<double> q, int len, int n, ReadOnlySpan<double> w, Span<float> output)
    {
        Span<double> acc = _tmpRow.AsSpan(0, len);
        acc.Clear();
        for (int t = 0; t < n; t++)
        {
            if (w[t] != 0) DoubleOps.Axpy(w[t], q.Slice(t * len, len), acc);
        }
        WriteNormalized(acc, output);
    }

    private static void WriteNormalized(ReadOnlySpan<double> v, Span<float> output)
    {
        double n2 = 0;
        foreach (double e in v) n2 += e * e;
        if (n2 == 0 || n2 < 1e-60) { output.Clear(); return; }
        double inv = 1 / Math.Sqrt(n2);
        for (int i = 0; i < output.Length; i++) output[i] = (float)(v[i] * inv);
    }

    private void EnsureSampleScratch(int n)
    {
        if (_rd.Length >= n * n) return;
        _qd = new double[n * Rows]; _qx = new double[n * Cols];
        _rd = new double[n * n]; _rx = new double[n * n]; _core = new double[n * n];
        _gram = new double[n * n]; _vecs = new double[n * n];
    }

    private void EnsureProjection(int n)
    {
        if (_proj.Length < n) _proj = new double[n];
    }
}

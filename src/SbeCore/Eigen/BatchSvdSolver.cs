namespace SbeCore.Eigen;

/// <summary>
/// Exact top-k singular triplets of a batch-mean gradient M = (1/n) sum_j delta_j x_j^T without forming the a x b
/// matrix (docs/method.md section 4), with reusable double-precision scratch: allocation-free once it has seen the largest n.
/// </summary>
/// <remarks>
/// Two exact routes, picked per call by their multiply-add count (the sample route for n up to about 1.3 min(a, b)).
/// Sample side: the n x n Gram matrices G_d = D D^T and G_x = X X^T of the batch; a pivoted Cholesky of the shorter
/// side's Gram (stopping at its numerical rank r) turns M M^T's spectrum into that of the r x r core L^T G_o L / n^2,
/// whose top eigenvectors w give the long side's vector O^T L w and, through M, the other. Feature side: the
/// min(a, b)^2 Gram matrix M M^T (or M^T M), accumulated from strips of 128 columns of M (only min(a, b) x 128 of M
/// ever exists); its top eigenvectors give one side, one pass over the batch the other. All products run in double
/// through register-blocked kernels (<see cref="SvdKernels"/>); float x float is exact in double.
/// Accuracy: both routes square singular values, so sigma_c carries an error of about eps sigma_1^2 / sigma_c
/// (eps = 2^-52): negligible for the pairs an update uses, and pairs below about 1e-7 sigma_1 are reported as zero.
/// Singular values are descending; pairs beyond the rank of M get s = 0 and unit vectors completing the basis.
/// </remarks>
public sealed class BatchSvdSolver
{
    private const int Chunk = 64;                    // samples per block of the feature route
    private const long MaxScratch = 1L << 26;        // doubles in any one scratch matrix (512 MB)
    private const int StripWidth = 128;              // columns of M per strip of the feature route
    private readonly int _r;                         // min(rows, cols)
    private int _sampleCapacity;
    private double[] _f = [], _o = [], _gf = [], _go = [], _l = [], _t = [], _core = [], _vecs = [];
    private double[] _diag = [], _z = [], _y = [];
    private bool[] _pivoted = [];
    private double[] _strip = [], _chunkS = [], _chunkB = [], _featGram = [], _featVecs = [];
    private readonly double[] _tmpRow, _tmpOther;
    private readonly double[] _eigValues;
    private readonly TridiagonalEigen _tridiagonal = new();

    /// <summary>Creates a solver for rows (a) x cols (b) gradients.</summary>
    public BatchSvdSolver(int rows, int cols)
    {
        if (rows < 1) throw new ArgumentException($"rows must be >= 1 (got {rows}).", nameof(rows));
        if (cols < 1) throw new ArgumentException($"cols must be >= 1 (got {cols}).", nameof(cols));
        Rows = rows; Cols = cols; _r = Math.Min(rows, cols);
        // the feature route keeps two min(a, b)^2 matrices and strips of min(a, b) x 128: checked here, at creation
        if ((long)_r * _r > MaxScratch)
            throw new ArgumentException($"min(rows, cols) = {_r}: its {(long)_r * _r} x 2 doubles of Gram scratch exceed {MaxScratch}.", nameof(rows));
        if (Math.Max(rows, cols) > MaxScratch)
            throw new ArgumentException($"max(rows, cols) = {Math.Max(rows, cols)} exceeds {MaxScratch}.", Rows >= Cols ? nameof(rows) : nameof(cols));
        int stride = SvdKernels.Stride(Math.Max(rows, cols));
        _tmpRow = new double[stride];
        _tmpOther = new double[stride];
        _eigValues = new double[_r];
    }

    /// <summary>Which formulation TopK uses (tests pin it; the default picks the cheaper one for each n).</summary>
    internal BatchSvdRoute Route { get; set; }

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

        bool deltasShorter = Rows <= Cols;
        int ls = deltasShorter ? Rows : Cols, lb = deltasShorter ? Cols : Rows;
        bool sampleFits = SampleScratchFits(n, lb);
        if (sampleFits && (Route == BatchSvdRoute.SampleSide || (Route == BatchSvdRoute.Auto && SampleRouteIsCheaper(n, ls, lb))))
        {
            if (deltasShorter) SampleRoute(deltas, Rows, inputs, Cols, n, s, d, x);
            else SampleRoute(inputs, Cols, deltas, Rows, n, s, x, d);
        }
        else if (deltasShorter) FeatureRoute(deltas, Rows, inputs, Cols, n, s, d, x);
        else FeatureRoute(inputs, Cols, deltas, Rows, n, s, x, d);
    }

    // Sample side: the two n x n Gram matrices of the batch, G_f = F F^T and G_o = O O^T (F the side with the shorter
    // vectors); a pivoted Cholesky G_f = L L^T (L n x rank) gives M M^T's nonzero spectrum (scaled by n^2) as that of
    // the rank x rank core K = L^T G_o L. An eigenvector w of K gives o = O^T L w (unit in exact arithmetic), then
    // f = F^T (O o) / (n sigma). No division by a small pivot touches the vectors.
    private void SampleRoute(ReadOnlySpan<float> fSrc, int lf, ReadOnlySpan<float> oSrc, int lo, int n,
        Span<float> s, Span<float> fOut, Span<float> oOut)
    {
        int pf = SvdKernels.Stride(lf), po = SvdKernels.Stride(lo);
        EnsureSampleScratch(n);
        Span<double> f = _f.AsSpan(0, n * pf), o = _o.AsSpan(0, n * po);
        SvdKernels.Widen(fSrc, n, lf, lf, f, pf);
        SvdKernels.Widen(oSrc, n, lo, lo, o, po);
        int ns = SvdKernels.Stride(n); // rows of the n x n matrices padded for the kernels
        Span<double> gf = _gf.AsSpan(0, n * ns), go = _go.AsSpan(0, n * ns);
        SvdKernels.Gram(f, n, pf, gf, ns);
        SvdKernels.Gram(o, n, po, go, ns);
        Span<double> l = _l.AsSpan(0, n * ns);
        int rank = PivotedCholesky.Factor(gf, n, ns, l, _diag.AsSpan(0, n), _pivoted.AsSpan(0, n));
        // T = L^T G_o (rank x n; G_o symmetric), then K = L^T G_o L / n^2 = T L, symmetrised
        Span<double> t = _t.AsSpan(0, rank * ns), core = _core.AsSpan(0, rank * rank);
        t.Clear();
        SvdKernels.Cross(l, rank, go, n, ns, t, ns);
        SvdKernels.Cross(l, rank, t, rank, ns, core, rank);
        double invN2 = 1.0 / ((double)n * n);
        for (int c = 0; c < rank; c++)
            for (int c2 = 0; c2 <= c; c2++)
            {
                double v = 0.5 * (core[c * rank + c2] + core[c2 * rank + c]) * invN2;
                core[c * rank + c2] = v; core[c2 * rank + c] = v;
            }
        int k = s.Length, kk = Math.Min(k, rank);
        Span<double> vecs = _vecs.AsSpan(0, kk * rank);
        if (kk > 0) _tridiagonal.TopK(core, rank, kk, _eigValues.AsSpan(0, kk), vecs);
        if (kk > 0) CheckTopValue(Math.Sqrt(Math.Max(_eigValues[0], 0)));
        Span<double> z = _z.AsSpan(0, n), y = _y.AsSpan(0, n);
        Span<double> oAcc = _tmpRow.AsSpan(0, po), fAcc = _tmpOther.AsSpan(0, pf);
        for (int c = 0; c < k; c++)
        {
            Span<float> fc = fOut.Slice(c * lf, lf), oc = oOut.Slice(c * lo, lo);
            if (c >= kk) // rank(M) < k: the remaining pairs are zero
            {
                s[c] = 0; fc.Clear(); oc.Clear();
                FinishPair(s, fOut, oOut, c, lf, lo);
                continue;
            }
            z.Clear();
            for (int c2 = 0; c2 < rank; c2++)
                if (vecs[c * rank + c2] != 0) DoubleOps.Axpy(vecs[c * rank + c2], l.Slice(c2 * ns, n), z);
            oAcc.Clear();
            for (int j = 0; j < n; j++)
                if (z[j] != 0) DoubleOps.Axpy(z[j], o.Slice(j * po, po), oAcc);
            for (int j = 0; j < n; j++) y[j] = DoubleOps.Dot(o.Slice(j * po, po), oAcc);
            fAcc.Clear();
            for (int j = 0; j < n; j++)
                if (y[j] != 0) DoubleOps.Axpy(y[j], f.Slice(j * pf, pf), fAcc);
            ProjectOutEarlier(oAcc.Slice(0, lo), oOut, c);
            ProjectOutEarlier(fAcc.Slice(0, lf), fOut, c);
            WriteNormalized(oAcc.Slice(0, lo), oc);
            WriteNormalized(fAcc.Slice(0, lf), fc);
            s[c] = (float)Math.Sqrt(Math.Max(_eigValues[c], 0));
            FinishPair(s, fOut, oOut, c, lf, lo);
        }
    }

    // Feature side: the ls x ls Gram matrix N N^T of N = S^T B (S the side with the shorter vectors; N is M or M^T up
    // to 1/n), accumulated from strips of StripWidth columns of N, each built over chunks of samples by the
    // register-blocked kernel: only ls x StripWidth of M ever exists. Its eigenvectors u are one side; one pass over the
    // batch, B^T (S u), gives the other.
    private void FeatureRoute(ReadOnlySpan<float> sSrc, int ls, ReadOnlySpan<float> bSrc, int lb, int n,
        Span<float> s, Span<float> sOut, Span<float> bOut)
    {
        EnsureFeatureScratch(ls);
        Span<double> gram = _featGram.AsSpan(0, ls * ls);
        for (int c0 = 0; c0 < lb; c0 += StripWidth)
        {
            int w = Math.Min(StripWidth, lb - c0), pw = SvdKernels.Stride(w);
            Span<double> strip = _strip.AsSpan(0, ls * pw);
            strip.Clear();
            for (int j0 = 0; j0 < n; j0 += Chunk)
            {
                int t = Math.Min(Chunk, n - j0);
                Span<double> cs = _chunkS.AsSpan(0, t * ls), cb = _chunkB.AsSpan(0, t * pw);
                SvdKernels.Widen(sSrc.Slice(j0 * ls), t, ls, ls, cs, ls);
                SvdKernels.Widen(bSrc.Slice(j0 * lb + c0), t, lb, w, cb, pw);
                SvdKernels.AddTransposedProduct(cs, ls, cb, pw, t, strip);
            }
            SvdKernels.Gram(strip, ls, pw, gram, ls, accumulate: c0 > 0);
        }
        int k = s.Length;
        Span<double> vecs = _featVecs.AsSpan(0, k * ls);
        _tridiagonal.TopK(gram, ls, k, _eigValues.AsSpan(0, k), vecs);
        CheckTopValue(Math.Sqrt(Math.Max(_eigValues[0], 0)) / n);
        Span<double> acc = _tmpRow.AsSpan(0, lb);
        for (int c = 0; c < k; c++)
        {
            ReadOnlySpan<double> u = vecs.Slice(c * ls, ls);
            acc.Clear();
            for (int j = 0; j < n; j++)
            {
                ReadOnlySpan<float> sj = sSrc.Slice(j * ls, ls);
                double p = 0;
                for (int i = 0; i < ls; i++) p += sj[i] * u[i];
                if (p != 0) DoubleOps.Axpy(p, bSrc.Slice(j * lb, lb), acc);
            }
            WriteNormalized(u, sOut.Slice(c * ls, ls));
            ProjectOutEarlier(acc, bOut, c);
            WriteNormalized(acc, bOut.Slice(c * lb, lb));
            s[c] = (float)(Math.Sqrt(Math.Max(_eigValues[c], 0)) / n);
            FinishPair(s, sOut, bOut, c, ls, lb);
        }
    }

    // The sample route needs n x stride(n) and n x stride(max(a, b)) doubles: above the cap the feature route (whose
    // scratch does not grow with n) is exact too.
    private static bool SampleScratchFits(int n, int lb)
        => (long)n * SvdKernels.Stride(n) <= MaxScratch && (long)n * SvdKernels.Stride(lb) <= MaxScratch;

    // sigma_1 beyond float cannot be reported: refuse before any output is written (it used to come back as s = 0).
    private static void CheckTopValue(double sigma1)
    {
        if (sigma1 > float.MaxValue)
            throw new ArgumentException($"The top singular value {sigma1:g4} is beyond float range ({float.MaxValue:g4}); scale deltas or inputs down.", "deltas");
    }

    // Multiply-adds of each route; the eigen-solve counts double, and the sample route's smaller, less regular pieces
    // (pivoted Cholesky, n x n products, two widened copies) make it about 1.5x dearer per multiply-add than the feature
    // route's long strips (measured on 100 x 785 and 10 x 101: the routes tie near n = 128 and n = 9).
    private static bool SampleRouteIsCheaper(int n, int ls, int lb)
    {
        double ps = SvdKernels.Stride(ls), pb = SvdKernels.Stride(lb);
        double r = Math.Min(n, ls), nn = n;
        double sample = nn * nn * (ps + pb) / 2 + nn * nn * r + nn * r * r + 2 * r * r * r + nn * nn * nn / 3;
        double feature = ls * pb * nn + ls * (double)ls * pb / 2 + 2.0 * ls * ls * ls;
        return 1.5 * sample <= feature;
    }

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

    // A vector built as M v / sigma_c carries v's rounding error along the earlier (larger) singular directions
    // amplified by sigma_j / sigma_c; those directions are the pairs already written, so project them out (twice, MGS).
    private static void ProjectOutEarlier(Span<double> v, ReadOnlySpan<float> done, int c)
    {
        int len = v.Length;
        for (int pass = 0; pass < 2; pass++)
            for (int j = 0; j < c; j++)
            {
                ReadOnlySpan<float> e = done.Slice(j * len, len);
                double dot = 0;
                for (int i = 0; i < len; i++) dot += v[i] * e[i];
                if (dot != 0) DoubleOps.Axpy(-dot, e, v);
            }
    }

    // output = v / |v| (scaled by max |v_i| first, so tiny or huge vectors keep their direction); zero stays zero
    private static void WriteNormalized(ReadOnlySpan<double> v, Span<float> output)
    {
        double max = 0;
        foreach (double e in v) max = Math.Max(max, Math.Abs(e));
        if (!(max > 0)) { output.Clear(); return; }
        double inv = 1 / max, n2 = 0;
        foreach (double e in v) { double t = e * inv; n2 += t * t; }
        double scale = inv / Math.Sqrt(n2);
        for (int i = 0; i < output.Length; i++) output[i] = (float)(v[i] * scale);
    }

    private void EnsureSampleScratch(int n)
    {
        if (_sampleCapacity >= n) return;
        int pf = SvdKernels.Stride(_r), po = SvdKernels.Stride(Math.Max(Rows, Cols)), ns = SvdKernels.Stride(n);
        _f = new double[n * pf]; _o = new double[n * po];
        _gf = new double[n * ns]; _go = new double[n * ns]; _l = new double[n * ns]; _t = new double[n * ns];
        _core = new double[n * n]; _vecs = new double[n * n];
        _diag = new double[n]; _z = new double[n]; _y = new double[n]; _pivoted = new bool[n];
        _sampleCapacity = n;
    }

    private void EnsureFeatureScratch(int ls)
    {
        if (_strip.Length > 0) return;
        int pw = SvdKernels.Stride(StripWidth);
        _strip = new double[ls * pw]; _chunkS = new double[Chunk * ls]; _chunkB = new double[Chunk * pw];
        _featGram = new double[ls * ls]; _featVecs = new double[ls * ls];
    }
}

/// <summary>The two exact formulations of <see cref="BatchSvdSolver"/>.</summary>
internal enum BatchSvdRoute
{
    /// <summary>The cheaper of the two for the batch size (by multiply-add count).</summary>
    Auto,
    /// <summary>n x n Gram matrices of the batch, pivoted Cholesky, rank x rank core.</summary>
    SampleSide,
    /// <summary>min(a, b) x min(a, b) Gram matrix of M from column strips.</summary>
    FeatureSide,
}

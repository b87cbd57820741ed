using System.Runtime.CompilerServices;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Eigen;

/// <summary>
/// Streaming estimator of the top-k singular triplets of a batch-mean gradient M = (1/n) sum_j delta_j x_j^T,
/// fed one (delta, x) pair at a time in O(k(a+b)) memory (Hoskins et al. 2019, SBE).
/// A batch starts with the first Observe after construction, Reset or Estimate; Estimate closes it
/// (flushing a partial sub-batch) and returns the triplets. X, D and s are kept as the next batch's warm start.
/// </summary>
/// <remarks>
/// State: X (k columns of length b), D (k columns of length a), s (k). Columns are kept mutually orthogonal but
/// not normalised: as in the paper, |X_c| and |D_c| carry the magnitude of the running means. For k = 1 and m = 1
/// every sample runs exactly the recurrence of docs/method.md section 2 (a fused single-pass form of it when quantisation is off).
/// Each column of X and D is stored as a float part times its own power of two, renormalised at every step by
/// folding the power into the step's coefficients: bit-for-bit the same arithmetic, scaled exactly, so a zero or
/// tiny stream cannot decay the state into denormals and a huge sample cannot overflow it. The random start is
/// N(0, I) in units of the first nonzero sample's largest elements (2^(ilogb max|delta| + ilogb max|x|)), which makes
/// the estimate scale-invariant: scaling delta or x by a power of two leaves the directions bit-identical and
/// scales s exactly (while elements stay normal floats; the division-free form is the exception: its fixed rate
/// is not scale-free). Every sample gets one verdict before any state changes, whatever the path
/// (<see cref="Observe"/>, <see cref="ObserveBatch"/>, rank 1 or k): finite, and |delta|, |x|, |delta| |x| below 2^125.
/// Not thread-safe.
/// </remarks>
public sealed partial class SbeEstimator
{
    private readonly int _k, _m, _bits;
    private readonly ulong _seed;
    private float[] _x, _d;                       // X: k x Cols, D: k x Rows (column c stored as row c)
    private readonly float[] _s;                  // s: k
    private readonly bool _rankOne;               // the fused single-pass rank-1 step applies
    private readonly int[] _ex, _ed;              // column c of X is RawX's column c times 2^_ex[c]; D likewise
    private bool _scalePending;                   // the start's scale waits for the first sample with nonzero delta and x
    private readonly float[] _bufMd, _bufMx;      // max |delta_j|, max |x_j| of the buffered samples
    private float[] _batchMd = [], _batchMx = []; // the same for the batch ObserveBatch is given (grown, then reused)
    private readonly double[] _xNorm, _dNorm;     // |X_c|, |D_c| of the current state
    private readonly float[] _bufD, _bufX;        // partial sub-batch (m > 1 only)
    private readonly double[] _p, _q;             // per-sample projections of one sub-batch, m x k
    private int _bufCount, _batchCount;
    private readonly double _sqrtRows, _sqrtCols;  // the renormalisation bound's sqrt(length)
    private SimdWidth _xWidth, _dWidth;            // the fused step's kernel widths, chosen when a call starts feeding samples
    private bool _awaitingFirstSample;
    private Xoshiro256 _rng;

    /// <summary>Creates an estimator for a rows (a, outputs) x cols (b, inputs) gradient.</summary>
    /// <exception cref="ArgumentException">Invalid sizes or options (rank outside 1..min(a, b), sub-batch &lt; 1, ...).</exception>
    public SbeEstimator(int rows, int cols, EstimatorOptions? options = null, ulong seed = 0)
    {
        options ??= new EstimatorOptions();
        options.Validate(rows, cols);
        Rows = rows; Cols = cols; Options = options;
        _k = options.Rank; _m = options.SubBatch; _bits = options.QuantizationBits; _seed = seed;
        _x = new float[_k * cols]; _d = new float[_k * rows]; _s = new float[_k];
        _rankOne = _k == 1 && _m == 1 && _bits == 0 && !options.DivisionFree;
        _bufMd = new float[_m]; _bufMx = new float[_m];
        _ex = new int[_k]; _ed = new int[_k];
        _xNorm = new double[_k]; _dNorm = new double[_k];
        _bufD = _m > 1 ? new float[_m * rows] : [];
        _bufX = _m > 1 ? new float[_m * cols] : [];
        _p = new double[_m * _k]; _q = new double[_m * _k];
        _sqrtRows = Math.Sqrt(rows); _sqrtCols = Math.Sqrt(cols);
        Reset();
    }

    /// <summary>a: length of delta.</summary>
    public int Rows { get; }
    /// <summary>b: length of x.</summary>
    public int Cols { get; }
    /// <summary>k.</summary>
    public int Rank => Options.Rank;
    /// <summary>The options.</summary>
    public EstimatorOptions Options { get; }

    /// <summary>Samples observed in the current batch (including a buffered partial sub-batch).</summary>
    public int SamplesInBatch => _batchCount + _bufCount;

    /// <summary>Floats of state the estimator keeps across batches: k(a+b) + k (the peripheral memory of SBE-k).</summary>
    public long StateFloats => (long)_k * (Rows + Cols) + _k;

    /// <summary>Floats buffered for a partial sub-batch: m(a+b) when m &gt; 1, else 0.</summary>
    public long SubBatchBufferFloats => _m > 1 ? (long)_m * (Rows + Cols) : 0;

    /// <summary>Forces the general sub-batch path even where the fused rank-1 path applies (tests compare the two).</summary>
    internal bool ForceGeneralPath { get; set; }

    private bool FusedRankOne => _rankOne && !ForceGeneralPath;

    /// <summary>Raw state (X columns, each up to its power of two in <see cref="XExponents"/>), for tests and diagnostics.</summary>
    internal ReadOnlySpan<float> RawX => _x;
    /// <summary>Column c of X = column c of RawX times 2^XExponents[c].</summary>
    internal ReadOnlySpan<int> XExponents => _ex;
    /// <summary>Column c of D = column c of RawD times 2^DExponents[c].</summary>
    internal ReadOnlySpan<int> DExponents => _ed;
    /// <summary>Element i of X at its true scale.</summary>
    internal double StateX(int i) => Math.ScaleB((double)_x[i], _ex[i / Cols]);
    /// <summary>Element i of D at its true scale.</summary>
    internal double StateD(int i) => Math.ScaleB((double)_d[i], _ed[i / Rows]);
    /// <summary>Raw state (unnormalised D columns).</summary>
    internal ReadOnlySpan<float> RawD => _d;
    /// <summary>Raw running s.</summary>
    internal ReadOnlySpan<float> RawS => _s;

    /// <summary>Feeds one sample (delta length Rows, x length Cols). Rejects NaN/Inf and too large samples leaving state unchanged.</summary>
    /// <exception cref="ArgumentException">Wrong length, a non-finite element or a sample too large for float
    /// (|delta|, |x| or |delta| |x| at least 2^125); the state is unchanged.</exception>
    public void Observe(ReadOnlySpan<float> delta, ReadOnlySpan<float> x)
    {
        if (delta.Length != Rows) throw new ArgumentException($"delta has {delta.Length} elements, expected Rows = {Rows}.", nameof(delta));
        if (x.Length != Cols) throw new ArgumentException($"x has {x.Length} elements, expected Cols = {Cols}.", nameof(x));
        var (md, mx) = SampleScale.Check(delta, x, nameof(delta), nameof(x));
        ChooseWidths();
        Accept(delta, x, new ReadOnlySpan<float>(in md), new ReadOnlySpan<float>(in mx));
    }

    /// <summary>Feeds n samples: deltas n x Rows, xs n x Cols, row-major.</summary>
    /// <exception cref="ArgumentException">Wrong lengths, n &lt; 0, or a non-finite or too large sample anywhere (the
    /// same verdict <see cref="Observe"/> gives it); the state is unchanged.</exception>
    public void ObserveBatch(ReadOnlySpan<float> deltas, ReadOnlySpan<float> xs, int n)
    {
        CheckBatch(deltas, xs, n);
        ChooseWidths();
        ReadOnlySpan<float> md = _batchMd.AsSpan(0, n), mx = _batchMx.AsSpan(0, n);
        int j = 0;
        if (_m > 1)
        {
            // Whole sub-batches straight from the caller's spans when nothing is buffered.
            for (; _bufCount == 0 && j + _m <= n; j += _m)
            {
                if (_awaitingFirstSample) SeedFromSample(deltas.Slice(j * Rows, Rows), xs.Slice(j * Cols, Cols), md[j], mx[j]);
                ProcessSubBatch(deltas.Slice(j * Rows, _m * Rows), xs.Slice(j * Cols, _m * Cols), _m, md.Slice(j, _m), mx.Slice(j, _m));
            }
        }
        Accept(deltas.Slice(j * Rows), xs.Slice(j * Cols), md.Slice(j), mx.Slice(j));
    }

    /// <summary>Closes the batch and writes s (k), d (k x Rows, unit rows), x (k x Cols, unit rows): M ~ sum_c s_c d_c x_c^T.</summary>
    /// <exception cref="ArgumentException">A destination has the wrong length; the state is unchanged.</exception>
    public void Estimate(Span<float> s, Span<float> d, Span<float> x)
    {
        if (s.Length != _k) throw new ArgumentException($"s has {s.Length} elements, expected Rank = {_k}.", nameof(s));
        if (d.Length != _k * Rows) throw new ArgumentException($"d has {d.Length} elements, expected Rank*Rows = {_k * Rows}.", nameof(d));
        if (x.Length != _k * Cols) throw new ArgumentException($"x has {x.Length} elements, expected Rank*Cols = {_k * Cols}.", nameof(x));
        if (_bufCount > 0)
        {
            int c = _bufCount; _bufCount = 0;
            ProcessSubBatch(_bufD.AsSpan(0, c * Rows), _bufX.AsSpan(0, c * Cols), c, _bufMd.AsSpan(0, c), _bufMx.AsSpan(0, c));
        }
        _batchCount = 0;
        if (Options.DivisionFree) RefreshNorms();
        for (int c = 0; c < _k; c++)
        {
            WriteUnit(_d.AsSpan(c * Rows, Rows), _dNorm[c], d.Slice(c * Rows, Rows));
            WriteUnit(_x.AsSpan(c * Cols, Cols), _xNorm[c], x.Slice(c * Cols, Cols));
            s[c] = Options.Magnitude == MagnitudeEstimate.RightNorm ? (float)Math.ScaleB(_xNorm[c], _ex[c]) : _s[c];
            if (!IsUsableNorm(_dNorm[c]) || !IsUsableNorm(_xNorm[c]) || !float.IsFinite(s[c])) s[c] = 0; // an explicit zero update
        }
    }

    /// <summary>
    /// Second pass for <see cref="MagnitudeEstimate.Rayleigh"/>: s_c = d_c^T M x_c = (1/n) sum_j (delta_j . d_c)(x_j . x_c)
    /// with the current unit directions (call it after <see cref="Estimate"/> with the same batch). The state is not changed.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths, n &lt; 1 or a non-finite element.</exception>
    public void ReplayMagnitudes(ReadOnlySpan<float> deltas, ReadOnlySpan<float> xs, int n, Span<float> s)
    {
        CheckBatch(deltas, xs, n);
        if (n < 1) throw new ArgumentException("n must be >= 1 to replay a batch.", nameof(n));
        if (s.Length != _k) throw new ArgumentException($"s has {s.Length} elements, expected Rank = {_k}.", nameof(s));
        if (Options.DivisionFree) RefreshNorms();
        for (int c = 0; c < _k; c++)
        {
            double acc = EstimatorKernels.SumOfProducts(deltas, xs, n, _d.AsSpan(c * Rows, Rows), _x.AsSpan(c * Cols, Cols));
            double scale = _dNorm[c] * _xNorm[c];
            s[c] = scale > 0 ? (float)(acc / (n * scale)) : 0f;
        }
    }

    /// <summary>Back to the initial state drawn from the seed.</summary>
    public void Reset()
    {
        _rng = new Xoshiro256(_seed);
        _rng.FillGaussian(_x);
        _rng.FillGaussian(_d);
        Array.Clear(_s);
        ColumnOrthogonalizer.Orthogonalize(_x, _k, Cols, _xNorm, ref _rng);
        ColumnOrthogonalizer.Orthogonalize(_d, _k, Rows, _dNorm, ref _rng);
        if (Options.DivisionFree) { NormalizeColumn(_x, _xNorm[0]); NormalizeColumn(_d, _dNorm[0]); }
        QuantizeState();
        Array.Clear(_ex); Array.Clear(_ed);
        _scalePending = !Options.DivisionFree;
        _bufCount = 0; _batchCount = 0;
        _awaitingFirstSample = Options.Initialization == InitialState.FirstSample;
    }

    private void CheckBatch(ReadOnlySpan<float> deltas, ReadOnlySpan<float> xs, int n)
    {
        if (n < 0) throw new ArgumentException($"n must be >= 0 (got {n}).", nameof(n));
        if (deltas.Length != (long)n * Rows) throw new ArgumentException($"deltas has {deltas.Length} elements, expected n*Rows = {(long)n * Rows}.", nameof(deltas));
        if (xs.Length != (long)n * Cols) throw new ArgumentException($"xs has {xs.Length} elements, expected n*Cols = {(long)n * Cols}.", nameof(xs));
        if (_batchMd.Length < n) { _batchMd = new float[n]; _batchMx = new float[n]; } // grows once to the largest batch
        for (int j = 0; j < n; j++)
            (_batchMd[j], _batchMx[j]) = SampleScale.Check(deltas.Slice(j * Rows, Rows), xs.Slice(j * Cols, Cols), _sqrtRows, _sqrtCols, nameof(deltas), nameof(xs), j);
    }

    // Validated samples (deltas, xs back to back) with their largest |elements| (md, mx), in order.
    private void Accept(ReadOnlySpan<float> deltas, ReadOnlySpan<float> xs, ReadOnlySpan<float> md, ReadOnlySpan<float> mx)
    {
        int n = md.Length;
        if (n == 0) return;
        if (_awaitingFirstSample) SeedFromSample(deltas.Slice(0, Rows), xs.Slice(0, Cols), md[0], mx[0]);
        if (_m == 1 && !Options.DivisionFree && FusedRankOne) { RankOneSteps(deltas, xs, md, mx); return; }
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<float> delta = deltas.Slice(j * Rows, Rows), x = xs.Slice(j * Cols, Cols);
            if (_m > 1)
            {
                delta.CopyTo(_bufD.AsSpan(_bufCount * Rows, Rows));
                x.CopyTo(_bufX.AsSpan(_bufCount * Cols, Cols));
                _bufMd[_bufCount] = md[j]; _bufMx[_bufCount] = mx[j];
                if (++_bufCount == _m) { _bufCount = 0; ProcessSubBatch(_bufD, _bufX, _m, _bufMd, _bufMx); }
            }
            else if (Options.DivisionFree) OjaStep(delta, x);
            else { _bufMd[0] = md[j]; _bufMx[0] = mx[j]; ProcessSubBatch(delta, x, 1, _bufMd, _bufMx); }
        }
    }

    // The first sample becomes column 0 of X and D, each scaled to [1, 2) in max |element| by a power of two, with
    // the start's scale 2^(ilogb max|delta| + ilogb max|x|) (what the recurrence scales by when the data is scaled).
    private void SeedFromSample(ReadOnlySpan<float> delta, ReadOnlySpan<float> x, float md, float mx)
    {
        _awaitingFirstSample = false;
        if (md == 0 || mx == 0) return; // keep the Gaussian draw
        if (Options.DivisionFree) { delta.CopyTo(_d.AsSpan(0, Rows)); x.CopyTo(_x.AsSpan(0, Cols)); }
        else
        {
            int ed = SampleScale.Exponent(md), ex = SampleScale.Exponent(mx);
            ScaledCopy(delta, -ed, _d.AsSpan(0, Rows));
            ScaledCopy(x, -ex, _x.AsSpan(0, Cols));
            Array.Fill(_ex, ed + ex); Array.Fill(_ed, ed + ex);
            _scalePending = false;
        }
        ColumnOrthogonalizer.Orthogonalize(_x, _k, Cols, _xNorm, ref _rng);
        ColumnOrthogonalizer.Orthogonalize(_d, _k, Rows, _dNorm, ref _rng);
        if (Options.DivisionFree) { NormalizeColumn(_x, _xNorm[0]); NormalizeColumn(_d, _dNorm[0]); }
        QuantizeState();
    }

    private static void ScaledCopy(ReadOnlySpan<float> source, int exponent, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++) destination[i] = (float)Math.ScaleB(source[i], exponent);
    }

    // The start's scale, at the first sample whose delta and x are both nonzero (earlier samples only decayed the
    // state, which commutes with scaling it).
    private void SetScaleIfPending(float md, float mx)
    {
        if (!_scalePending || md == 0 || mx == 0) return;
        int e0 = SampleScale.Exponent(md) + SampleScale.Exponent(mx);
        for (int c = 0; c < _k; c++)
        {
            _ex[c] = Math.Clamp(_ex[c] + e0, -StateExponentLimit, StateExponentLimit);
            _ed[c] = Math.Clamp(_ed[c] + e0, -StateExponentLimit, StateExponentLimit);
        }
        _scalePending = false;
    }

    // Far enough to hold any float data's scale (2^-298..2^250) and a long decay below it, near enough that double
    // holds every bound below. A state that decays further (a layer whose deltas stay zero) is floored here: it is
    // then at least 2^300 below any sample, so flooring changes nothing a float can show.
    private const int StateExponentLimit = 600;

    // A coefficient applied to a sample stays below 2^100, so it fits float even for the smallest data.
    private const int MaxCoefficientExponent = 100;

    // The step "v = wOld v + sum_j coef_j u_j" on the stored part of v (v = stored 2^e): bound is an upper bound of
    // the new |stored v| (old |v| wOld plus the samples' coef_j |u_j| / 2^e, nonzero samples only). Moves e so the new
    // stored part is below 2 (renormalised every step, exactly: powers of two) and returns the shift; the caller scales
    // wOld by 2^-shift and each coef by 2^-e (the new e). The stored part is always renormalised; only e is clamped.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // on the per-sample chain
    private static int Renormalise(ref int e, double bound, double maxCoef)
    {
        int target = e;
        if (bound > 0) target = e + PowerOfTwo.ILogB(bound);
        if (maxCoef > 0) target = Math.Max(target, PowerOfTwo.ILogB(maxCoef) - MaxCoefficientExponent);
        int shift = Math.Max(target - e, -MaxCoefficientExponent); // wOld 2^-shift stays a float
        e = Math.Clamp(e + shift, -StateExponentLimit, StateExponentLimit);
        return shift;
    }

    // The paper's recurrence (docs/method.md section 2) for validated samples (deltas, xs back to back; md, mx their
    // largest |elements|), each vector update fused with the dot and norm that follow it and renormalised by a power
    // of two. j counts samples in this batch; the carried state counts as one sample. The state's scalars stay in
    // locals for the run (through the fields, each step waited on the stores of the one before).
    private void RankOneSteps(ReadOnlySpan<float> deltas, ReadOnlySpan<float> xs, ReadOnlySpan<float> mds, ReadOnlySpan<float> mxs)
    {
        Span<float> dv = _d.AsSpan(0, Rows), xv = _x.AsSpan(0, Cols);
        double xNorm = _xNorm[0], dNorm = _dNorm[0];
        float s = _s[0];
        int ex = _ex[0], ed = _ed[0], j = _batchCount;
        for (int i = 0; i < mds.Length; i++)
        {
            ReadOnlySpan<float> delta = deltas.Slice(i * Rows, Rows), x = xs.Slice(i * Cols, Cols);
            float md = mds[i], mx = mxs[i];
            if (_scalePending)
            {
                _ex[0] = ex; _ed[0] = ed;
                SetScaleIfPending(md, mx);
                ex = _ex[0]; ed = _ed[0];
            }
            j++;
            double wOld = j / (j + 1.0), wNew = 1.0 / (j + 1.0);
            double p = dNorm > 0 ? Blas.Dot(delta, dv) / dNorm : 0;
            double cx = wNew * p;
            int sh = Renormalise(ref ex, wOld * xNorm + PowerOfTwo.ScaleB(Math.Abs(cx) * _sqrtCols * mx, -ex), mx == 0 ? 0 : Math.Abs(cx));
            var (xX, xx) = EstimatorKernels.ScaleAddDotNorm(_xWidth, (float)PowerOfTwo.ScaleB(wOld, -sh), mx == 0 ? 0f : (float)PowerOfTwo.ScaleB(cx, -ex), x, xv);
            double xn = Math.Sqrt(xx);
            double q = xn > 0 ? xX / xn : 0;
            double cd = wNew * q;
            sh = Renormalise(ref ed, wOld * dNorm + PowerOfTwo.ScaleB(Math.Abs(cd) * _sqrtRows * md, -ed), md == 0 ? 0 : Math.Abs(cd));
            var (dD, dd) = EstimatorKernels.ScaleAddDotNorm(_dWidth, (float)PowerOfTwo.ScaleB(wOld, -sh), md == 0 ? 0f : (float)PowerOfTwo.ScaleB(cd, -ed), delta, dv);
            double dn = Math.Sqrt(dd);
            double r = dn > 0 ? dD / dn : 0;
            s = (float)(wOld * s + wNew * q * r);
            xNorm = xn; dNorm = dn;
            if (!IsUsableNorm(xn) || !IsUsableNorm(dn)) // a vector with no direction: reseed it
            {
                _xNorm[0] = xNorm; _dNorm[0] = dNorm;
                RepairZero();
                xNorm = _xNorm[0]; dNorm = _dNorm[0];
            }
        }
        _xNorm[0] = xNorm; _dNorm[0] = dNorm; _s[0] = s; _ex[0] = ex; _ed[0] = ed; _batchCount = j;
    }

    private void ChooseWidths()
    {
        _xWidth = SimdDispatch.For(Cols);
        _dWidth = SimdDispatch.For(Rows);
    }

    private static bool IsUsableNorm(double norm) => norm > 0 && double.IsFinite(norm);

    private void RepairZero()
    {
        ColumnOrthogonalizer.Orthogonalize(_x, 1, Cols, _xNorm, ref _rng);
        ColumnOrthogonalizer.Orthogonalize(_d, 1, Rows, _dNorm, ref _rng);
    }

    // One bi-iteration step over c samples (docs/method.md section 3) with sample-count running-mean weights:
    // after N samples of this batch, new = (N+1-c)/(N+1) old + 1/(N+1) sum over the c samples.
    // md, mx: the samples' largest |elements| (for the renormalisation bound).
    private void ProcessSubBatch(ReadOnlySpan<float> deltas, ReadOnlySpan<float> xs, int c, ReadOnlySpan<float> md, ReadOnlySpan<float> mx)
    {
        for (int j = 0; j < c && _scalePending; j++) SetScaleIfPending(md[j], mx[j]);
        int n = _batchCount + c;
        double wOld = (n + 1.0 - c) / (n + 1.0), wNew = 1.0 / (n + 1.0);
        Span<double> p = _p.AsSpan(0, c * _k), q = _q.AsSpan(0, c * _k);

        for (int j = 0; j < c; j++)
        {
            ReadOnlySpan<float> dj = deltas.Slice(j * Rows, Rows);
            for (int col = 0; col < _k; col++)
                p[j * _k + col] = IsUsableNorm(_dNorm[col]) ? Blas.Dot(dj, _d.AsSpan(col * Rows, Rows)) / _dNorm[col] : 0;
        }
        UpdateColumns(_x, Cols, _xNorm, _ex, xs, mx, p, wOld, wNew, c);
        ColumnOrthogonalizer.Orthogonalize(_x, _k, Cols, _xNorm, ref _rng);
        QuantizeColumns(_x, Cols, _xNorm);

        for (int j = 0; j < c; j++)
        {
            ReadOnlySpan<float> xj = xs.Slice(j * Cols, Cols);
            for (int col = 0; col < _k; col++)
                q[j * _k + col] = IsUsableNorm(_xNorm[col]) ? Blas.Dot(xj, _x.AsSpan(col * Cols, Cols)) / _xNorm[col] : 0;
        }
        UpdateColumns(_d, Rows, _dNorm, _ed, deltas, md, q, wOld, wNew, c);
        ColumnOrthogonalizer.Orthogonalize(_d, _k, Rows, _dNorm, ref _rng);
        QuantizeColumns(_d, Rows, _dNorm);

        for (int col = 0; col < _k; col++)
        {
            ReadOnlySpan<float> dc = _d.AsSpan(col * Rows, Rows);
            double acc = 0;
            if (!IsUsableNorm(_dNorm[col])) continue;
            for (int j = 0; j < c; j++) acc += q[j * _k + col] * Blas.Dot(deltas.Slice(j * Rows, Rows), dc) / _dNorm[col];
            _s[col] = QuantizeScalar((float)(wOld * _s[col] + wNew * acc));
        }
        _batchCount = n;
    }

    // v_col = wOld v_col + wNew sum_j coef[j, col] u_j for every column (v_col = stored 2^e[col]), each renormalised
    // by the power of two that keeps its stored part below 2. Gram-Schmidt is blind to per-column scales, and a
    // column far smaller than another (no signal in the batch) keeps its precision instead of sinking into denormals.
    private void UpdateColumns(Span<float> v, int len, ReadOnlySpan<double> norms, Span<int> e, ReadOnlySpan<float> us,
        ReadOnlySpan<float> maxAbs, ReadOnlySpan<double> coef, double wOld, double wNew, int c)
    {
        double root = Math.Sqrt(len);
        for (int col = 0; col < _k; col++)
        {
            double bound = wOld * norms[col], maxCoef = 0;
            for (int j = 0; j < c; j++)
            {
                if (maxAbs[j] == 0) continue; // a zero sample adds nothing, whatever its coefficient
                double a = Math.Abs(wNew * coef[j * _k + col]);
                bound += Math.ScaleB(a * root * maxAbs[j], -e[col]);
                maxCoef = Math.Max(maxCoef, a);
            }
            int sh = Renormalise(ref e[col], bound, maxCoef);
            Span<float> vc = v.Slice(col * len, len);
            Blas.Scale((float)Math.ScaleB(wOld, -sh), vc);
            for (int j = 0; j < c; j++)
                if (maxAbs[j] != 0) Blas.Axpy((float)Math.ScaleB(wNew * coef[j * _k + col], -e[col]), us.Slice(j * len, len), vc);
        }
    }

    // The division-free (Oja/Hebbian) form of docs/method.md section 2 with projections from the old unit-ish vectors.
    private void OjaStep(ReadOnlySpan<float> delta, ReadOnlySpan<float> x)
    {
        float xi = Options.OjaRate;
        float p = Blas.Dot(delta, _d), q = Blas.Dot(x, _x);
        float shrink = 1f - xi * p * q;
        EstimatorKernels.ScaleAddDotNorm(shrink, xi * p, x, _x, out _, out double xx);
        EstimatorKernels.ScaleAddDotNorm(shrink, xi * q, delta, _d, out _, out double dd);
        _s[0] = QuantizeScalar(_s[0] * (1f - xi) + xi * p * q);
        QuantizeVector(_x);
        QuantizeVector(_d);
        _batchCount++;
        if (!double.IsFinite(xx) || !double.IsFinite(dd) || !float.IsFinite(_s[0])) RestartDivergedOja();
    }

    // The fixed-rate form diverges when xi |delta| |x| is not small: rather than carry NaN forever, start again from
    // fresh unit vectors and s = 0 (the same recovery on every path, sample by sample).
    private void RestartDivergedOja()
    {
        _rng.FillGaussian(_x); _rng.FillGaussian(_d);
        _s[0] = 0;
        ColumnOrthogonalizer.Orthogonalize(_x, 1, Cols, _xNorm, ref _rng);
        ColumnOrthogonalizer.Orthogonalize(_d, 1, Rows, _dNorm, ref _rng);
        NormalizeColumn(_x, _xNorm[0]); NormalizeColumn(_d, _dNorm[0]);
        QuantizeVector(_x); QuantizeVector(_d);
    }

    private void RefreshNorms()
    {
        for (int c = 0; c < _k; c++)
        {
            _xNorm[c] = Math.Sqrt(EstimatorKernels.SumSquares(_x.AsSpan(c * Cols, Cols)));
            _dNorm[c] = Math.Sqrt(EstimatorKernels.SumSquares(_d.AsSpan(c * Rows, Rows)));
        }
    }

    private void QuantizeState()
    {
        QuantizeColumns(_x, Cols, _xNorm);
        QuantizeColumns(_d, Rows, _dNorm);
        for (int c = 0; c < _k; c++) _s[c] = QuantizeScalar(_s[c]);
    }

    private void QuantizeColumns(Span<float> v, int len, Span<double> norms)
    {
        if (_bits == 0) return;
        for (int c = 0; c < _k; c++)
        {
            Span<float> col = v.Slice(c * len, len);
            QuantizeVector(col);
            norms[c] = Math.Sqrt(EstimatorKernels.SumSquares(col));
        }
    }

    private float QuantizeScalar(float value)
        => Options.StochasticRounding ? Quantizer.QuantizeScalar(value, _bits, ref _rng) : Quantizer.QuantizeScalar(value, _bits);

    private void QuantizeVector(Span<float> v)
    {
        if (Options.StochasticRounding) Quantizer.QuantizeVector(v, _bits, ref _rng);
        else Quantizer.QuantizeVector(v, _bits);
    }

    private static void NormalizeColumn(Span<float> v, double norm)
    {
        if (norm > 0) Blas.Scale((float)(1.0 / norm), v);
    }

    private static void WriteUnit(ReadOnlySpan<float> source, double norm, Span<float> destination)
    {
        float inv = (float)(1.0 / norm);
        if (IsUsableNorm(norm) && float.IsFinite(inv))
        {
            SimdMap.Unary(new MultiplyOperator(inv), source, destination);
        }
        else if (IsUsableNorm(norm))
        {
            for (int i = 0; i < source.Length; i++) destination[i] = (float)(source[i] / norm); // a norm below 2^-128
        }
        else
        {
            destination.Clear(); destination[0] = 1f; // degenerate (the division-free form diverged): a unit vector with s = 0
        }
    }
}

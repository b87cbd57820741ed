using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Eigen;

// FROZEN PUBLIC SIGNATURES (update rules and C ABI compile against them). Members may be added; these may not change.

/// <summary>
/// Streaming estimator of the top-k singular triplets of a batch-mean gradient M = (1/n) sum_j delta_j x_j^T,
/// fed one (delta, x) pair at a time in O(k(a+b)) memory (Hoskins et al. 2019, SBE).
/// A batch starts with the first Observe after construction, Reset or Estimate; Estimate closes it
/// (flushing a partial sub-batch) and returns the triplets. X, D and s are kept as the next batch's warm start.
/// </summary>
/// <remarks>
/// State: X (k columns of length b), D (k columns of length a), s (k). Columns are kept mutually orthogonal but
/// not normalised: as in the paper, |X_c| and |D_c| carry the magnitude of the running means. For k = 1 and m = 1
/// every sample runs exactly the recurrence of SBE.md section 2 (a fused single-pass form of it when quantisation is off).
/// Not thread-safe.
/// </remarks>
public sealed class SbeEstimator
{
    private readonly int _k, _m, _bits;
    private readonly ulong _seed;
    private float[] _x, _d;                       // X: k x Cols, D: k x Rows (column c stored as row c)
    private readonly float[] _s;                  // s: k
    private float[] _xNext, _dNext;               // rank-1 Observe writes here first and swaps, so a rejected sample changes nothing
    private readonly double[] _xNorm, _dNorm;     // |X_c|, |D_c| of the current state
    private readonly float[] _bufD, _bufX;        // partial sub-batch (m > 1 only)
    private readonly double[] _p, _q;             // per-sample projections of one sub-batch, m x k
    private int _bufCount, _batchCount;
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
        bool rankOne = _k == 1 && _m == 1 && _bits == 0 && !options.DivisionFree;
        _xNext = rankOne ? new float[cols] : []; _dNext = rankOne ? new float[rows] : [];
        _xNorm = new double[_k]; _dNorm = new double[_k];
        _bufD = _m > 1 ? new float[_m * rows] : [];
        _bufX = _m > 1 ? new float[_m * cols] : [];
        _p = new double[_m * _k]; _q = new double[_m * _k];
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

    private bool FusedRankOne => _xNext.Length != 0 && !ForceGeneralPath;

    /// <summary>Raw state (unnormalised X columns), for tests and diagnostics.</summary>
    internal ReadOnlySpan<float> RawX => _x;
    /// <summary>Raw state (unnormalised D columns).</summary>
    internal ReadOnlySpan<float> RawD => _d;
    /// <summary>Raw running s.</summary>
    internal ReadOnlySpan<float> RawS => _s;

    /// <summary>Feeds one sample (delta length Rows, x length Cols). Rejects NaN/Inf leaving state unchanged.</summary>
    /// <exception cref="ArgumentException">Wrong length or a non-finite element; the state is unchanged.</exception>
    public void Observe(ReadOnlySpan<float> delta, ReadOnlySpan<float> x)
    {
        if (delta.Length != Rows) throw new ArgumentException($"delta has {delta.Length} elements, expected Rows = {Rows}.", nameof(delta));
        if (x.Length != Cols) throw new ArgumentException($"x has {x.Length} elements, expected Cols = {Cols}.", nameof(x));
        if (FusedRankOne && !_awaitingFirstSample)
        {
            RankOneStep(delta, x, validated: false); // detects NaN/Inf from its own reductions, before committing
            return;
        }
        if (!EstimatorKernels.AllFinite(delta)) throw new ArgumentException("delta contains NaN or Inf.", nameof(delta));
        if (!EstimatorKernels.AllFinite(x)) throw new ArgumentException("x contains NaN or Inf.", nameof(x));
        Accept(delta, x);
    }

    /// <summary>Feeds n samples: deltas n x Rows, xs n x Cols, row-major.</summary>
    /// <exception cref="ArgumentException">Wrong lengths, n &lt; 0 or a non-finite element anywhere; the state is unchanged.</exception>
    public void ObserveBatch(ReadOnlySpan<float> deltas, ReadOnlySpan<float> xs, int n)
    {
        CheckBatch(deltas, xs, n);
        int j = 0;
        if (_m > 1)
        {
            // Whole sub-batches straight from the caller's spans when nothing is buffered.
            for (; _bufCount == 0 && j + _m <= n; j += _m)
            {
                if (_awaitingFirstSample) SeedFromSample(deltas.Slice(j * Rows, Rows), xs.Slice(j * Cols, Cols));
                ProcessSubBatch(deltas.Slice(j * Rows, _m * Rows), xs.Slice(j * Cols, _m * Cols), _m);
            }
        }
        for (; j < n; j++) Accept(deltas.Slice(j * Rows, Rows), xs.Slice(j * Cols, Cols));
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
            ProcessSubBatch(_bufD.AsSpan(0, c * Rows), _bufX.AsSpan(0, c * Cols), c);
        }
        _batchCount = 0;
        if (Options.DivisionFree) RefreshNorms();
        for (int c = 0; c < _k; c++)
        {
            WriteUnit(_d.AsSpan(c * Rows, Rows), _dNorm[c], d.Slice(c * Rows, Rows));
            WriteUnit(_x.AsSpan(c * Cols, Cols), _xNorm[c], x.Slice(c * Cols, Cols));
            s[c] = Options.Magnitude == MagnitudeEstimate.RightNorm ? (float)_xNorm[c] : _s[c];
            if (_dNorm[c] == 0 || _xNorm[c] == 0) s[c] = 0;
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
            ReadOnlySpan<float> dc = _d.AsSpan(c * Rows, Rows), xc = _x.AsSpan(c * Cols, Cols);
            double acc = 0;
            for (int j = 0; j < n; j++)
                acc += (double)Blas.Dot(deltas.Slice(j * Rows, Rows), dc) * Blas.Dot(xs.Slice(j * Cols, Cols), xc);
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
        _bufCount = 0; _batchCount = 0;
        _awaitingFirstSample = Options.Initialization == InitialState.FirstSample;
    }

    private void CheckBatch(ReadOnlySpan<float> deltas, ReadOnlySpan<float> xs, int n)
    {
        if (n < 0) throw new ArgumentException($"n must be >= 0 (got {n}).", nameof(n));
        if (deltas.Length != (long)n * Rows) throw new ArgumentException($"deltas has {deltas.Length} elements, expected n*Rows = {(long)n * Rows}.", nameof(deltas));
        if (xs.Length != (long)n * Cols) throw new ArgumentException($"xs has {xs.Length} elements, expected n*Cols = {(long)n * Cols}.", nameof(xs));
        if (!EstimatorKernels.AllFinite(deltas)) throw new ArgumentException("deltas contains NaN or Inf.", nameof(deltas));
        if (!EstimatorKernels.AllFinite(xs)) throw new ArgumentException("xs contains NaN or Inf.", nameof(xs));
    }

    // One validated sample.
    private void Accept(ReadOnlySpan<float> delta, ReadOnlySpan<float> x)
    {
        if (_awaitingFirstSample) SeedFromSample(delta, x);
        if (_m > 1)
        {
            delta.CopyTo(_bufD.AsSpan(_bufCount * Rows, Rows));
            x.CopyTo(_bufX.AsSpan(_bufCount * Cols, Cols));
            if (++_bufCount == _m) { _bufCount = 0; ProcessSubBatch(_bufD, _bufX, _m); }
        }
        else if (Options.DivisionFree) OjaStep(delta, x);
        else if (FusedRankOne) RankOneStep(delta, x, validated: true);
        else ProcessSubBatch(delta, x, 1);
    }

    private void SeedFromSample(ReadOnlySpan<float> delta, ReadOnlySpan<float> x)
    {
        _awaitingFirstSample = false;
        double dn = EstimatorKernels.SumSquares(delta), xn = EstimatorKernels.SumSquares(x);
        if (dn == 0 || xn == 0) return; // keep the Gaussian draw
        delta.CopyTo(_d.AsSpan(0, Rows));
        x.CopyTo(_x.AsSpan(0, Cols));
        ColumnOrthogonalizer.Orthogonalize(_x, _k, Cols, _xNorm, ref _rng);
        ColumnOrthogonalizer.Orthogonalize(_d, _k, Rows, _dNorm, ref _rng);
        if (Options.DivisionFree) { NormalizeColumn(_x, _xNorm[0]); NormalizeColumn(_d, _dNorm[0]); }
        QuantizeState();
    }

    // The paper's recurrence (SBE.md section 2) for one sample, each vector update fused with the dot and norm
    // that follow it. j counts samples in this batch; the carried state counts as one sample. Unvalidated input is
    // checked through the reductions themselves (a NaN/Inf in delta makes p non-finite; in x, |X|^2), writing the
    // new vectors to spare buffers that are swapped in only when everything is finite.
    private void RankOneStep(ReadOnlySpan<float> delta, ReadOnlySpan<float> x, bool validated)
    {
        int j = _batchCount + 1;
        double wOld = j / (j + 1.0), wNew = 1.0 / (j + 1.0);
        double p = 0;
        if (_dNorm[0] > 0)
        {
            float pd = Blas.Dot(delta, _d);
            if (!validated && !float.IsFinite(pd)) ThrowNonFinite(delta, nameof(delta));
            p = pd / _dNorm[0];
        }
        else if (!validated && !EstimatorKernels.AllFinite(delta)) ThrowNonFinite(delta, nameof(delta));
        Span<float> xv = validated ? _x : _xNext, dv = validated ? _d : _dNext;
        EstimatorKernels.ScaleAddDotNorm((float)wOld, (float)(wNew * p), x, _x, xv, out double xX, out double xx);
        if (!validated && !(double.IsFinite(xx) && double.IsFinite(xX))) ThrowNonFinite(x, nameof(x));
        double xn = Math.Sqrt(xx);
        double q = xn > 0 ? xX / xn : 0;
        EstimatorKernels.ScaleAddDotNorm((float)wOld, (float)(wNew * q), delta, _d, dv, out double dD, out double dd);
        if (!validated && !(double.IsFinite(dd) && double.IsFinite(dD))) ThrowNonFinite(delta, nameof(delta));
        double dn = Math.Sqrt(dd);
        double r = dn > 0 ? dD / dn : 0;
        if (!validated) { (_x, _xNext) = (_xNext, _x); (_d, _dNext) = (_dNext, _d); }
        _s[0] = (float)(wOld * _s[0] + wNew * q * r);
        _xNorm[0] = xn; _dNorm[0] = dn;
        _batchCount = j;
        if (xn == 0 || dn == 0) RepairZero(); // an exactly zero vector has no direction: reseed it
    }

    private static void ThrowNonFinite(ReadOnlySpan<float> v, string name)
        => throw new ArgumentException(EstimatorKernels.AllFinite(v)
            ? $"{name} is too large: the estimator update overflowed float."
            : $"{name} contains NaN or Inf.", name);

    private void RepairZero()
    {
        ColumnOrthogonalizer.Orthogonalize(_x, 1, Cols, _xNorm, ref _rng);
        ColumnOrthogonalizer.Orthogonalize(_d, 1, Rows, _dNorm, ref _rng);
    }

    // One bi-iteration step over c samples (SBE.md section 3) with sample-count running-mean weights:
    // after N samples of this batch, new = (N+1-c)/(N+1) old + 1/(N+1) sum over the c samples.
    private void ProcessSubBatch(ReadOnlySpan<float> deltas, ReadOnlySpan<float> xs, int c)
    {
        int n = _batchCount + c;
        double wOld = (n + 1.0 - c) / (n + 1.0), wNew = 1.0 / (n + 1.0);
        Span<double> p = _p.AsSpan(0, c * _k), q = _q.AsSpan(0, c * _k);

        for (int j = 0; j < c; j++)
        {
            ReadOnlySpan<float> dj = deltas.Slice(j * Rows, Rows);
            for (int col = 0; col < _k; col++)
                p[j * _k + col] = _dNorm[col] > 0 ? Blas.Dot(dj, _d.AsSpan(col * Rows, Rows)) / _dNorm[col] : 0;
        }
        for (int col = 0; col < _k; col++)
        {
            Span<float> xc = _x.AsSpan(col * Cols, Cols);
            Blas.Scale((float)wOld, xc);
            for (int j = 0; j < c; j++) Blas.Axpy((float)(wNew * p[j * _k + col]), xs.Slice(j * Cols, Cols), xc);
        }
        ColumnOrthogonalizer.Orthogonalize(_x, _k, Cols, _xNorm, ref _rng);
        QuantizeColumns(_x, Cols, _xNorm);

        for (int j = 0; j < c; j++)
        {
            ReadOnlySpan<float> xj = xs.Slice(j * Cols, Cols);
            for (int col = 0; col < _k; col++)
                q[j * _k + col] = Blas.Dot(xj, _x.AsSpan(col * Cols, Cols)) / _xNorm[col];
        }
        for (int col = 0; col < _k; col++)
        {
            Span<float> dc = _d.AsSpan(col * Rows, Rows);
            Blas.Scale((float)wOld, dc);
            for (int j = 0; j < c; j++) Blas.Axpy((float)(wNew * q[j * _k + col]), deltas.Slice(j * Rows, Rows), dc);
        }
        ColumnOrthogonalizer.Orthogonalize(_d, _k, Rows, _dNorm, ref _rng);
        QuantizeColumns(_d, Rows, _dNorm);

        for (int col = 0; col < _k; col++)
        {
            ReadOnlySpan<float> dc = _d.AsSpan(col * Rows, Rows);
            double acc = 0;
            for (int j = 0; j < c; j++) acc += q[j * _k + col] * Blas.Dot(deltas.Slice(j * Rows, Rows), dc) / _dNorm[col];
            _s[col] = QuantizeScalar((float)(wOld * _s[col] + wNew * acc));
        }
        _batchCount = n;
    }

    // The division-free (Oja/Hebbian) form of SBE.md section 2 with projections from the old unit-ish vectors.
    private void OjaStep(ReadOnlySpan<float> delta, ReadOnlySpan<float> x)
    {
        float xi = Options.OjaRate;
        float p = Blas.Dot(delta, _d), q = Blas.Dot(x, _x);
        float shrink = 1f - xi * p * q;
        EstimatorKernels.ScaleAddDotNorm(shrink, xi * p, x, _x, out _, out _);
        EstimatorKernels.ScaleAddDotNorm(shrink, xi * q, delta, _d, out _, out _);
        _s[0] = QuantizeScalar(_s[0] * (1f - xi) + xi * p * q);
        QuantizeVector(_x);
        QuantizeVector(_d);
        _batchCount++;
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
        if (norm > 0)
        {
            float inv = (float)(1.0 / norm);
            for (int i = 0; i < source.Length; i++) destination[i] = source[i] * inv;
        }
        else
        {
            destination.Clear(); destination[0] = 1f; // degenerate (only reachable in the division-free form): a unit vector with s = 0
        }
    }
}

using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Updates;

/// <summary>
/// SBPCA-k (streaming batch PCA; Huang, Hoskins, Daniels, Stiles, Adam, ACM JETC 2023): rank-k power iteration on
/// the batch gradient, one sub-batch of m samples at a time, with QR re-orthonormalisation of both factors after each
/// half-step, and a running-mean singular value. With S samples counted so far (the warm state counts as the first
/// m) and a sub-batch B of m_i samples, alpha = S / (S + m_i):
/// X_c = QR(alpha X_c + sum_B x_j (d_j . D_c) / ((S + m_i) sigma_c)); D_c likewise with the new X;
/// sigma_c = alpha sigma_c + sum_B (d_j . D_c)(x_j . X_c) / (S + m_i). The batch then writes W -= lr sum_c sigma_c D_c X_c^T;
/// the factors are the next batch's warm start. The published code (xbtorch) drops the samples past the last whole
/// sub-batch, so a batch smaller than m leaves the state unchanged and writes the stale estimate again;
/// <see cref="PublishedSchedule"/> reproduces that, the default processes the tail as a shorter sub-batch.
/// </summary>
public sealed class SbpcaRule : IUpdateRule, IRuleState, ILayerLocalRule
{
    private readonly float[] _x, _d, _sigma, _y, _z;
    private readonly double[] _norms;
    private Xoshiro256 _rng;

    /// <summary>Creates the rule for a rows x cols layer, rank k and sub-batch m.</summary>
    public SbpcaRule(int rows, int cols, int rank = 1, int subBatch = 32, bool publishedSchedule = false, ulong seed = 0)
    {
        RuleGuards.CheckShape(rows, cols);
        RuleGuards.CheckRank(rank, rows, cols);
        if (subBatch < 1 || subBatch > 1 << 20) throw new ArgumentException($"subBatch must be in 1..{1 << 20} (got {subBatch}).", nameof(subBatch));
        if ((long)rank * ((long)rows + cols) > EstimatorOptions.MaxBufferFloats)
            throw new ArgumentException($"rank x (rows + cols) = {(long)rank * ((long)rows + cols)} floats of state, more than {EstimatorOptions.MaxBufferFloats}.", nameof(rank));
        Rows = rows; Cols = cols; Rank = rank; SubBatch = subBatch; PublishedSchedule = publishedSchedule;
        _x = new float[rank * cols]; _d = new float[rank * rows]; _sigma = new float[rank];
        _y = new float[subBatch * rank]; _z = new float[subBatch * rank];
        _norms = new double[rank];
        // A random orthonormal start and sigma = 1, as published.
        _rng = new Xoshiro256(seed ^ 0x5B9CA5B9CA5B9CA5UL);
        for (int i = 0; i < _x.Length; i++) _x[i] = (float)_rng.NextGaussian();
        for (int i = 0; i < _d.Length; i++) _d[i] = (float)_rng.NextGaussian();
        Orthonormalize(_x, cols);
        Orthonormalize(_d, rows);
        _sigma.AsSpan().Fill(1f);
    }

    /// <summary>a.</summary>
    public int Rows { get; }
    /// <summary>b.</summary>
    public int Cols { get; }
    /// <summary>k.</summary>
    public int Rank { get; }
    /// <summary>m, samples per sub-batch.</summary>
    public int SubBatch { get; }
    /// <summary>True: the published schedule (whole sub-batches only; the tail is dropped, and a batch smaller than m
    /// rewrites the previous estimate).</summary>
    public bool PublishedSchedule { get; }
    /// <inheritdoc />
    public string Name => $"sbpca-{Rank}";
    /// <inheritdoc />
    public long RankOneWrites { get; private set; }
    /// <summary>k(a + b) + k floats of factors, plus 2 m k floats of projections.</summary>
    public long PeripheralMemoryBytes => ((long)Rank * (Rows + Cols) + Rank + 2L * SubBatch * Rank) * sizeof(float);

    /// <summary>The current singular values (the last write's).</summary>
    public ReadOnlySpan<float> Sigma => _sigma;
    /// <summary>The current left factor (k x Rows).</summary>
    public ReadOnlySpan<float> D => _d;
    /// <summary>The current right factor (k x Cols).</summary>
    public ReadOnlySpan<float> X => _x;

    UpdateWork ILayerLocalRule.Work(int pairs, CrossbarTile tile) => new(UpdateWork.Streaming(pairs, Rank, Rows, Cols), UpdateWork.Writes(Rank, tile));

    /// <inheritdoc />
    public void Apply(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        RuleGuards.CheckApply(tile, Rows, Cols, deltas, inputs, n, learningRate);
        if (n == 0) return;
        int m = PublishedSchedule ? SubBatch : Math.Min(SubBatch, n);
        double seen = m;
        for (int start = 0; start < n; start += m)
        {
            int count = Math.Min(m, n - start);
            if (PublishedSchedule && count < m) break;
            Step(deltas.Slice(start * Rows, count * Rows), inputs.Slice(start * Cols, count * Cols), count, seen);
            seen += count;
        }
        tile.UpdateRankK(learningRate, _sigma, _d, _x);
        RankOneWrites += Rank;
    }

    private void Step(ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int count, double seen)
    {
        int k = Rank;
        double total = seen + count, alpha = seen / total;
        // y_jc = d_j . D_c / total; X_c = alpha X_c + sum_j x_j y_jc / sigma_c; orthonormalise.
        Project(deltas, Rows, _d, count, _y, total);
        Accumulate(_x, Cols, inputs, _y, count, alpha);
        Orthonormalize(_x, Cols);
        // z_jc = x_j . X_c / total (new X); D_c = alpha D_c + sum_j d_j z_jc / sigma_c; orthonormalise.
        Project(inputs, Cols, _x, count, _z, total);
        Accumulate(_d, Rows, deltas, _z, count, alpha);
        Orthonormalize(_d, Rows);
        // sigma_c = alpha sigma_c + sum_j (d_j . D_c)(x_j . X_c) / total, with the new factors.
        Project(deltas, Rows, _d, count, _y, 1);
        for (int c = 0; c < k; c++)
        {
            double sum = 0;
            for (int j = 0; j < count; j++) sum += (double)_y[j * k + c] * _z[j * k + c];
            double sigma = alpha * _sigma[c] + sum; // _z already carries 1 / total
            // A vanished or non-finite value would divide the next step by zero: restart it at 1, as a fresh start does.
            _sigma[c] = sigma != 0 && double.IsFinite(sigma) ? (float)sigma : 1f;
        }
    }

    // out[j k + c] = (rows_j . factor_c) / scale for the count samples of rows (len each).
    private void Project(ReadOnlySpan<float> rows, int len, ReadOnlySpan<float> factor, int count, Span<float> output, double scale)
    {
        for (int j = 0; j < count; j++)
        {
            var row = rows.Slice(j * len, len);
            for (int c = 0; c < Rank; c++) output[j * Rank + c] = (float)(Blas.Dot(row, factor.Slice(c * len, len)) / scale);
        }
    }

    // The Q of a QR with a positive diagonal in R (the published sign fix): the estimator's Gram-Schmidt, normalised.
    private void Orthonormalize(Span<float> factor, int len)
    {
        ColumnOrthogonalizer.Orthogonalize(factor, Rank, len, _norms, ref _rng);
        for (int c = 0; c < Rank; c++) Blas.Scale((float)(1 / _norms[c]), factor.Slice(c * len, len));
    }

    // factor_c = alpha factor_c + sum_j rows_j proj[j k + c] / sigma_c.
    private void Accumulate(Span<float> factor, int len, ReadOnlySpan<float> rows, ReadOnlySpan<float> proj, int count, double alpha)
    {
        for (int c = 0; c < Rank; c++)
        {
            var f = factor.Slice(c * len, len);
            Blas.Scale((float)alpha, f);
            float inverseSigma = 1f / _sigma[c];
            for (int j = 0; j < count; j++) Blas.Axpy(proj[j * Rank + c] * inverseSigma, rows.Slice(j * len, len), f);
        }
    }

    // The factors and singular values (the next batch's warm start), the counter and the orthonormaliser's random stream.
    void IRuleState.WriteState(BinaryWriter w)
    {
        w.Write(RankOneWrites);
        RuleStateCodec.WriteFloats(w, _x, _d, _sigma);
        var (s0, s1, s2, s3) = _rng.State;
        w.Write(s0); w.Write(s1); w.Write(s2); w.Write(s3);
    }

    void IRuleState.ReadState(BinaryReader r)
    {
        long writes = RuleStateCodec.ReadCount(r);
        float[][] arrays = RuleStateCodec.ReadFloats(r, _x, _d, _sigma);
        var rng = (r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64());
        if (rng == (0UL, 0UL, 0UL, 0UL)) throw new InvalidDataException("the sbpca rule's random stream is all zero.");
        RankOneWrites = writes;
        RuleStateCodec.CopyTo(arrays, _x, _d, _sigma);
        _rng = Xoshiro256.FromState(rng);
    }
}

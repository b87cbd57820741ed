using SbeCore.Crossbar;
using SbeCore.Eigen;
using SbeCore.Kernels;

namespace SbeCore.Updates;

/// <summary>
/// LRT-r (low-rank training; Gural, Nadeau, Tikekar, Murmann, arXiv 2009.03887): the batch-mean gradient is kept as a
/// rank-r factorisation U diag(s) V^T (U, V orthonormal) that each sample updates with a small SVD: with
/// d = U p + rho_d u', x = V t + rho_x v', the sum plus d x^T / n is [U u'] K [V v']^T with
/// K = diag(s, 0) + [p; rho_d][t; rho_x]^T / n, and the (r + 1) x (r + 1) SVD of K gives the new factors, truncated
/// to the top r (deterministic truncation: the paper's biased variant; its unbiased stochastic "OK" truncation is not
/// implemented). O(r (a + b)) memory and O(r^2 (a + b)) work per sample; the batch writes W -= lr sum_c s_c U_c V_c^T
/// and starts the next one from zero.
/// </summary>
public sealed class LrtRule : IUpdateRule, IRuleState, ILayerLocalRule
{
    private readonly float[] _u, _v, _s, _uNew, _vNew, _d1, _x1;
    private readonly double[] _k, _p, _q, _sigma;
    private int _filled;

    /// <summary>Creates the rule for a rows x cols layer and rank r.</summary>
    public LrtRule(int rows, int cols, int rank = 1)
    {
        RuleGuards.CheckShape(rows, cols);
        RuleGuards.CheckRank(rank, rows, cols);
        if (rank > 64) throw new ArgumentException($"rank must be at most 64 for LRT's per-sample SVD (got {rank}).", nameof(rank));
        if ((long)(rank + 1) * ((long)rows + cols) * 2 > EstimatorOptions.MaxBufferFloats)
            throw new ArgumentException($"rank {rank} on {rows} x {cols} needs more than {EstimatorOptions.MaxBufferFloats} floats of state.", nameof(rank));
        Rows = rows; Cols = cols; Rank = rank;
        int q = rank + 1;
        _u = new float[rank * rows]; _v = new float[rank * cols]; _s = new float[rank];
        _uNew = new float[rank * rows]; _vNew = new float[rank * cols];
        _d1 = new float[rows]; _x1 = new float[cols];
        _k = new double[q * q]; _p = new double[q * q]; _q = new double[q * q]; _sigma = new double[q];
    }

    /// <summary>a.</summary>
    public int Rows { get; }
    /// <summary>b.</summary>
    public int Cols { get; }
    /// <summary>r.</summary>
    public int Rank { get; }
    /// <inheritdoc />
    public string Name => $"lrt-{Rank}";
    /// <inheritdoc />
    public long RankOneWrites { get; private set; }
    /// <summary>The factors with room for the incoming sample, (r + 1)(a + b) + r floats, and the (r + 1)^2 core: a
    /// peripheral rotates the factors in place, element by element (this software keeps a second copy to rotate into).</summary>
    public long PeripheralMemoryBytes => ((long)(Rank + 1) * (Rows + Cols) + Rank + (long)(Rank + 1) * (Rank + 1)) * sizeof(float);

    /// <summary>The last batch's singular values (descending).</summary>
    public ReadOnlySpan<float> LastS => _s;

    UpdateWork ILayerLocalRule.Work(int pairs, CrossbarTile tile) => new(UpdateWork.Streaming(pairs, Rank + 1, Rows, Cols), UpdateWork.Writes(Rank, tile));

    /// <inheritdoc />
    public void Apply(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate)
    {
        RuleGuards.CheckApply(tile, Rows, Cols, deltas, inputs, n, learningRate);
        if (n == 0) return;
        _filled = 0;
        _s.AsSpan().Clear();
        for (int j = 0; j < n; j++) Add(deltas.Slice(j * Rows, Rows), inputs.Slice(j * Cols, Cols), 1.0 / n);
        // Unused components have s = 0 and zero vectors: they write nothing but are counted as the rank-r write they are.
        tile.UpdateRankK(learningRate, _s, _u, _v);
        RankOneWrites += Rank;
    }

    // U diag(s) V^T += w d x^T, kept at rank r.
    private void Add(ReadOnlySpan<float> d, ReadOnlySpan<float> x, double w)
    {
        int r = _filled, q = r + 1;
        double rhoD = Complement(d, _u, r, Rows, _d1, _p);   // p in _p[0..r)
        double rhoX = Complement(x, _v, r, Cols, _x1, _q);   // t in _q[0..r)
        if (rhoD * rhoX == 0 && r == 0) return;                // a zero sample adds nothing
        Span<double> pd = stackalloc double[q], tx = stackalloc double[q];
        for (int c = 0; c < r; c++) { pd[c] = _p[c]; tx[c] = _q[c]; }
        pd[r] = rhoD; tx[r] = rhoX;
        for (int i = 0; i < q; i++)
            for (int j = 0; j < q; j++) _k[i * q + j] = (i == j && i < r ? _s[i] : 0) + w * pd[i] * tx[j];
        SmallDense.Svd(_k, q, _sigma, _p, _q);
        int keep = Math.Min(Rank, q);
        Rotate(_u, _d1, _p, r, q, keep, Rows, _uNew);
        Rotate(_v, _x1, _q, r, q, keep, Cols, _vNew);
        _uNew.AsSpan(0, keep * Rows).CopyTo(_u);
        _vNew.AsSpan(0, keep * Cols).CopyTo(_v);
        for (int c = 0; c < keep; c++) _s[c] = (float)_sigma[c];
        _filled = keep;
    }

    // Writes the coefficients of y on the r orthonormal columns of basis into coeffs (modified Gram-Schmidt: with an
    // orthonormal basis the coefficients on the partial remainders are those of y), the unit remainder into unit
    // (zero if none), and returns the remainder's norm.
    private static double Complement(ReadOnlySpan<float> y, ReadOnlySpan<float> basis, int r, int len, Span<float> unit, Span<double> coeffs)
    {
        y.CopyTo(unit);
        for (int c = 0; c < r; c++)
        {
            var b = basis.Slice(c * len, len);
            float dot = Blas.Dot(unit, b);
            coeffs[c] = dot;
            Blas.Axpy(-dot, b, unit);
        }
        double norm = Math.Sqrt(EstimatorKernels.SumSquares(unit));
        double size = Math.Sqrt(EstimatorKernels.SumSquares(y));
        if (!(norm > 1e-6 * size) || norm == 0) { unit.Clear(); return 0; }
        Blas.Scale((float)(1 / norm), unit);
        return norm;
    }

    // output_c = sum_{e < r} basis_e rot[e q + c] + extra rot[r q + c], for c < keep.
    private static void Rotate(ReadOnlySpan<float> basis, ReadOnlySpan<float> extra, ReadOnlySpan<double> rot, int r, int q, int keep, int len, Span<float> output)
    {
        for (int c = 0; c < keep; c++)
        {
            var o = output.Slice(c * len, len);
            o.Clear();
            for (int e = 0; e < r; e++) Blas.Axpy((float)rot[e * q + c], basis.Slice(e * len, len), o);
            Blas.Axpy((float)rot[r * q + c], extra, o);
        }
    }

    void IRuleState.WriteState(BinaryWriter w) => w.Write(RankOneWrites);
    void IRuleState.ReadState(BinaryReader r) => RankOneWrites = RuleStateCodec.ReadCount(r);
}

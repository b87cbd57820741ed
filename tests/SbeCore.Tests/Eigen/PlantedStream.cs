using MathNet.Numerics.LinearAlgebra;
using SbeCore.Numerics;

namespace SbeCore.Tests.Eigen;

/// <summary>
/// Synthetic (delta, x) streams whose batch-mean gradient has a planted low-rank structure:
/// delta_j = sum_c sqrt(sigma_c) z_jc u_c + noise, x_j = sum_c sqrt(sigma_c) z_jc v_c + noise with z ~ N(0,1),
/// so E[delta x^T] = sum_c sigma_c u_c v_c^T. The oracle is MathNet's dense SVD of the actual batch mean.
/// </summary>
internal sealed class PlantedStream
{
    private readonly float[][] _u, _v;
    private readonly double[] _sigma;
    private readonly double _noise;
    private Xoshiro256 _rng;

    public PlantedStream(int rows, int cols, double[] sigma, double noise, ulong seed)
    {
        Rows = rows; Cols = cols; _sigma = sigma; _noise = noise; _rng = new Xoshiro256(seed);
        _u = OrthonormalSet(rows, sigma.Length);
        _v = OrthonormalSet(cols, sigma.Length);
    }

    public int Rows { get; }
    public int Cols { get; }

    public void Next(int n, float[] deltas, float[] xs)
    {
        Span<double> z = stackalloc double[_sigma.Length];
        for (int j = 0; j < n; j++)
        {
            for (int c = 0; c < z.Length; c++) z[c] = _rng.NextGaussian();
            for (int i = 0; i < Rows; i++)
            {
                double acc = _noise * _rng.NextGaussian();
                for (int c = 0; c < z.Length; c++) acc += Math.Sqrt(_sigma[c]) * z[c] * _u[c][i];
                deltas[j * Rows + i] = (float)acc;
            }
            for (int i = 0; i < Cols; i++)
            {
                double acc = _noise * _rng.NextGaussian();
                for (int c = 0; c < z.Length; c++) acc += Math.Sqrt(_sigma[c]) * z[c] * _v[c][i];
                xs[j * Cols + i] = (float)acc;
            }
        }
    }

    private float[][] OrthonormalSet(int len, int k)
    {
        var m = Matrix<double>.Build.Dense(len, k, (_, _) => _rng.NextGaussian());
        var q = m.QR().Q;
        var result = new float[k][];
        for (int c = 0; c < k; c++) { result[c] = new float[len]; for (int i = 0; i < len; i++) result[c][i] = (float)q[i, c]; }
        return result;
    }
}

/// <summary>Dense-SVD oracle and small vector helpers for the tests.</summary>
internal static class Oracle
{
    public static Matrix<double> MeanGradient(float[] deltas, float[] xs, int n, int rows, int cols)
    {
        var m = Matrix<double>.Build.Dense(rows, cols);
        for (int j = 0; j < n; j++)
            for (int r = 0; r < rows; r++)
            {
                double dr = deltas[j * rows + r] / (double)n;
                for (int c = 0; c < cols; c++) m[r, c] += dr * xs[j * cols + c];
            }
        return m;
    }

    public static MathNet.Numerics.LinearAlgebra.Factorization.Svd<double> Svd(Matrix<double> m) => m.Svd(computeVectors: true);

    public static double Cosine(ReadOnlySpan<float> a, Vector<double> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += (double)a[i] * a[i]; nb += b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }

    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0; for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i]; return s;
    }

    /// <summary>Cosines of the principal angles between span(rows of a) (k x len, orthonormal) and the first k columns of q.</summary>
    public static double[] PrincipalCosines(ReadOnlySpan<float> a, int k, int len, Matrix<double> q)
    {
        var am = Matrix<double>.Build.Dense(len, k);
        for (int c = 0; c < k; c++) for (int i = 0; i < len; i++) am[i, c] = a[c * len + i];
        var cross = am.TransposeThisAndMultiply(q.SubMatrix(0, len, 0, k));
        return cross.Svd(false).S.ToArray();
    }
}

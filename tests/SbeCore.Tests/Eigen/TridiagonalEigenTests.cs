using MathNet.Numerics.LinearAlgebra;
using SbeCore.Eigen;
using SbeCore.Numerics;

namespace SbeCore.Tests.Eigen;

public class TridiagonalEigenTests
{
    internal static double[] Flatten(Matrix<double> m, int r)
    {
        var a = new double[r * r];
        for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) a[i * r + j] = m[i, j];
        return a;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(7, 3)]
    [InlineData(40, 5)]
    [InlineData(100, 100)]
    public void TopKMatchesMathNetAndVectorsAreEigenvectors(int r, int k)
    {
        var rng = new Xoshiro256((ulong)(r + 17));
        var m = Matrix<double>.Build.Dense(r, r, (_, _) => rng.NextGaussian());
        var sym = m + m.Transpose();
        var a = Flatten(sym, r);
        var copy = (double[])a.Clone();
        var values = new double[k]; var vectors = new double[k * r];
        new TridiagonalEigen().TopK(a, r, k, values, vectors);
        Assert.Equal(copy, a); // input untouched
        var expected = sym.Evd(Symmetricity.Symmetric).EigenValues.Select(e => e.Real).OrderByDescending(e => e).ToArray();
        AssertTopPairs(sym, expected, values, vectors, k, sym.L2Norm());
    }

    /// <summary>The top k values equal <paramref name="expected"/>, each vector is an eigenvector (residual), and the vectors
    /// are orthonormal; all relative to <paramref name="scale"/> (|sym|).</summary>
    internal static void AssertTopPairs(Matrix<double> sym, double[] expected, double[] values, double[] vectors, int k, double scale)
    {
        int r = sym.RowCount;
        for (int c = 0; c < k; c++)
        {
            Assert.Equal(expected[c], values[c], 1e-12 * scale);
            var vc = Vector<double>.Build.Dense(r, i => vectors[c * r + i]);
            Assert.True((sym * vc - values[c] * vc).L2Norm() < 1e-12 * scale, $"residual of pair {c}");
            for (int e = 0; e <= c; e++)
            {
                double dot = 0;
                for (int i = 0; i < r; i++) dot += vectors[e * r + i] * vectors[c * r + i];
                Assert.Equal(e == c ? 1.0 : 0.0, dot, 1e-13);
            }
        }
    }

    [Fact]
    public void RepeatedEigenvaluesGiveOrthonormalVectors()
    {
        // Q diag(5, 5, 5, 1, 0, 0) Q^T: a threefold top eigenvalue and a zero block (rank-deficient Gram matrices)
        const int r = 6, k = 4;
        var rng = new Xoshiro256(9);
        var q = Matrix<double>.Build.Dense(r, r, (_, _) => rng.NextGaussian()).QR().Q;
        var sym = q * Matrix<double>.Build.DiagonalOfDiagonalArray([5, 5, 5, 1, 0, 0]) * q.Transpose();
        sym = (sym + sym.Transpose()) / 2;
        var values = new double[k]; var vectors = new double[k * r];
        new TridiagonalEigen().TopK(Flatten(sym, r), r, k, values, vectors);
        double[] expected = [5, 5, 5, 1];
        for (int c = 0; c < k; c++)
        {
            Assert.Equal(expected[c], values[c], 1e-12);
            var vc = Vector<double>.Build.Dense(r, i => vectors[c * r + i]);
            Assert.True((sym * vc - values[c] * vc).L2Norm() < 1e-12);
            for (int e = 0; e <= c; e++)
            {
                double dot = 0;
                for (int i = 0; i < r; i++) dot += vectors[e * r + i] * vectors[c * r + i];
                Assert.Equal(e == c ? 1.0 : 0.0, dot, 1e-13);
            }
        }
    }

    [Fact]
    public void ZeroAndDiagonalMatricesGiveUnitVectors()
    {
        var values = new double[2]; var vectors = new double[6];
        new TridiagonalEigen().TopK(new double[9], 3, 2, values, vectors);
        Assert.Equal([0.0, 0.0], values);
        Assert.Equal([1.0, 0, 0, 0, 1, 0], vectors);
        new TridiagonalEigen().TopK([1, 0, 0, 0, 3, 0, 0, 0, 2], 3, 2, values, vectors);
        Assert.Equal([3.0, 2.0], values);
        Assert.Equal([0.0, 1, 0, 0, 0, 1], vectors.Select(Math.Abs).ToArray());
    }

    [Fact]
    public void ReusedSolverIsDeterministicAndAllocationFree()
    {
        const int r = 64, k = 2;
        var rng = new Xoshiro256(5);
        var m = Matrix<double>.Build.Dense(r, r, (_, _) => rng.NextGaussian());
        var a = Flatten(m * m.Transpose(), r);
        var solver = new TridiagonalEigen();
        var v1 = new double[k]; var x1 = new double[k * r]; var v2 = new double[k]; var x2 = new double[k * r];
        solver.TopK(a, r, k, v1, x1);
        SteadyState.AssertAllocatesNothing(() => solver.TopK(a, r, k, v2, x2));
        Assert.Equal(v1, v2); Assert.Equal(x1, x2);
    }
}

public class BatchSvdEigensolverTests
{
    [Theory]
    [InlineData(1e-3)]
    [InlineData(1e-6)]
    public void NearlyCollinearSamplesStillMatchTheDenseSvd(double spread)
    {
        // every x_j = x_0 + spread * noise: the thin QR cancels almost all of each column (the reorthogonalisation case)
        const int a = 12, b = 30, n = 10, k = 2;
        var (deltas, xs) = TestData.Gaussian(n, a, b, 31);
        for (int j = 1; j < n; j++)
            for (int i = 0; i < b; i++) xs[j * b + i] = (float)(xs[i] + spread * xs[j * b + i]);
        var (s, d, x) = TestData.Outputs(k, a, b);
        new BatchSvdSolver(a, b).TopK(deltas, xs, n, s, d, x);
        var svd = Oracle.Svd(Oracle.MeanGradient(deltas, xs, n, a, b));
        for (int c = 0; c < k; c++)
        {
            Assert.Equal(svd.S[c], s[c], 1e-5 * svd.S[0]);
            double gap = Math.Min(svd.S[c] - svd.S[c + 1], c > 0 ? svd.S[c - 1] - svd.S[c] : double.MaxValue) / svd.S[0];
            double tol = 1e-5 / Math.Max(gap, 1e-3);
            Assert.True(1 - Math.Abs(Oracle.Cosine(d.AsSpan(c * a, a), svd.U.Column(c))) < tol, $"pair {c} u");
            Assert.True(1 - Math.Abs(Oracle.Cosine(x.AsSpan(c * b, b), svd.VT.Row(c))) < tol, $"pair {c} v");
        }
        RankKTests.AssertOrthonormal(d, k, a);
        RankKTests.AssertOrthonormal(x, k, b);
    }
}

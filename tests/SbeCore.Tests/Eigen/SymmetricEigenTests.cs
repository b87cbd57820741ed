using MathNet.Numerics.LinearAlgebra;
using SbeCore.Eigen;
using SbeCore.Numerics;

namespace SbeCore.Tests.Eigen;

public class SymmetricEigenTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(40)]
    public void JacobiMatchesMathNetEigenvaluesAndReconstructs(int r)
    {
        var rng = new Xoshiro256((ulong)r);
        var m = Matrix<double>.Build.Dense(r, r, (_, _) => rng.NextGaussian());
        var sym = m + m.Transpose();
        sym[0, 0] = sym[r - 1, r - 1]; // a repeated diagonal entry (theta = 0 branch when r = 2)
        var a = new double[r * r]; var v = new double[r * r];
        for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) a[i * r + j] = sym[i, j];
        SymmetricEigen.Jacobi(a, v, r);
        var expected = sym.Evd(Symmetricity.Symmetric).EigenValues.Select(e => e.Real).OrderBy(e => e).ToArray();
        var actual = Enumerable.Range(0, r).Select(i => a[i * r + i]).OrderBy(e => e).ToArray();
        double scale = sym.L2Norm();
        for (int i = 0; i < r; i++) Assert.Equal(expected[i], actual[i], 1e-12 * scale);
        // V diag(lambda) V^T == A and V orthogonal
        var vm = Matrix<double>.Build.Dense(r, r, (i, j) => v[j * r + i]); // eigenvectors are the rows of v
        var lam = Matrix<double>.Build.DiagonalOfDiagonalArray(Enumerable.Range(0, r).Select(i => a[i * r + i]).ToArray());
        Assert.True((vm * lam * vm.Transpose() - sym).L2Norm() < 1e-12 * scale);
        Assert.True((vm.Transpose() * vm - Matrix<double>.Build.DenseIdentity(r)).L2Norm() < 1e-12);
    }

    [Fact]
    public void ZeroMatrixGivesIdentityVectors()
    {
        var a = new double[9]; var v = new double[9];
        SymmetricEigen.Jacobi(a, v, 3);
        Assert.Equal([1.0, 0, 0, 0, 1, 0, 0, 0, 1], v);
    }
}

using MathNet.Numerics.LinearAlgebra;
using SbeCore.Eigen;
using SbeCore.Numerics;

namespace SbeCore.Tests.Eigen;

/// <summary>The two routes inside TridiagonalEigen: bisection + inverse iteration for isolated top eigenvalues, tql2 for
/// clusters; each pinned by its spectrum and checked against the planted eigenpairs.</summary>
public class TridiagonalEigenPathTests
{
    [Theory]
    [InlineData(new double[] { 10, 5, 2, 1, 0.5, 0, 0, -3 }, 3, true)]               // top three well apart
    [InlineData(new double[] { 5, 5 - 1e-9, 5 - 1e-6, 1, 0.5, 0, 0, 0 }, 1, false)]  // nearly repeated top: tql2
    [InlineData(new double[] { 7, 3, 3, 1, 0, 0 }, 1, true)]                         // top isolated, repeated below it
    [InlineData(new double[] { 7, 3, 3, 1, 0, 0 }, 2, false)]                        // asking into the repeated pair
    [InlineData(new double[] { 4, 4 * (1 - 2e-3), 1, 0.5, 0.25, 0, 0, 0 }, 1, false)] // gap 2e-3 |T| < 1e-2 |T|
    public void PlantedSpectrumIsRecoveredOnEitherPath(double[] spectrum, int k, bool isolated)
    {
        int r = spectrum.Length;
        var rng = new Xoshiro256((ulong)(r * 31 + k));
        var q = Matrix<double>.Build.Dense(r, r, (_, _) => rng.NextGaussian()).QR().Q;
        var sym = q * Matrix<double>.Build.DiagonalOfDiagonalArray(spectrum) * q.Transpose();
        sym = (sym + sym.Transpose()) / 2;
        var a = TridiagonalEigenTests.Flatten(sym, r);
        var solver = new TridiagonalEigen();
        var values = new double[k]; var vectors = new double[k * r];
        solver.TopK(a, r, k, values, vectors);
        Assert.Equal(isolated, solver.LastWasIsolated);
        TridiagonalEigenTests.AssertTopPairs(sym, spectrum, values, vectors, k, spectrum.Max(Math.Abs));
    }
}

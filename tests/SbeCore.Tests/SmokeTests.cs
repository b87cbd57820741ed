using SbeCore.Kernels;

namespace SbeCore.Tests;

public class SmokeTests
{
    [Fact]
    public void DotOfOrthogonalVectorsIsZero() => Assert.Equal(0f, Blas.Dot([1f, 0f], [0f, 1f]));
}

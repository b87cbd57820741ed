using SbeCore.Kernels;

namespace SbeCore.Tests.Kernels;

public class FiniteScanTests
{
    private static bool AllFinite(Width w, ReadOnlySpan<float> x) => w switch
    {
        Width.V512 => Blas.AllFinite512(x), Width.V256 => Blas.AllFinite256(x), Width.V128 => Blas.AllFinite128(x), _ => Blas.AllFiniteScalar(x),
    };

    public static TheoryData<Width> Widths() => Paths.Supported();

    [Theory]
    [MemberData(nameof(Widths))]
    public void EveryLengthAndPositionOfNaNAndInfinityIsFound(Width width)
    {
        float[] bad = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];
        for (int n = 0; n <= 300; n++)
        {
            var x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (i % 7 - 3) * (float.MaxValue / 3); // large but finite, up to +-MaxValue
            Assert.True(AllFinite(width, x), $"n={n}: all finite");
            for (int p = 0; p < n; p++)
            {
                float keep = x[p];
                x[p] = bad[p % 3];
                Assert.False(AllFinite(width, x), $"n={n}: {x[p]} at {p} missed");
                x[p] = keep;
            }
        }
    }

    [Fact]
    public void PublicScanNamesTheFirstOffendingIndex()
    {
        var x = new float[100];
        Assert.Equal(-1, Blas.IndexOfNonFinite(x));
        x[70] = float.NegativeInfinity; x[90] = float.NaN;
        Assert.Equal(70, Blas.IndexOfNonFinite(x));
        Assert.Equal(-1, Blas.IndexOfNonFinite([]));
    }
}

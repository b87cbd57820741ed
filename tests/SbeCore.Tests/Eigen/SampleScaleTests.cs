using SbeCore.Kernels;
using SbeCore.Eigen;

namespace SbeCore.Tests.Eigen;

public class SampleScaleTests
{
    [Fact]
    public void MaxAbsIsExactAndFindsEveryNonFiniteAtEveryLengthAndPosition()
    {
        for (int n = 0; n <= 70; n++)
        {
            var v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (i % 3 == 0 ? -1 : 1) * (i + 0.5f) * 1e-3f;
            float expected = n == 0 ? 0 : v.Max(MathF.Abs);
            Assert.Equal(expected, SimdReduce.AbsMax(v));
            for (int i = 0; i < n; i++)
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -float.NaN })
                {
                    float keep = v[i]; v[i] = bad;
                    Assert.True(float.IsNaN(SimdReduce.AbsMax(v)), $"n {n}, {bad} at {i}");
                    v[i] = keep;
                }
        }
        Assert.Equal(float.Epsilon, SimdReduce.AbsMax([0f, -float.Epsilon, -0f]));
        Assert.Equal(float.MaxValue, SimdReduce.AbsMax([1f, -float.MaxValue]));
    }

    [Fact]
    public void CheckNamesTheParameterAndTheSample()
    {
        var ok = SampleScale.Check([1f, -3f], [0.25f], "delta", "x");
        Assert.Equal((3f, 0.25f), ok);
        Assert.Equal("xs", Assert.Throws<ArgumentException>(() => SampleScale.Check([1f], [float.NaN], "deltas", "xs", 4)).ParamName);
        var big = Assert.Throws<ArgumentException>(() => SampleScale.Check([1e30f], [1e10f], "deltas", "xs", 2));
        Assert.Contains("too large (sample 2)", big.Message);
        Assert.Equal("deltas", big.ParamName);
    }
}

using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Tests.Kernels;

/// <summary>SimdReduce.CountZeros (the I/O model's count of vectors that read zero): +0 and -0 count, NaN, subnormals and
/// everything else do not, at every length around the vector widths and at every width this process runs.</summary>
public class CountZerosTests
{
    [Fact]
    public void CountsPositiveAndNegativeZerosOnly()
    {
        var rng = new Xoshiro256(8);
        foreach (SimdWidth width in SimdDispatch.Available)
        {
            using var _ = SimdDispatch.Force(width);
            for (int length = 0; length <= 70; length++)
            {
                var v = new float[length];
                int expected = 0;
                for (int i = 0; i < length; i++)
                {
                    v[i] = (rng.NextUInt64() % 6) switch
                    {
                        0 => 0f, 1 => -0f, 2 => float.NaN, 3 => 1e-42f, 4 => -1e-42f, _ => (float)rng.NextDouble() + 0.5f,
                    };
                    if (v[i] == 0) expected++;
                }
                Assert.Equal(expected, SimdReduce.CountZeros(v));
            }
        }
    }
}

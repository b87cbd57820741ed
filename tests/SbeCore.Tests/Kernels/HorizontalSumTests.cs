using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Tests.Kernels;

/// <summary>The transposing 4-way reduction behind Gemv and BatchRead: SSE path, ARM64 faddp path or plain sums,
/// whichever this process takes (the DOTNET_EnableHWIntrinsic=0 rerun covers the plain one).</summary>
public class HorizontalSumTests
{
    private static float[] Lanes(int count, int seed)
    {
        var a = new float[count];
        for (int i = 0; i < count; i++) a[i] = (seed * 31 + i * 7) % 23 - 11; // small integers: every order sums exactly
        return a;
    }

    private static float Sum(float[] a) => a.Sum();

    [Fact]
    public void Sum4Of128BitVectorsGivesEachVectorsSumInOrder()
    {
        float[] a = Lanes(4, 1), b = Lanes(4, 2), c = Lanes(4, 3), d = Lanes(4, 4);
        Vector128<float> s = Simd128.Sum4(Vector128.Create(a), Vector128.Create(b), Vector128.Create(c), Vector128.Create(d));
        Assert.Equal(new[] { Sum(a), Sum(b), Sum(c), Sum(d) }, new[] { s[0], s[1], s[2], s[3] });
    }

    [Fact]
    public void Sum4Of256BitVectorsGivesEachVectorsSumInOrder()
    {
        float[] a = Lanes(8, 5), b = Lanes(8, 6), c = Lanes(8, 7), d = Lanes(8, 8);
        Vector128<float> s = Simd256.Sum4(Vector256.Create(a), Vector256.Create(b), Vector256.Create(c), Vector256.Create(d));
        Assert.Equal(new[] { Sum(a), Sum(b), Sum(c), Sum(d) }, new[] { s[0], s[1], s[2], s[3] });
    }

    [Fact]
    public void Sum4Of512BitVectorsGivesEachVectorsSumInOrder()
    {
        float[] a = Lanes(16, 9), b = Lanes(16, 10), c = Lanes(16, 11), d = Lanes(16, 12);
        Vector128<float> s = Simd512.Sum4(Vector512.Create(a), Vector512.Create(b), Vector512.Create(c), Vector512.Create(d));
        Assert.Equal(new[] { Sum(a), Sum(b), Sum(c), Sum(d) }, new[] { s[0], s[1], s[2], s[3] });
    }
}

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

    // Values over a wide range of magnitudes and both signs, so that any change in which lanes are added first shows in
    // the rounded sums.
    private static float[] Spread(int count, ulong seed)
    {
        var rng = new SbeCore.Numerics.Xoshiro256(seed);
        var a = new float[count];
        for (int i = 0; i < count; i++) a[i] = (float)((rng.NextDouble() - 0.5) * Math.Pow(2, (int)(rng.NextDouble() * 40) - 20));
        return a;
    }

    private static void AssertSameBits(Vector128<float> expected, Vector128<float> actual, string what)
    {
        for (int l = 0; l < 4; l++)
            Assert.True(Reference.SameBits(expected[l], actual[l]), $"{what} lane {l}: {actual[l]:R}, expected {expected[l]:R}");
    }

    // `count` vectors of spread values at each width (the 256- and 128-bit ones the first lanes of the 512-bit ones).
    private static (Vector512<float>[] V512, Vector256<float>[] V256, Vector128<float>[] V128) AtEveryWidth(int count, ulong seed)
    {
        var v = new float[count][];
        for (int k = 0; k < count; k++) v[k] = Spread(16, seed * (ulong)count + (ulong)k);
        return (v.Select(a => Vector512.Create(a)).ToArray(), v.Select(a => Vector256.Create(a.AsSpan(0, 8))).ToArray(),
                v.Select(a => Vector128.Create(a.AsSpan(0, 4))).ToArray());
    }

    [Fact]
    public void Sum2x4IsTwoSum4sBitForBitAtEveryWidth()
    {
        for (ulong seed = 1; seed <= 200; seed++)
        {
            var (x5, x2, x1) = AtEveryWidth(8, seed);
            (Vector128<float> a5, Vector128<float> b5) = Simd512.Sum2x4(x5[0], x5[1], x5[2], x5[3], x5[4], x5[5], x5[6], x5[7]);
            AssertSameBits(Simd512.Sum4(x5[0], x5[1], x5[2], x5[3]), a5, "512 A");
            AssertSameBits(Simd512.Sum4(x5[4], x5[5], x5[6], x5[7]), b5, "512 B");
            (Vector128<float> a2, Vector128<float> b2) = Simd256.Sum2x4(x2[0], x2[1], x2[2], x2[3], x2[4], x2[5], x2[6], x2[7]);
            AssertSameBits(Simd256.Sum4(x2[0], x2[1], x2[2], x2[3]), a2, "256 A");
            AssertSameBits(Simd256.Sum4(x2[4], x2[5], x2[6], x2[7]), b2, "256 B");
            (Vector128<float> a1, Vector128<float> b1) = Simd128.Sum2x4(x1[0], x1[1], x1[2], x1[3], x1[4], x1[5], x1[6], x1[7]);
            AssertSameBits(Simd128.Sum4(x1[0], x1[1], x1[2], x1[3]), a1, "128 A");
            AssertSameBits(Simd128.Sum4(x1[4], x1[5], x1[6], x1[7]), b1, "128 B");
        }
    }

    [Fact]
    public void FourSumsAreEachVectorsSumBitForBitAtEveryWidth()
    {
        for (ulong seed = 1; seed <= 200; seed++)
        {
            var (x5, x2, x1) = AtEveryWidth(4, seed);
            AssertSameBits(Vector128.Create(Simd512.Sum(x5[0]), Simd512.Sum(x5[1]), Simd512.Sum(x5[2]), Simd512.Sum(x5[3])),
                           Simd512.FourSums(x5[0], x5[1], x5[2], x5[3]), "512");
            AssertSameBits(Vector128.Create(Simd256.Sum(x2[0]), Simd256.Sum(x2[1]), Simd256.Sum(x2[2]), Simd256.Sum(x2[3])),
                           Simd256.FourSums(x2[0], x2[1], x2[2], x2[3]), "256");
            AssertSameBits(Vector128.Create(Simd128.Sum(x1[0]), Simd128.Sum(x1[1]), Simd128.Sum(x1[2]), Simd128.Sum(x1[3])),
                           Simd128.FourSums(x1[0], x1[1], x1[2], x1[3]), "128");
        }
    }
}

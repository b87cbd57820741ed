using SbeCore.Crossbar;

namespace SbeCore.Tests.Crossbar;

/// <summary>An ideal tile's rank-k write is one pass over W (Blas.RankK) with the bits of its k writes one by one, on any
/// number of threads, at every SIMD width (run with the width switches), counted as k rank-1 writes.</summary>
public class IdealRankKTests
{
    private static float[] Random(int length, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = ((float)rng.NextDouble() * 2 - 1) * scale;
        return a;
    }

    [Theory]
    [InlineData(6, 26, 100, 1)]
    [InlineData(16, 151, 7, 3)]
    [InlineData(100, 785, 64, 2)]
    [InlineData(1, 1, 5, 1)]
    [InlineData(33, 17, 2, 3)]
    public void OnePassGivesTheBitsOfTheWritesOneByOne(int rows, int cols, int k, int threads)
    {
        float[] w0 = Random(rows * cols, 1), d = Random(k * rows, 2, 0.1f), x = Random(k * cols, 3), s = Random(k, 4);
        s[0] = 0; // a zero term adds nothing either way
        var rankK = new CrossbarTile(rows, cols) { Threads = threads, MinMultiplyAddsPerThread = 1 };
        var oneByOne = new CrossbarTile(rows, cols);
        rankK.SetWeights(w0);
        oneByOne.SetWeights(w0);
        rankK.UpdateRankK(0.3f, s, d, x);
        for (int c = 0; c < k; c++) oneByOne.Update(0.3f * s[c], d.AsSpan(c * rows, rows), x.AsSpan(c * cols, cols));
        Assert.True(rankK.Weights.SequenceEqual(oneByOne.Weights));
        Assert.Equal(k, rankK.Counters.RankOneWrites);
        Assert.Equal(oneByOne.Counters.RankOneWrites, rankK.Counters.RankOneWrites);
    }
}

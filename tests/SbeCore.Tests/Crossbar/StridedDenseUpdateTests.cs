using SbeCore.Crossbar;
using SbeCore.Kernels;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

/// <summary>UpdateDense with g at a row stride (the mini-batch rule's aligned buffer) against the contiguous call.</summary>
public class StridedDenseUpdateTests
{
    public static TheoryData<string, int> Cases => new()
    {
        { "ideal", 5 }, { "ideal", 16 }, { "gokmenvlasov", 7 }, { "ecram", 16 }, { "reramsb", 9 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void StridedGUpdatesExactlyLikeTheSameGStoredContiguously(string preset, int stride)
    {
        const int rows = 4, cols = 5;
        var config = TileConfig.Preset(preset);
        var contiguous = new CrossbarTile(rows, cols, config, 3);
        var strided = new CrossbarTile(rows, cols, config, 3);
        var rng = new Xoshiro256(11);
        for (int step = 0; step < 4; step++)
        {
            float[] g = Uniform(ref rng, rows * cols, 3f);
            float[] padded = new float[(rows - 1) * stride + cols];
            Array.Fill(padded, float.NaN); // the gaps must not be read
            for (int r = 0; r < rows; r++) g.AsSpan(r * cols, cols).CopyTo(padded.AsSpan(r * stride));
            contiguous.UpdateDense(0.05f, g, 2);
            strided.UpdateDense(0.05f, padded, stride, 2);
        }
        Assert.Equal(contiguous.Weights.ToArray(), strided.Weights.ToArray());
        Assert.Equal(contiguous.Counters.PulsesPerDevice.ToArray(), strided.Counters.PulsesPerDevice.ToArray());
        Assert.Equal(contiguous.Counters.RankOneWrites, strided.Counters.RankOneWrites);
        if (preset != "ideal") Assert.True(strided.Counters.TotalPulses > 0, "the pulsed path ran");
    }

    [Fact]
    public void ANonFiniteElementIsReportedAtItsIndexInTheStridedSpan()
    {
        var tile = new CrossbarTile(3, 2, null, 1);
        float[] g = new float[2 * 16 + 2];
        g[16 + 1] = float.NegativeInfinity;                    // row 1, column 1
        var e = Assert.Throws<ArgumentException>(() => tile.UpdateDense(0.1f, g, 16, 1));
        Assert.Equal("g", e.ParamName);
        Assert.Contains("g[17]", e.Message);
        Assert.All(tile.Weights.ToArray(), w => Assert.Equal(0f, w));
        Assert.Equal(0, tile.Counters.RankOneWrites);
    }

    [Fact]
    public void AnAlignedMatrixBufferFeedsTheTileDirectly()
    {
        var g = new AlignedMatrix(3, 5);
        for (int r = 0; r < 3; r++) for (int j = 0; j < 5; j++) g.Row(r)[j] = r - j;
        var tile = new CrossbarTile(3, 5, null, 1);
        tile.UpdateDense(0.5f, g.Span, g.Stride, 1);
        for (int r = 0; r < 3; r++)
            for (int j = 0; j < 5; j++) Assert.Equal(-0.5f * (r - j), tile.Weights[r * 5 + j]);
    }
}

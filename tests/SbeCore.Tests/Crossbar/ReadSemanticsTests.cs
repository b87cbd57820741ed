using SbeCore.Crossbar;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

/// <summary>I/O semantics beyond the aihwkit fixtures (Fidelity/IoFidelityTests): SbeCore's explicit options and edge cases.</summary>
public class ReadSemanticsTests
{
    private const int Rows = 6, Cols = 9;

    private static (CrossbarTile Tile, CrossbarTile Transposed) Pair(IOConfig io, float weightScale)
    {
        var rng = new Xoshiro256(11);
        var w = Uniform(ref rng, Rows * Cols, weightScale);
        var wt = new float[Cols * Rows];
        for (int r = 0; r < Rows; r++) for (int c = 0; c < Cols; c++) wt[c * Rows + r] = w[r * Cols + c];
        var tile = new CrossbarTile(Rows, Cols, new TileConfig { Forward = io, Backward = io }, 1);
        var transposed = new CrossbarTile(Cols, Rows, new TileConfig { Forward = io, Backward = io }, 1);
        tile.SetWeights(w); transposed.SetWeights(wt);
        return (tile, transposed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BackwardReadIsAForwardReadOfTheTransposeExceptForBoundManagement(bool backwardBm)
    {
        // Noise-free, outputs far beyond out_bound, so bound management matters. No ADC quantisation: the transposed and
        // plain kernels may sum in different orders, which must not move an output to another ADC level here.
        var io = new IOConfig { OutNoise = 0, OutRes = 0, OutBound = 0.5f, BackwardBoundManagement = backwardBm };
        var (tile, transposed) = Pair(io, 1f);
        var rng = new Xoshiro256(3);
        var e = Uniform(ref rng, 4 * Rows);
        var z = new float[4 * Cols]; var zf = new float[4 * Cols];
        tile.ReadTransposed(e, 4, z);
        transposed.Read(e, 4, zf);
        if (backwardBm) Close(zf, z); // the same arithmetic as a forward read with bound management
        else
        {
            // aihwkit: backward without bound management, i.e. a forward read of W^T with BoundManagement None.
            var (_, plain) = Pair(io with { BoundManagement = BoundManagement.None }, 1f);
            var zn = new float[4 * Cols];
            plain.Read(e, 4, zn);
            Close(zn, z);
            Assert.True(zf.Zip(z).Any(p => MathF.Abs(p.First - p.Second) > 1e-3f), "bound management should change some outputs");
        }
    }

    private static void Close(float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
    }

    [Fact]
    public void ZeroInputReadsZeroUnlessForwardInputNoise()
    {
        var io = new IOConfig { OutNoise = 0, InpNoise = 0.1f, InpRes = 0, OutRes = 0 };
        var (tile, _) = Pair(io, 0.5f);
        var y = new float[Rows]; var z = new float[Cols];
        tile.Read(new float[Cols], 1, y);
        tile.ReadTransposed(new float[Rows], 1, z);
        Assert.Contains(y, v => v != 0); // aihwkit: forward skips the zero short-cut when inp_noise > 0
        Assert.All(z, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ResolutionAboveOneIsANumberOfStates()
    {
        Assert.Equal(AnalogReader.Step(1f / 127f, 1f), AnalogReader.Step(127f, 1f), 7);
        Assert.Equal(0f, AnalogReader.Step(-1f, 1f));
        Assert.Equal(0f, AnalogReader.Step(0f, 1f));
        Assert.Equal(2f / 126f * 3f, AnalogReader.Step(1f / 126f, 3f), 7);
    }

    [Fact]
    public void AnInputWhoseNoiseManagementScaleOverflowsReadsZeroBothWays()
    {
        // Every element subnormal: 1 / max|x| is +inf. aihwkit's forward returns 0 there, its backward NaN; both read 0 here.
        var (tile, _) = Pair(new IOConfig(), 0.5f);
        var x = new float[Cols]; var d = new float[Rows];
        for (int i = 0; i < Cols; i++) x[i] = i == 1 ? 0f : (i % 2 == 0 ? 1 : -1) * 1e-39f; // 0 x inf is NaN
        for (int i = 0; i < Rows; i++) d[i] = (i % 3 == 0 ? 0 : 2e-39f);
        var y = new float[Rows]; var z = new float[Cols];
        y.AsSpan().Fill(7f); z.AsSpan().Fill(7f);
        tile.Read(x, 1, y);
        tile.ReadTransposed(d, 1, z);
        Assert.All(y, v => Assert.Equal(0f, v));
        Assert.All(z, v => Assert.Equal(0f, v));

        // The smallest input whose scale is finite still reads through the DAC (not zero).
        x[0] = 1f / float.MaxValue * 1.01f;
        tile.Read(x, 1, y);
        Assert.Contains(y, v => v != 0f && float.IsFinite(v));
    }
}

using SbeCore.Crossbar;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

/// <summary>A read through an I/O model with noise management checks its inputs by the noise-management maxima it takes
/// anyway (one scan), one without by a scan of its own: a NaN or an infinity anywhere in the batch, in any of the four
/// read layouts, is refused with the element named in the caller's layout, before any output is written or the read's
/// noise is consumed (the next read gives a twin's bits).</summary>
public class ReadRejectionTests
{
    public static TheoryData<string, int, float, bool> Cases()
    {
        var data = new TheoryData<string, int, float, bool>();
        foreach (string read in new[] { "Read", "ReadTransposed", "ReadColumns", "ReadTransposedColumns" })
            foreach (int at in new[] { 0, 77, 599 })
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                    foreach (bool management in new[] { true, false })
                        data.Add(read, at, bad, management);
        return data;
    }

    // n = 20 samples of 3 positions: 60 vectors of 10 inputs (forward) or 10 errors (backward, a 10 x 10 tile).
    private static void Run(CrossbarTile tile, string read, float[] input, float[] output)
    {
        switch (read)
        {
            case "Read": tile.Read(input, 60, output); break;
            case "ReadTransposed": tile.ReadTransposed(input, 60, output); break;
            case "ReadColumns": tile.ReadColumns(input, 20, 3, output); break;
            default: tile.ReadTransposedColumns(input, 20, 3, output); break;
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void ANonFiniteInputIsNamedAndTheReadLeavesNoTrace(string read, int at, float bad, bool management)
    {
        // Without noise management the reader takes no maxima: the inputs are scanned for finiteness on their own.
        var io = new IOConfig { InpNoise = 0.01f, NoiseManagement = management ? NoiseManagement.AbsMax : NoiseManagement.None };
        var config = new TileConfig { Forward = io, Backward = io };
        var rng = new Xoshiro256(4);
        var w = Uniform(ref rng, 100, 0.5f);
        var good = Uniform(ref rng, 600, 1f);
        var tile = new CrossbarTile(10, 10, config, 9);
        var twin = new CrossbarTile(10, 10, config, 9);
        tile.SetWeights(w); twin.SetWeights(w);
        var output = new float[600];
        output.AsSpan().Fill(7f);
        var input = (float[])good.Clone();
        input[at] = bad;
        var e = Assert.Throws<ArgumentException>(() => Run(tile, read, input, output));
        Assert.Contains($"[{at}]", e.Message);
        Assert.All(output, v => Assert.Equal(7f, v));
        var expected = new float[600];
        Run(twin, read, good, expected);
        Run(tile, read, good, output);
        Assert.Equal(expected, output);
    }
}

using SbeCore.Crossbar;
using SbeCore.Kernels;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

/// <summary>A read through the I/O model gives the same bits at every SIMD width: its per-vector steps run at the width
/// each side's length picks (AnalogReader.Converters.cs), and shapes where the two sides pick different widths, with
/// bound management reading vectors again, are where a step could run at the other side's width.</summary>
public class ReadWidthTests
{
    [Theory]
    [InlineData(9, 6, 0.5f, true)]   // outputs at 8 lanes, inputs at 4; most vectors hit the bound and are read again
    [InlineData(6, 9, 0.5f, true)]
    [InlineData(33, 5, 1f, true)]
    [InlineData(3, 70, 2f, true)]    // outputs below one vector: the scalar steps
    [InlineData(6, 26, 12f, false)]  // LeNet-5's first layer, aihwkit's default bound
    [InlineData(130, 17, 3f, true)]  // outputs in several runs of buffered noise
    public void EveryWidthReadsTheSameBits(int rows, int cols, float outBound, bool hitsTheBound)
    {
        var io = new IOConfig { OutBound = outBound, OutNoise = 0.06f, InpNoise = 0.01f, BackwardBoundManagement = true };
        var rng = new Xoshiro256(7);
        var w = Uniform(ref rng, rows * cols, 0.7f);
        const int n = 40;
        var x = Uniform(ref rng, n * cols, 1f);
        var d = Uniform(ref rng, n * rows, 1f);
        for (int i = 0; i < x.Length; i += 9) x[i] = 0;
        (float[] Y, float[] Z) Read(SimdWidth width)
        {
            using var _ = SimdDispatch.Force(width);
            var tile = new CrossbarTile(rows, cols, new TileConfig { Forward = io, Backward = io }, 3);
            tile.SetWeights(w);
            var y = new float[n * rows]; var z = new float[n * cols];
            tile.Read(x, n, y);
            tile.ReadTransposed(d, n, z);
            return (y, z);
        }
        var (y0, z0) = Read(SimdWidth.Scalar);
        if (hitsTheBound) Assert.Contains(y0, v => MathF.Abs(v) >= outBound * 0.5f); // bound management had work to do
        foreach (SimdWidth width in SimdDispatch.Available)
        {
            var (y, z) = Read(width);
            Assert.True(y0.AsSpan().SequenceEqual(y), $"forward at {width}");
            Assert.True(z0.AsSpan().SequenceEqual(z), $"backward at {width}");
        }
    }
}

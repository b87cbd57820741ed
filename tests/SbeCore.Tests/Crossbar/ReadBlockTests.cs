using SbeCore.Crossbar;
using SbeCore.Kernels;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Crossbar;

/// <summary>Short vectors go through the I/O model a group at a time (AnalogReader.Blocks.cs) and a chunk of groups
/// through all its steps at a time: the same bits as one
/// vector at a time, with vectors that read zero (they draw nothing) inside groups, input noise, bound management that
/// reads vectors again from the middle of a group, a group split over threads, and at every SIMD width.</summary>
public class ReadBlockTests
{
    public static TheoryData<int, int, string> Cases()
    {
        var data = new TheoryData<int, int, string>();
        foreach (var (rows, cols) in new[] { (6, 26), (26, 6), (9, 6), (3, 70), (130, 17), (16, 151) })
            foreach (string config in new[] { "default", "input-noise", "tight-bound", "tight-bound-negative", "no-management", "no-quantisation", "nm-threshold", "weight-noise" })
                data.Add(rows, cols, config);
        return data;
    }

    private static IOConfig Config(string name) => name switch
    {
        "default" => new IOConfig(),
        "input-noise" => new IOConfig { InpNoise = 0.02f },
        "tight-bound" => new IOConfig { OutBound = 0.6f, InpNoise = 0.01f, BackwardBoundManagement = true },
        "tight-bound-negative" => new IOConfig { OutBound = 0.5f, BmTestNegativeBound = true, BackwardBoundManagement = true },
        "no-management" => new IOConfig { NoiseManagement = NoiseManagement.None, BoundManagement = BoundManagement.None, OutBound = 3f },
        "no-quantisation" => new IOConfig { InpRes = -1f, OutRes = -1f, OutNoise = 0f },
        "nm-threshold" => new IOConfig { NmThres = 0.3f, InpNoise = 0.05f },
        "weight-noise" => new IOConfig { WNoise = 0.02f },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory, MemberData(nameof(Cases))]
    public void GroupsReadTheBitsOfVectorsOneByOne(int rows, int cols, string config)
    {
        var io = Config(config);
        var rng = new Xoshiro256(11);
        var w = Uniform(ref rng, rows * cols, 0.7f);
        const int n = 700; // several groups, the last one partial
        var x = Uniform(ref rng, n * cols, 1f);
        var d = Uniform(ref rng, n * rows, 1f);
        // Whole vectors of zeros (they read zero and draw nothing), alone and in runs, tiny ones and subnormal ones.
        for (int j = 0; j < n; j += 7) x.AsSpan(j * cols, cols).Clear();
        for (int j = 0; j < n; j++) if (j % 4 != 1) d.AsSpan(j * rows, rows).Clear();
        for (int j = 3; j < n; j += 50) x.AsSpan(j * cols, cols).Fill(1e-30f);
        for (int j = 5; j < n; j += 61) x.AsSpan(j * cols, cols).Fill(-1e-39f); // subnormal: 1 / max|x| overflows, reads zero
        for (int j = 9; j < n; j += 40) d.AsSpan(j * rows, rows).Fill(2e-39f);
        (float[] Y, float[] Z) Read(int blockMaxLength, int threads, int chunkBytes)
        {
            var tile = new CrossbarTile(rows, cols, new TileConfig { Forward = io, Backward = io }, 3)
            {
                ReadBlockMaxLength = blockMaxLength, Threads = threads, MinMultiplyAddsPerThread = 1, ReadChunkBytes = chunkBytes,
            };
            tile.SetWeights(w);
            var y = new float[n * rows]; var z = new float[n * cols];
            for (int read = 0; read < 2; read++) { tile.Read(x, n, y); tile.ReadTransposed(d, n, z); }
            return (y, z);
        }
        foreach (SimdWidth width in SimdDispatch.Available)
        {
            // The matrix product's sums depend on the width, so each width has its own reference.
            using var _ = SimdDispatch.Force(width);
            var (y0, z0) = Read(0, 1, int.MaxValue); // the whole batch through each step at once
            if (config.StartsWith("tight-bound")) Assert.Contains(y0, v => MathF.Abs(v) >= io.OutBound * 0.5f); // vectors were read again
            Assert.Contains(z0, v => v != 0);
            // Chunks of one group (1 byte), of the default size, and the whole batch; each on 1 and 2 threads.
            foreach (int chunkBytes in new[] { 1, AnalogReader.DefaultChunkBytes, int.MaxValue })
                foreach (int threads in new[] { 1, 2 })
                {
                    var (y, z) = Read(AnalogReader.DefaultBlockMaxLength, threads, chunkBytes);
                    string at = $"{rows}x{cols} {config} at {width}, {threads} threads, chunks of {chunkBytes} bytes";
                    Assert.True(y0.AsSpan().SequenceEqual(y), "forward " + at);
                    Assert.True(z0.AsSpan().SequenceEqual(z), "backward " + at);
                }
        }
    }

    [Fact]
    public void DrawingGaussiansInAnyRunsGivesTheValuesOfOneByOne()
    {
        // Runs below a block, across blocks, filling the buffer, longer than one fill (whole blocks go straight to the
        // destination), and after a partly used buffer.
        int[] runs = [1, 63, 64, 65, 2048, 2049, 5000, 3, 130, 4096, 7];
        var oneByOne = RandomStream.Keyed(5, 6);
        var inRuns = RandomStream.Keyed(5, 6);
        foreach (uint line in new uint[] { 3, 4 })
        {
            oneByOne.Seek(line, 9, 100, 0); inRuns.Seek(line, 9, 100, 0);
            foreach (int run in runs)
            {
                var values = new float[run];
                inRuns.DrawGaussians(values);
                for (int i = 0; i < run; i++) Assert.Equal(oneByOne.NextGaussian(), values[i]);
            }
            Assert.Equal(oneByOne.GaussiansDrawn, inRuns.GaussiansDrawn);
        }
    }

    [Fact]
    public void SkippingGaussiansLandsWhereDrawingThemWould()
    {
        foreach (int skip in new[] { 0, 1, 63, 64, 65, 1000, 3000 })
        {
            var drawn = RandomStream.Keyed(5, 6);
            var skipped = RandomStream.Keyed(5, 6);
            drawn.Seek(3, 9, 100, 0); skipped.Seek(3, 9, 100, 0);
            var values = new float[skip + 20];
            drawn.DrawGaussians(values);
            skipped.SkipGaussians(skip);
            for (int i = skip; i < values.Length; i++) Assert.Equal(values[i], skipped.NextGaussian());
        }
    }
}

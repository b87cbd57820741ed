using SbeCore.Crossbar;
using SbeCore.Kernels;
using SbeCore.Numerics;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Kernels;

/// <summary>
/// Reads (by rows, columns or inputs), the rank-k update and the scaled add split over 2, 3 and 5 threads give the single-thread kernels' bits at every
/// width and at shapes whose blocks end off the register tiles (odd rows, columns short of a vector, a short last block),
/// and really run on the workers when the work is large enough.
/// </summary>
public class ParallelKernelsTests
{
    public static TheoryData<Width> Widths() => OperatorLayerWidthTests.Widths();

    private static readonly (int Rows, int Cols, int N)[] Shapes =
    [
        (16, 64, 1), (33, 17, 5), (37, 130, 4), (100, 785, 7), (130, 129, 9), (257, 200, 3), (64, 1030, 2), (20, 8, 6),
        (6, 26, 70), (10, 101, 37), // too few rows or columns to split: by blocks of 16 inputs
    ];

    private static float[] Random(int length, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var v = new float[length];
        rng.FillGaussian(v);
        return v;
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"{what}: element {i}: {expected[i]} vs {actual[i]}");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SplitReadsAndUpdatesGiveTheSingleThreadBits(Width width)
    {
        var kernels = new ParallelKernels { MinWorkPerThread = 1 };
        using var forced = SimdDispatch.Force((SimdWidth)(int)width);
        foreach (var (rows, cols, n) in Shapes)
        {
            int stride = cols + 3;
            float[] w = Random(rows * stride, (ulong)(rows * 7 + cols));
            float[] x = Random(n * cols, 11), d = Random(n * rows, 12), s = Random(n, 13);
            float[] g = Random(rows * cols, 14);
            float[] y1 = new float[n * rows + 1], z1 = new float[n * cols + 1], w1 = (float[])w.Clone(), a1 = (float[])w.Clone();
            Blas.BatchRead(w, rows, cols, stride, x, n, y1);
            Blas.BatchReadTransposed(w, rows, cols, stride, d, n, z1);
            Blas.RankK(d, s, x, w1, rows, cols, stride);
            for (int r = 0; r < rows; r++) Blas.Axpy(-0.25f, g.AsSpan(r * cols, cols), a1.AsSpan(r * stride, cols));
            foreach (int threads in new[] { 2, 3, 5 })
            {
                string at = $"{rows}x{cols}, n {n}, {threads} threads";
                float[] y = new float[n * rows + 1], z = new float[n * cols + 1], wk = (float[])w.Clone(), ak = (float[])w.Clone();
                y[^1] = z[^1] = 7f; y1[^1] = z1[^1] = 7f;
                kernels.BatchRead(w, rows, cols, stride, x, n, y, threads);
                if (rows < 2 * ParallelKernels.RowQuantum && n >= 2 * ParallelKernels.SampleQuantum) Assert.True(kernels.LastParts > 1, "split by inputs: " + at);
                kernels.BatchReadTransposed(w, rows, cols, stride, d, n, z, threads);
                if (cols < 2 * ParallelKernels.ColumnQuantum && n >= 2 * ParallelKernels.SampleQuantum) Assert.True(kernels.LastParts > 1, "transposed, split by inputs: " + at);
                kernels.RankK(d, s, x, wk, rows, cols, stride, threads);
                kernels.AddScaled(-0.25f, g, cols, ak, rows, cols, stride, threads);
                AssertBits(y1, y, "read " + at);
                AssertBits(z1, z, "transposed read " + at);
                AssertBits(w1, wk, "rank-k " + at);
                AssertBits(a1, ak, "scaled add " + at);
            }
        }
    }

    [Fact]
    public void LargeWorkRunsOnTheWorkersAndSmallWorkStaysOnTheCaller()
    {
        var pool = new WorkerPool(); // its own workers: no other test's job holds them
        var kernels = new ParallelKernels(pool);
        const int rows = 512, cols = 512, n = 64; // 16.8M multiply-adds: past the threshold for 2 threads
        float[] w = Random(rows * cols, 1), x = Random(n * cols, 2), y = new float[n * rows];
        kernels.BatchRead(w, rows, cols, cols, x.AsSpan(0, 8 * cols), 8, y, threads: 2); // 2.1M: below one thread's share
        Assert.Equal(1, kernels.LastParts);
        Assert.Equal(0, pool.PartsOnWorkers);
        kernels.BatchRead(w, rows, cols, cols, x, n, y, threads: 2);
        Assert.Equal(2, kernels.LastParts);
        Assert.Equal(1, pool.PartsOnWorkers);
    }

    [Fact]
    public void SplitReadsAllocateNothing()
    {
        var kernels = new ParallelKernels { MinWorkPerThread = 1 }; // split these mid-sized calls
        const int rows = 256, cols = 512, n = 16;
        float[] w = Random(rows * cols, 1), x = Random(n * cols, 2), d = Random(n * rows, 3), y = new float[n * rows], z = new float[n * cols];
        float[] s = Random(n, 4);
        for (int warm = 0; warm < 3; warm++)
        {
            kernels.BatchRead(w, rows, cols, cols, x, n, y, 2);
            kernels.BatchReadTransposed(w, rows, cols, cols, d, n, z, 2);
            kernels.RankK(d, s, x, w, rows, cols, cols, 2);
        }
        long workers = kernels.WorkerAllocatedBytes;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            kernels.BatchRead(w, rows, cols, cols, x, n, y, 2);
            kernels.BatchReadTransposed(w, rows, cols, cols, d, n, z, 2);
            kernels.RankK(d, s, x, w, rows, cols, cols, 2);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(workers, kernels.WorkerAllocatedBytes);
    }

    [Fact]
    public void SplitIoReadsAndMiniBatchUpdatesAllocateNothing()
    {
        const int rows = 130, cols = 300, n = 40;
        var tile = new CrossbarTile(rows, cols, TileConfig.GokmenVlasov(), seed: 3) { Threads = 2, MinMultiplyAddsPerThread = 1 };
        var rule = new MiniBatchRule(rows, cols);
        float[] x = Random(n * cols, 5), d = Random(n * rows, 6), y = new float[n * rows], z = new float[n * cols];
        for (int i = 0; i < d.Length; i++) d[i] *= 1e-3f;
        void Run()
        {
            tile.Read(x, n, y);
            tile.ReadTransposed(d, n, z);
            rule.Apply(tile, d, x, n, 0.01f);
        }
        Run();
        long workers = tile.WorkerAllocatedBytes;
        SteadyState.AssertAllocatesNothing(Run);
        Assert.Equal(workers, tile.WorkerAllocatedBytes);
    }

    [Fact]
    public void SplitColumnReadsAllocateNothing()
    {
        const int rows = 16, cols = 151, p = 100, n = 8;
        var tile = new CrossbarTile(rows, cols, seed: 3) { Threads = 2, MinMultiplyAddsPerThread = 1 };
        float[] x = Random(n * cols * p, 7), d = Random(n * rows * p, 8), y = new float[n * rows * p], z = new float[n * cols * p];
        void Run()
        {
            tile.ReadColumns(x, n, p, y);
            tile.ReadTransposedColumns(d, n, p, z);
        }
        Run();
        Assert.Equal(2, tile.Threaded.LastParts); // the samples did split
        long workers = tile.WorkerAllocatedBytes;
        SteadyState.AssertAllocatesNothing(Run);
        Assert.Equal(workers, tile.WorkerAllocatedBytes);
    }

    // 130 x 300 with 40 inputs: 3 groups of 16 (the last one short); 6 x 26 with 500 inputs: read-noise groups of 160
    // inputs (short vectors), 4 groups.
    [Theory]
    [InlineData("ideal", 130, 300, 40)]
    [InlineData("io", 130, 300, 40)]
    [InlineData("io", 6, 26, 500)]
    public void TileReadsOnThreeThreadsEqualOne(string config, int rows, int cols, int n)
    {
        TileConfig tc = config == "ideal" ? new TileConfig() : TileConfig.GokmenVlasov();
        float[] x = Random(n * cols, 5), d = Random(n * rows, 6), weights = Random(rows * cols, 7);
        // Weights of one sign in the even rows and positive inputs in every other sample: those outputs pass the ADC's
        // bound, so bound management reads them again (more draws from their group's line).
        for (int i = 0; i < weights.Length; i++) weights[i] = (i / cols) % 2 == 0 ? 0.3f * MathF.Abs(weights[i]) : 0.2f * weights[i];
        for (int j = 0; j < n; j += 2) for (int c = 0; c < cols; c++) x[j * cols + c] = MathF.Abs(x[j * cols + c]);
        float[] Read(int threads, bool transposed)
        {
            var tile = new CrossbarTile(rows, cols, tc, seed: 9) { Threads = threads };
            tile.SetWeights(weights);
            tile.MinMultiplyAddsPerThread = 1;
            var outputs = new float[n * (transposed ? cols : rows)];
            for (int r = 0; r < 2; r++) // the second read draws new noise
                if (transposed) tile.ReadTransposed(d, n, outputs); else tile.Read(x, n, outputs);
            return outputs;
        }
        float[] forward = Read(1, false);
        AssertBits(forward, Read(3, false), config + " forward");
        if (config == "io" && cols >= 100) // (26 inputs within the device's bounds cannot reach the ADC's bound)
        {
            // Bound management did read some vectors again: without it those outputs stay clipped.
            var unmanaged = new CrossbarTile(rows, cols, tc with { Forward = tc.Forward with { BoundManagement = BoundManagement.None } }, seed: 9);
            unmanaged.SetWeights(weights);
            var clipped = new float[n * rows];
            for (int r = 0; r < 2; r++) unmanaged.Read(x, n, clipped);
            Assert.False(forward.AsSpan().SequenceEqual(clipped), "bound management changed nothing");
        }
        AssertBits(Read(1, true), Read(3, true), config + " backward");
        if (config != "io") return;
        var noisy = new CrossbarTile(rows, cols, tc, seed: 9) { Threads = 3, MinMultiplyAddsPerThread = 1 };
        noisy.SetWeights(weights);
        float[] first = new float[n * rows], second = new float[n * rows];
        noisy.Read(x, n, first);
        noisy.Read(x, n, second);
        Assert.False(first.AsSpan().SequenceEqual(second), "each read draws its own noise");
    }

    [Fact]
    public void MiniBatchTrainingOnTwoThreadsIsBitIdenticalToOne()
    {
        float[] Train(int threads)
        {
            var net = new Network(new NetworkOptions { LayerSizes = [300, 200, 10], Method = UpdateMethod.MiniBatch, Seed = 4, Threads = threads });
            for (int l = 0; l < net.LayerCount; l++) net.GetTile(l).MinMultiplyAddsPerThread = 1;
            var rng = new Xoshiro256(8);
            var inputs = new float[64 * 300];
            var labels = new int[64];
            for (int step = 0; step < 3; step++)
            {
                rng.FillGaussian(inputs);
                for (int j = 0; j < labels.Length; j++) labels[j] = (int)(rng.NextDouble() * 10);
                net.TrainBatch(inputs, labels, 0.1f);
            }
            return [.. net.GetTile(0).Weights, .. net.GetTile(1).Weights];
        }
        AssertBits(Train(1), Train(2), "minibatch weights");
    }

    [Theory]
    [InlineData(UpdateMethod.MiniBatch)]
    [InlineData(UpdateMethod.Sbe)]
    public void TwoThreadTrainingStepsOnAPulsedNoisyDeviceAllocateNothing(UpdateMethod method)
    {
        var net = new Network(new NetworkOptions
        {
            LayerSizes = [300, 200, 10], Method = method, Seed = 4, Threads = 2, TileConfig = TileConfig.GokmenVlasov(),
        });
        for (int l = 0; l < net.LayerCount; l++) { net.GetTile(l).MinMultiplyAddsPerThread = 1; net.GetTile(l).MinVisitsPerThread = 0; }
        var rng = new Xoshiro256(8);
        var inputs = new float[64 * 300];
        var labels = new int[64];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)rng.NextDouble();
        for (int j = 0; j < labels.Length; j++) labels[j] = j % 10;
        long WorkerBytes() { long b = 0; for (int l = 0; l < net.LayerCount; l++) b += net.GetTile(l).WorkerAllocatedBytes; return b; }
        // Scratch grows to the largest pulse train seen, so a window counts as steady once neither the caller nor a
        // worker allocated in it (the quietest of a few, as SteadyState measures the caller).
        var runs = new List<string>();
        bool quiet = false;
        for (int attempt = 0; attempt < 6 && !quiet; attempt++)
        {
            long workers = WorkerBytes(), caller = GC.GetAllocatedBytesForCurrentThread();
            for (int step = 0; step < 3; step++) net.TrainBatch(inputs, labels, 0.05f);
            caller = GC.GetAllocatedBytesForCurrentThread() - caller;
            workers = WorkerBytes() - workers;
            runs.Add($"{caller}+{workers}");
            quiet = caller == 0 && workers == 0;
        }
        Assert.True(quiet, "every window allocated (caller+workers bytes): " + string.Join(", ", runs));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void AConvolutionsGradientSplitByRowsGivesTheSingleThreadBits(Width width)
    {
        using var forced = SimdDispatch.Force((SimdWidth)(int)width);
        foreach (var (rows, cols, n, positions) in new[] { (6, 26, 5, 49), (16, 151, 3, 25), (9, 7, 4, 33), (13, 40, 2, 17), (1, 30, 3, 20) })
        {
            float[] deltas = Random(n * rows * positions, 21), inputs = Random(n * cols * positions, 22);
            int stride = cols + 5;
            float weight = 1f / (n * positions);
            float[] g1 = new float[rows * stride], sample1 = new float[rows * cols];
            var one = new ParallelKernels();
            one.PairColumnSums(deltas, inputs, n, positions, rows, cols, weight, sample1, g1, stride, threads: 1);
            Assert.Equal(1, one.LastParts);
            foreach (int threads in new[] { 2, 3 })
            {
                var kernels = new ParallelKernels { MinPairSumsPerThread = 1 };
                float[] g = new float[rows * stride], sample = new float[rows * cols];
                kernels.PairColumnSums(deltas, inputs, n, positions, rows, cols, weight, sample, g, stride, threads);
                Assert.True(rows >= 2 * ParallelKernels.PairRowQuantum ? kernels.LastParts > 1 : kernels.LastParts == 1,
                            $"{rows} rows on {threads} threads ran in {kernels.LastParts} parts");
                AssertBits(g1, g, $"gradient {rows}x{cols}, n {n}, P {positions}, {threads} threads");
            }
        }
    }
}

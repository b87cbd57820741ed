using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Tests.Kernels;

/// <summary>The dense write's one scan of its gradient (ParallelKernels.AbsMaxRows): the largest magnitude over the rows
/// (not the stride gaps), NaN for any non-finite element wherever it is, the same value on 1 to 4 threads.</summary>
public class AbsMaxRowsTests
{
    private static float[] Matrix(int rows, int stride, int seed)
    {
        var rng = new Xoshiro256((ulong)seed);
        var g = new float[rows * stride];
        rng.FillGaussian(g);
        return g;
    }

    private static float Expected(float[] g, int rows, int cols, int stride)
    {
        float max = 0;
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) max = MathF.Max(max, MathF.Abs(g[r * stride + c]));
        return max;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 13, 16)]
    [InlineData(64, 100, 100)]
    [InlineData(100, 785, 800)]
    [InlineData(512, 513, 528)]
    public void TheLargestMagnitudeOnAnyNumberOfThreads(int rows, int cols, int stride)
    {
        var pool = new WorkerPool();
        var kernels = new ParallelKernels(pool) { MinScannedPerThread = 1 };
        float[] g = Matrix(rows, stride, rows + cols);
        for (int r = 0; r < rows; r++) for (int c = cols; c < stride; c++) g[r * stride + c] = float.NaN; // gaps are not read
        float expected = Expected(g, rows, cols, stride);
        for (int threads = 1; threads <= 4; threads++)
        {
            Assert.Equal(expected, kernels.AbsMaxRows(g, rows, cols, stride, threads));
            if (threads > 1 && rows >= 2 * ParallelKernels.RowQuantum) Assert.True(kernels.LastParts > 1, "split");
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void AnyNonFiniteElementGivesNaN(float bad)
    {
        var kernels = new ParallelKernels(new WorkerPool()) { MinScannedPerThread = 1 };
        const int rows = 96, cols = 50;
        foreach (int at in new[] { 0, 17 * cols + 3, rows * cols - 1 })
        {
            float[] g = Matrix(rows, cols, at);
            g[at] = bad;
            for (int threads = 1; threads <= 3; threads++) Assert.True(float.IsNaN(kernels.AbsMaxRows(g, rows, cols, cols, threads)), $"at {at}, {threads} threads");
        }
    }

    [Fact]
    public void SmallScansStayOnTheCaller()
    {
        var kernels = new ParallelKernels(new WorkerPool()); // the default threshold
        var g = Matrix(100, 785, 1); // 78,500 elements: below two threads' worth
        kernels.AbsMaxRows(g, 100, 785, 785, 2);
        Assert.Equal(1, kernels.LastParts);
        var big = Matrix(512, 785, 2);
        kernels.AbsMaxRows(big, 512, 785, 785, 2);
        Assert.Equal(2, kernels.LastParts);
    }
}

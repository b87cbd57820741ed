using System.Runtime.CompilerServices;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Tests.Kernels;

public class AlignedMatrixTests
{
    [Theory]
    [InlineData(1, 1, 16)]
    [InlineData(3, 16, 16)]
    [InlineData(10, 101, 112)]
    [InlineData(100, 785, 800)]
    [InlineData(2, 17, 32)]
    public unsafe void Rows_start_on_64_byte_boundaries_at_a_stride_rounded_up_to_16_floats(int rows, int cols, int stride)
    {
        for (int attempt = 0; attempt < 20; attempt++) // many allocations: different placements in the pinned heap
        {
            var m = new AlignedMatrix(rows, cols);
            Assert.Equal(stride, m.Stride);
            Assert.Equal(rows * stride, m.Length);
            Assert.Equal(rows * stride, m.Span.Length);
            for (int r = 0; r < rows; r++)
            {
                Assert.Equal(cols, m.Row(r).Length);
                Assert.Equal(0u, (uint)((nuint)Unsafe.AsPointer(ref m.Row(r)[0]) % 64));
                Assert.True(Unsafe.AreSame(ref m.Row(r)[0], ref m.Span[r * stride]));
            }
        }
    }

    [Fact]
    public void EmptyShapesAndBadArguments()
    {
        Assert.Equal(0, new AlignedMatrix(0, 5).Span.Length);
        Assert.Equal(0, new AlignedMatrix(4, 0).Span.Length);
        Assert.Throws<ArgumentException>(() => new AlignedMatrix(-1, 3));
        Assert.Throws<ArgumentException>(() => new AlignedMatrix(3, -1));
        Assert.Throws<ArgumentException>(() => new AlignedMatrix(int.MaxValue, 16));
        var m = new AlignedMatrix(2, 3);
        Assert.Throws<ArgumentException>(() => m.Row(2));
        Assert.Throws<ArgumentException>(() => m.Row(-1));
    }

    [Fact]
    public void ClearZeroesEverything()
    {
        var m = new AlignedMatrix(3, 20);
        m.Span.Fill(7f);
        m.Clear();
        Assert.All(m.Span.ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(10, 101)]
    [InlineData(100, 785)]
    [InlineData(7, 33)]
    public void GerAndRankKOnItGiveTheBitsOfTheContiguousLayoutAndLeaveTheGaps(int rows, int cols)
    {
        var rng = new Xoshiro256(5);
        float[] u = Fill(ref rng, 3 * rows), v = Fill(ref rng, 3 * cols), s = [0.5f, -0.25f, 2f], w = Fill(ref rng, rows * cols);
        var m = new AlignedMatrix(rows, cols);
        m.Span.Fill(float.NaN); // gaps keep their NaN
        for (int r = 0; r < rows; r++) w.AsSpan(r * cols, cols).CopyTo(m.Row(r));
        Blas.Ger(0.3f, u.AsSpan(0, rows), v.AsSpan(0, cols), w, rows, cols, cols);
        Blas.Ger(0.3f, u.AsSpan(0, rows), v.AsSpan(0, cols), m.Span, rows, cols, m.Stride);
        Blas.RankK(u, s, v, w, rows, cols, cols);
        Blas.RankK(u, s, v, m.Span, rows, cols, m.Stride);
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(w.AsSpan(r * cols, cols).ToArray(), m.Row(r).ToArray());
            for (int j = cols; j < m.Stride; j++) Assert.True(float.IsNaN(m.Span[r * m.Stride + j]), $"gap ({r}, {j}) was written");
        }
    }

    private static float[] Fill(ref Xoshiro256 rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(2 * rng.NextDouble() - 1);
        return a;
    }
}

using SbeCore.Crossbar;

namespace SbeCore.Tests.Crossbar;

/// <summary>Column reads (n samples of P vectors stored as the columns of per-sample blocks, a convolution's layout) are
/// the row reads of the same vectors: to float rounding with a perfect I/O model (another summation order), bit for bit
/// through an I/O model (the same batch reaches the same reader), at odd shapes and on 1 and 2 threads; bad input is
/// refused with nothing changed.</summary>
public class ColumnReadTests
{
    private static float[] Random(int length, int seed)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)rng.NextDouble() * 2 - 1;
        return a;
    }

    // Sample j's a x p block as p x a (the vectors as rows).
    private static float[] Rows(float[] columns, int n, int a, int p)
    {
        var rows = new float[n * a * p];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < a; i++)
                for (int q = 0; q < p; q++) rows[(j * p + q) * a + i] = columns[(j * a + i) * p + q];
        return rows;
    }

    private static CrossbarTile NewTile(int rows, int cols, bool perfect, int threads)
    {
        var io = perfect ? IOConfig.Perfect : TileConfig.PresetIO();
        var tile = new CrossbarTile(rows, cols, new TileConfig { Forward = io, Backward = io }, 7) { Threads = threads };
        tile.SetWeights(Random(rows * cols, rows + cols));
        tile.MinMultiplyAddsPerThread = 1; // split whatever can be split
        return tile;
    }

    [Theory]
    [InlineData(6, 26, 784, 3, true, 1)]
    [InlineData(16, 151, 100, 2, true, 2)]
    [InlineData(3, 5, 7, 4, true, 1)]
    [InlineData(1, 1, 1, 1, true, 2)]
    [InlineData(17, 33, 65, 2, true, 2)]
    [InlineData(6, 26, 50, 3, false, 1)]
    [InlineData(16, 151, 9, 2, false, 2)]
    public void ColumnReadsAreTheRowReadsOfTheSameVectors(int rows, int cols, int p, int n, bool perfect, int threads)
    {
        var x = Random(n * cols * p, 1);
        var d = Random(n * rows * p, 2);
        var byColumns = NewTile(rows, cols, perfect, threads);
        var byRows = NewTile(rows, cols, perfect, threads);
        var y = new float[n * rows * p];
        var z = new float[n * cols * p];
        byColumns.ReadColumns(x, n, p, y);
        byColumns.ReadTransposedColumns(d, n, p, z);
        var yRows = new float[n * p * rows];
        var zRows = new float[n * p * cols];
        byRows.Read(Rows(x, n, cols, p), n * p, yRows);
        byRows.ReadTransposed(Rows(d, n, rows, p), n * p, zRows);
        var yExpected = Rows(yRows, n, p, rows); // back to columns: (p x rows) blocks transposed
        var zExpected = Rows(zRows, n, p, cols);
        for (int i = 0; i < y.Length; i++)
        {
            if (perfect) Assert.Equal(yExpected[i], y[i], 1e-5f * (1 + cols));
            else Assert.Equal(yExpected[i], y[i]);
        }
        for (int i = 0; i < z.Length; i++)
        {
            if (perfect) Assert.Equal(zExpected[i], z[i], 1e-5f * (1 + rows));
            else Assert.Equal(zExpected[i], z[i]);
        }
    }

    [Fact]
    public void OneAndTwoThreadsGiveTheSameBits()
    {
        const int Rows = 16, Cols = 151, P = 900, N = 3;
        var x = Random(N * Cols * P, 3);
        var d = Random(N * Rows * P, 4);
        var one = NewTile(Rows, Cols, true, 1);
        var two = NewTile(Rows, Cols, true, 2);
        var (y1, y2) = (new float[N * Rows * P], new float[N * Rows * P]);
        var (z1, z2) = (new float[N * Cols * P], new float[N * Cols * P]);
        one.ReadColumns(x, N, P, y1); two.ReadColumns(x, N, P, y2);
        one.ReadTransposedColumns(d, N, P, z1); two.ReadTransposedColumns(d, N, P, z2);
        Assert.Equal(y1, y2);
        Assert.Equal(z1, z2);
    }

    [Fact]
    public void BadInputIsRefusedAndChangesNothing()
    {
        var tile = NewTile(4, 6, perfect: false, threads: 1);
        var x = Random(2 * 6 * 5, 5);
        var y = new float[2 * 4 * 5];
        Array.Fill(y, 9f);
        var bytes = Tile(tile);
        Assert.Throws<ArgumentException>(() => tile.ReadColumns(x.AsSpan(1), 2, 5, y));          // one input short
        Assert.Throws<ArgumentException>(() => tile.ReadColumns(x, 2, 5, y.AsSpan(1)));          // one output short
        Assert.ThrowsAny<ArgumentException>(() => tile.ReadColumns(x, -1, 5, y));                  // negative count
        Assert.ThrowsAny<ArgumentException>(() => tile.ReadColumns(x, 2, 0, y));                   // no positions
        Assert.ThrowsAny<ArgumentException>(() => tile.ReadColumns(x, int.MaxValue, 2, y));        // n x P overflows
        x[7] = float.NaN;
        Assert.Throws<ArgumentException>(() => tile.ReadColumns(x, 2, 5, y));
        var e = Random(2 * 4 * 5, 6);
        e[3] = float.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => tile.ReadTransposedColumns(e, 2, 5, new float[2 * 6 * 5]));
        Assert.All(y, v => Assert.Equal(9f, v));
        Assert.Equal(bytes, Tile(tile)); // weights and the read counter (the noise key) untouched
    }

    private static byte[] Tile(CrossbarTile tile)
    {
        using var stream = new MemoryStream();
        tile.Save(stream);
        return stream.ToArray();
    }
}

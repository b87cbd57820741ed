using SbeCore.Numerics;

namespace SbeCore.Tests.Kernels;

/// <summary>The row updates (Ger, RankK, Axpy) start their loops on a cache-line boundary and take the floats before it
/// last: W at each of the 16 float offsets within a line must give the same bits, and nothing outside W is written.</summary>
public class RowAlignmentTests
{
    public static TheoryData<Width> Widths => Paths.Supported();

    // Strides that keep the rows equally aligned and that do not; sizes that take each row kernel: pairs of rows (in L2),
    // blocks of four rows (past 2^18 elements, 512-bit vectors) and rows streamed one at a time (past 2^21).
    private static readonly (int Rows, int Cols, int Stride)[] Shapes = [(3, 37, 37), (5, 100, 112), (2, 17, 17), (64, 4100, 4100), (66, 4099, 4101), (520, 4100, 4100)];

    private delegate void RowUpdate(Span<float> w, int rows, int cols, int stride);

    // One buffer per shape, W copied in at each offset: W reaches 2^21 floats, and a fresh 8 MB array per offset made
    // the suite's other tests (those that count their allocations) run under needless collections.
    private static void AssertOffsetsAgree(int rows, int cols, int stride, float[] w0, RowUpdate update, string what)
    {
        int size = (rows - 1) * stride + cols;
        var buffer = new float[size + 32];
        var first = new float[size];
        for (int offset = 0; offset < 16; offset++)
        {
            Array.Fill(buffer, Reference.Sentinel);
            Array.Copy(w0, 0, buffer, offset, size);
            update(buffer.AsSpan(offset, size), rows, cols, stride);
            for (int i = 0; i < offset; i++)
                if (!Reference.SameBits(Reference.Sentinel, buffer[i])) Assert.Fail($"{what} offset {offset}: wrote {i} before W");
            Reference.AssertUntouched(buffer, offset + size, $"{what} offset {offset}: past W");
            var result = buffer.AsSpan(offset, size);
            if (offset == 0) { result.CopyTo(first); continue; }
            for (int i = 0; i < size; i++)
                if (!Reference.SameBits(first[i], result[i])) Assert.Fail($"{what} {rows}x{cols}/{stride} offset {offset}: element {i} {result[i]} against {first[i]} at offset 0");
        }
        for (int i = 0; i < size; i++)
        {
            int r = i / stride, c = i - r * stride;
            if (c >= cols && !Reference.SameBits(w0[i], first[i])) Assert.Fail($"{what} {rows}x{cols}/{stride}: gap cell {i} written");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void GerGivesTheSameBitsAtEveryOffsetWithinALine(Width width)
    {
        var rng = new Xoshiro256(41);
        foreach (var (rows, cols, stride) in Shapes)
        {
            float alpha = 0.75f;
            float[] u = Reference.RandomVector(ref rng, rows), v = Reference.RandomVector(ref rng, cols);
            float[] w0 = Reference.RandomVector(ref rng, (rows - 1) * stride + cols);
            AssertOffsetsAgree(rows, cols, stride, w0, (w, r, c, s) => Paths.Ger(width, alpha, u, v, w, r, c, s), $"{width} Ger");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void RankKGivesTheSameBitsAtEveryOffsetWithinALine(Width width)
    {
        var rng = new Xoshiro256(42);
        int k = 0;
        foreach (var (rows, cols, stride) in Shapes)
        {
            k = k % 5 + 1;
            float[] u = Reference.RandomVector(ref rng, k * rows), v = Reference.RandomVector(ref rng, k * cols), s = Reference.RandomVector(ref rng, k);
            float[] w0 = Reference.RandomVector(ref rng, (rows - 1) * stride + cols);
            AssertOffsetsAgree(rows, cols, stride, w0, (w, r, c, st) => Paths.RankK(width, u, s, v, w, r, c, st), $"{width} RankK k={k}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void AxpyGivesTheSameBitsAtEveryOffsetWithinALine(Width width)
    {
        var rng = new Xoshiro256(43);
        foreach (int n in new[] { 16, 17, 23, 31, 64, 100, 1000 })
        {
            float[] x = Reference.RandomVector(ref rng, n), y0 = Reference.RandomVector(ref rng, n);
            AssertOffsetsAgree(1, n, n, y0, (y, r, c, s) => Paths.Axpy(width, -1.5f, x, y), $"{width} Axpy n={n}");
        }
    }
}

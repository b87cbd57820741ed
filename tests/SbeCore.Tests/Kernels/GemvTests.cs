using SbeCore.Numerics;

namespace SbeCore.Tests.Kernels;

public class GemvTests
{
    public static TheoryData<Width> Widths => Paths.Supported();

    [Theory, MemberData(nameof(Widths))]
    public void GemvMatchesDoubleReferenceOnEveryShape(Width width)
    {
        var rng = new Xoshiro256(21);
        AssertGemvMatchesReference(width, ref rng, Reference.Shapes());
    }

    /// <summary>Gemv of <paramref name="width"/> on random W and x of every shape against the double reference; y's guard cells untouched.</summary>
    internal static void AssertGemvMatchesReference(Width width, ref Xoshiro256 rng, IEnumerable<(int Rows, int Cols, int Stride)> shapes)
    {
        foreach (var (rows, cols, stride) in shapes)
        {
            float[] w = Reference.RandomMatrix(ref rng, rows, cols, stride);
            float[] x = Reference.RandomVector(ref rng, cols);
            float[] y = Reference.Guarded(rows);
            Paths.Gemv(width, w, rows, cols, stride, x, y);
            double[] e = Reference.Gemv(w, rows, cols, stride, x, out double[] bound);
            for (int r = 0; r < rows; r++) Reference.AssertClose(e[r], y[r], bound[r], $"{width} Gemv {rows}x{cols}/{stride} row {r}");
            Reference.AssertUntouched(y, rows, $"{width} Gemv {rows}x{cols}/{stride}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void GemvTMatchesDoubleReferenceOnEveryShape(Width width)
    {
        var rng = new Xoshiro256(22);
        foreach (var (rows, cols, stride) in Reference.Shapes())
        {
            float[] w = Reference.RandomMatrix(ref rng, rows, cols, stride);
            float[] d = Reference.RandomVector(ref rng, rows);
            float[] z = Reference.Guarded(cols);
            Paths.GemvT(width, w, rows, cols, stride, d, z);
            double[] e = Reference.GemvT(w, rows, cols, stride, d, out double[] bound);
            for (int c = 0; c < cols; c++) Reference.AssertClose(e[c], z[c], bound[c], $"{width} GemvT {rows}x{cols}/{stride} col {c}");
            Reference.AssertUntouched(z, cols, $"{width} GemvT {rows}x{cols}/{stride}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void GemvTRowGroupsOf8421AndZeroRowsMatchReference(Width width)
    {
        // Every combination of the row groups (the first group writes z, the later ones add), rows = 0 included:
        // z must then be all zeros, written by the vector path when cols is at least one vector.
        var rng = new Xoshiro256(23);
        foreach (int cols in new[] { 16, 37, 101 })
            for (int rows = 0; rows <= 20; rows++)
            {
                int stride = cols + rows % 3;
                float[] w = Reference.RandomMatrix(ref rng, rows, cols, stride);
                float[] d = Reference.RandomVector(ref rng, rows);
                float[] z = Reference.Guarded(cols);
                Paths.GemvT(width, w, rows, cols, stride, d, z);
                double[] e = Reference.GemvT(w, rows, cols, stride, d, out double[] bound);
                for (int c = 0; c < cols; c++) Reference.AssertClose(e[c], z[c], bound[c], $"{width} GemvT {rows}x{cols}/{stride} col {c}");
                if (rows == 0) Assert.All(z.AsSpan(0, cols).ToArray(), v => Assert.True(v == 0f && !float.IsNegative(v), $"{width} GemvT 0x{cols}: z not +0"));
                Reference.AssertUntouched(z, cols, $"{width} GemvT {rows}x{cols}/{stride}");
            }
    }

    public static TheoryData<Width, int, int, int> LargeGemvTShapes()
    {
        var data = new TheoryData<Width, int, int, int>();
        foreach (Width width in new[] { Width.V512, Width.V256, Width.V128, Width.Scalar })
        {
            if (!Paths.IsAccelerated(width)) continue;
            data.Add(width, 1027, 1021, 1024); // 2^20 elements and more: rows four at a time, then 2 and 1
            data.Add(width, 2051, 2045, 2048); // past 2^22: eight at a time, then 2 and 1
        }
        return data;
    }

    [Theory, MemberData(nameof(LargeGemvTShapes))]
    public void LargeGemvTIsEachElementsChainOverTheRowsBitForBit(Width width, int rows, int cols, int stride)
    {
        var rng = new Xoshiro256(29);
        float[] w = Reference.RandomMatrix(ref rng, rows, cols, stride);
        float[] d = Reference.RandomVector(ref rng, rows);
        float[] z = Reference.Guarded(cols);
        Paths.GemvT(width, w, rows, cols, stride, d, z);
        Reference.AssertChainOverRows(width, w, rows, cols, stride, d, z, "GemvT");
        Reference.AssertUntouched(z, cols, $"{width} GemvT {rows}x{cols}/{stride}");
    }
}

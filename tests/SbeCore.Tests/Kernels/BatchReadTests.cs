using SbeCore.Kernels;
using System.Runtime.Intrinsics;
using SbeCore.Numerics;

namespace SbeCore.Tests.Kernels;

public class BatchReadTests
{
    public static TheoryData<Width> Widths => Paths.Supported();

    private static readonly int[] s_batchSizes = [0, 1, 3, 4, 5, 8, 11];

    [Theory, MemberData(nameof(Widths))]
    public void BatchReadMatchesNDoubleReferenceGemvsOnEveryShape(Width width)
    {
        var rng = new Xoshiro256(41);
        int shape = 0;
        foreach (var (rows, cols, stride) in Reference.Shapes())
        {
            int n = s_batchSizes[shape++ % s_batchSizes.Length];
            float[] w = Reference.RandomMatrix(ref rng, rows, cols, stride);
            float[] x = Reference.RandomVector(ref rng, n * cols);
            float[] y = Reference.Guarded(n * rows);
            Paths.BatchRead(width, w, rows, cols, stride, x, n, y);
            for (int j = 0; j < n; j++)
            {
                double[] e = Reference.Gemv(w, rows, cols, stride, x.AsSpan(j * cols, cols).ToArray(), out double[] bound);
                for (int r = 0; r < rows; r++) Reference.AssertClose(e[r], y[j * rows + r], bound[r], $"{width} BatchRead n={n} {rows}x{cols}/{stride} ({j},{r})");
            }
            Reference.AssertUntouched(y, n * rows, $"{width} BatchRead n={n} {rows}x{cols}/{stride}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void BatchReadTransposedMatchesNDoubleReferenceGemvTsOnEveryShape(Width width)
    {
        var rng = new Xoshiro256(42);
        int shape = 0;
        foreach (var (rows, cols, stride) in Reference.Shapes())
        {
            int n = s_batchSizes[shape++ % s_batchSizes.Length];
            float[] w = Reference.RandomMatrix(ref rng, rows, cols, stride);
            float[] d = Reference.RandomVector(ref rng, n * rows);
            float[] z = Reference.Guarded(n * cols);
            Paths.BatchReadTransposed(width, w, rows, cols, stride, d, n, z);
            for (int j = 0; j < n; j++)
            {
                double[] e = Reference.GemvT(w, rows, cols, stride, d.AsSpan(j * rows, rows).ToArray(), out double[] bound);
                for (int c = 0; c < cols; c++) Reference.AssertClose(e[c], z[j * cols + c], bound[c], $"{width} BatchReadTransposed n={n} {rows}x{cols}/{stride} ({j},{c})");
            }
            Reference.AssertUntouched(z, n * cols, $"{width} BatchReadTransposed n={n} {rows}x{cols}/{stride}");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void BatchReadOnThePapersFirstLayerWith64InputsMatchesReference(Width width)
    {
        // The benchmark shape: every register tile full (100 rows, 64 inputs), one masked tail lane (785 = 49*16 + 1).
        var rng = new Xoshiro256(43);
        const int rows = 100, cols = 785, n = 64;
        float[] w = Reference.RandomMatrix(ref rng, rows, cols, cols);
        float[] x = Reference.RandomVector(ref rng, n * cols), d = Reference.RandomVector(ref rng, n * rows);
        float[] y = Reference.Guarded(n * rows), z = Reference.Guarded(n * cols);
        Paths.BatchRead(width, w, rows, cols, cols, x, n, y);
        Paths.BatchReadTransposed(width, w, rows, cols, cols, d, n, z);
        for (int j = 0; j < n; j++)
        {
            double[] e = Reference.Gemv(w, rows, cols, cols, x.AsSpan(j * cols, cols).ToArray(), out double[] bound);
            for (int r = 0; r < rows; r++) Reference.AssertClose(e[r], y[j * rows + r], bound[r], $"{width} BatchRead ({j},{r})");
            double[] et = Reference.GemvT(w, rows, cols, cols, d.AsSpan(j * rows, rows).ToArray(), out double[] boundT);
            for (int c = 0; c < cols; c++) Reference.AssertClose(et[c], z[j * cols + c], boundT[c], $"{width} BatchReadTransposed ({j},{c})");
        }
        Reference.AssertUntouched(y, n * rows, "y");
        Reference.AssertUntouched(z, n * cols, "z");
    }

    [Theory, MemberData(nameof(Widths))]
    public void RowsBelowTheRegisterTilesGiveTheBitsOfOneDotEach(Width width)
    {
        // 6 and 7 rows: rows from 4 are below the 4 x 4 tiles and go four inputs at a time, two rows together (with 32
        // vector registers) and the last of 7 alone; each output must be the bits of the single dot product (BlockDot)
        // that a one-row, one-input read computes, tail lanes included.
        var rng = new Xoshiro256(44);
        foreach (int rows in new[] { 6, 7 })
        foreach (int cols in new[] { 26, 16, 33, 101, 1100 })
        {
            const int n = 11;
            float[] w = Reference.RandomMatrix(ref rng, rows, cols, cols);
            float[] x = Reference.RandomVector(ref rng, n * cols);
            float[] y = new float[n * rows], one = new float[1];
            Paths.BatchRead(width, w, rows, cols, cols, x, n, y);
            for (int r = 4; r < rows; r++)
                for (int j = 0; j < n; j++)
                {
                    Paths.BatchRead(width, w.AsSpan(r * cols, cols).ToArray(), 1, cols, cols, x.AsSpan(j * cols, cols).ToArray(), 1, one);
                    Assert.Equal(BitConverter.SingleToInt32Bits(one[0]), BitConverter.SingleToInt32Bits(y[j * rows + r]));
                }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void TiledOutputsAreOneChainPerOutputReducedLikeSum4OnEveryRegisterFile(Width width)
    {
        // The rows the 4 x 4 tiling covers (a multiple of 4) and the inputs in groups of 4 give each output one chain of
        // vector multiply-adds (the last vector masked) reduced as Sum4 reduces a vector: with 32 registers 4 x 4 tiles,
        // with 16 registers (no AVX-512; CI runs that mode) tiles of 3, 2 and 1 rows. Either way the same bits.
        if (width == Width.Scalar) return;
        var rng = new Xoshiro256(63);
        foreach (int rows in new[] { 5, 11, 13 })
        foreach (int cols in new[] { 16, 20, 101, 785 })
        {
            const int n = 9;
            float[] w = Reference.RandomMatrix(ref rng, rows, cols, cols);
            float[] x = Reference.RandomVector(ref rng, n * cols);
            float[] y = new float[n * rows];
            Paths.BatchRead(width, w, rows, cols, cols, x, n, y);
            for (int j = 0; j < n / 4 * 4; j++)
                for (int r = 0; r < rows / 4 * 4; r++)
                {
                    float expected = width switch
                    {
                        Width.V512 => ChainSum4<Simd512, System.Runtime.Intrinsics.Vector512<float>>(w.AsSpan(r * cols, cols), x.AsSpan(j * cols, cols)),
                        Width.V256 => ChainSum4<Simd256, System.Runtime.Intrinsics.Vector256<float>>(w.AsSpan(r * cols, cols), x.AsSpan(j * cols, cols)),
                        _ => ChainSum4<Simd128, System.Runtime.Intrinsics.Vector128<float>>(w.AsSpan(r * cols, cols), x.AsSpan(j * cols, cols)),
                    };
                    Assert.True(Reference.SameBits(expected, y[j * rows + r]), $"{width} {rows}x{cols}: input {j} row {r}: {y[j * rows + r]} against {expected}");
                }
        }
    }

    private static float ChainSum4<TOps, TVec>(ReadOnlySpan<float> w, ReadOnlySpan<float> x) where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        int n = TOps.Count, fresh = w.Length % n;
        ref float wr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(w);
        ref float xr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        TVec acc = TOps.Zero;
        int i = 0;
        for (; i + n <= w.Length; i += n) acc = TOps.MultiplyAdd(TOps.Load(ref wr, (nuint)i), TOps.Load(ref xr, (nuint)i), acc);
        if (fresh != 0)
        {
            TVec mask = TOps.TailMask(fresh);
            nuint t = (nuint)(w.Length - n);
            acc = TOps.MultiplyAdd(TOps.And(TOps.Load(ref wr, t), mask), TOps.And(TOps.Load(ref xr, t), mask), acc);
        }
        return TOps.Sum4(acc, TOps.Zero, TOps.Zero, TOps.Zero).ToScalar();
    }

    public static TheoryData<Width, int, int, int, int> AliasingStrideShapes()
    {
        var data = new TheoryData<Width, int, int, int, int>();
        foreach (Width width in new[] { Width.V512, Width.V256, Width.V128, Width.Scalar })
        {
            if (!Paths.IsAccelerated(width)) continue;
            data.Add(width, 10, 1000, 1024, 9);  // rows a 4 KiB stride apart: copied a line apart with 16 vector registers
            data.Add(width, 7, 3000, 3072, 8);   // three blocks of cols, the last shorter
            data.Add(width, 12, 2048, 2048, 8);  // one block of 2048 cols
            data.Add(width, 8, 1024, 1024, 5);   // too few inputs to copy
        }
        return data;
    }

    [Theory, MemberData(nameof(AliasingStrideShapes))]
    public void BatchReadsAtAliasingStridesGiveTheBitsOfTheSameMatrixAtAnotherStride(Width width, int rows, int cols, int stride, int n)
    {
        // The stride changes where rows sit, never the operations on them: copying the rows of a 4 KiB-stride matrix
        // (or not) must give the bits of the same matrix stored at a stride the L1 sets do not alias.
        var rng = new Xoshiro256(62);
        float[] w = Reference.RandomMatrix(ref rng, rows, cols, stride);
        int other = stride + 16;
        float[] moved = new float[(rows - 1) * other + cols];
        for (int r = 0; r < rows; r++) Array.Copy(w, r * stride, moved, r * other, cols);
        float[] x = Reference.RandomVector(ref rng, n * cols);
        float[] y = Reference.Guarded(n * rows), expected = new float[n * rows];
        Paths.BatchRead(width, w, rows, cols, stride, x, n, y);
        Paths.BatchRead(width, moved, rows, cols, other, x, n, expected);
        for (int i = 0; i < n * rows; i++)
            Assert.True(Reference.SameBits(expected[i], y[i]), $"{width} {rows}x{cols}/{stride} n={n}: output {i} {y[i]} against {expected[i]}");
        Reference.AssertUntouched(y, n * rows, $"{width} BatchRead {rows}x{cols}/{stride}");
    }

    public static TheoryData<Width, int, int, int, int> LargeTransposedShapes()
    {
        var data = new TheoryData<Width, int, int, int, int>();
        foreach (Width width in new[] { Width.V512, Width.V256, Width.V128, Width.Scalar })
        {
            if (!Paths.IsAccelerated(width)) continue;
            data.Add(width, 1100, 3900, 3904, 9); // past 2^22 elements: row blocks outermost
            data.Add(width, 1030, 4090, 4096, 8); // the same at a 4 KiB stride, blocks packed; wide strips, a strip, vectors, a masked tail
            data.Add(width, 200, 500, 512, 9);    // a 2 KiB stride: packed with 16 vector registers, in place with 32
            data.Add(width, 100, 1000, 1024, 8);  // one block of rows (up to 128) at a 4 KiB stride, packed; whole vectors left packed too
        }
        return data;
    }

    [Theory, MemberData(nameof(LargeTransposedShapes))]
    public void LargeTransposedReadsAreEachElementsChainOverTheRowsBitForBit(Width width, int rows, int cols, int stride, int n)
    {
        var rng = new Xoshiro256(61);
        float[] w = Reference.RandomMatrix(ref rng, rows, cols, stride);
        float[] d = Reference.RandomVector(ref rng, n * rows);
        float[] z = Reference.Guarded(n * cols);
        Paths.BatchReadTransposed(width, w, rows, cols, stride, d, n, z);
        for (int j = 0; j < n; j++)
            Reference.AssertChainOverRows(width, w, rows, cols, stride, d.AsSpan(j * rows, rows), z.AsSpan(j * cols, cols), $"BatchReadTransposed n={n} input {j}");
        Reference.AssertUntouched(z, n * cols, $"{width} BatchReadTransposed {rows}x{cols}/{stride}");
    }

    public static TheoryData<Width, int, int, int, int> SmallTransposedShapes()
    {
        var data = new TheoryData<Width, int, int, int, int>();
        foreach (Width width in new[] { Width.V512, Width.V256, Width.V128, Width.Scalar })
        {
            if (!Paths.IsAccelerated(width)) continue;
            data.Add(width, 10, 101, 101, 64);  // the whole vectors past the strips as a narrower tile, then a last vector reaching back
            data.Add(width, 33, 150, 153, 9);   // a strip, then the whole vectors left as a narrower tile and an overlapping last one
            data.Add(width, 7, 20, 20, 5);      // no whole tile: the whole vectors as a narrow tile, then an overlapping last one
            data.Add(width, 300, 61, 64, 13);   // row blocks: later blocks add to Z (the narrow tile too), the last vector covers all rows at once
            data.Add(width, 300, 101, 104, 7);  // the last vector recomputes columns the row blocks built
        }
        return data;
    }

    [Theory, MemberData(nameof(SmallTransposedShapes))]
    public void TransposedReadsPastTheStripsAreEachElementsChainOverTheRowsBitForBit(Width width, int rows, int cols, int stride, int n) =>
        LargeTransposedReadsAreEachElementsChainOverTheRowsBitForBit(width, rows, cols, stride, n);
}

using SbeCore.Kernels;
using SbeCore.Numerics;
using SbeCore.Training.Layers;

namespace SbeCore.Tests.Kernels;

// The vertical half of max pooling at every width against the scalar loop, and max pooling on tie-heavy inputs (ReLU
// zeros and repeated values) against the first-maximum-in-window-order definition at every width.
public class ColumnMaxTests
{
    public static TheoryData<Width> Widths() => OperatorLayerWidthTests.Widths();

    // Values from a small set, so rows tie often; a zero and a negative zero among them.
    private static float[] TieHeavy(int length, ulong seed)
    {
        float[] choices = [0f, -0f, 1f, 2f, 2f, 3f, -1f];
        var rng = new Xoshiro256(seed);
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = choices[(int)(rng.NextDouble() * choices.Length)];
        return v;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void EveryWidthGivesTheScalarColumnsAndRows(Width width)
    {
        foreach (int k in new[] { 1, 2, 3, 5 })
            foreach (int cols in new[] { 1, 3, 4, 7, 8, 10, 15, 16, 17, 28, 31, 33, 64, 70 })
            {
                int stride = cols + 3;
                float[] x = TieHeavy(k * stride, (ulong)(k * 100 + cols));
                float[] best = new float[cols + 1], row = new float[cols + 1], expectBest = new float[cols], expectRow = new float[cols];
                best[cols] = row[cols] = 12345f; // guard
                ColumnMax.DownScalar(x, stride, k, 0, cols, expectBest, expectRow);
                using (SimdDispatch.Force((SimdWidth)(int)width)) ColumnMax.Down(x, stride, k, cols, best, row);
                for (int c = 0; c < cols; c++)
                {
                    Assert.Equal(BitConverter.SingleToInt32Bits(expectBest[c]), BitConverter.SingleToInt32Bits(best[c]));
                    Assert.Equal(expectRow[c], row[c]);
                }
                Assert.Equal(12345f, best[cols]);
                Assert.Equal(12345f, row[cols]);
            }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void MaxPoolingTakesTheFirstMaximumInWindowOrder(Width width)
    {
        foreach (var (size, h, w) in new[] { (2, 28, 28), (2, 10, 10), (3, 7, 8), (2, 5, 33) })
        {
            var shape = new TensorShape(2, h, w);
            var pool = new PoolLayer(PoolKind.Max, size, shape);
            const int n = 2;
            pool.EnsureCapacity(n);
            float[] x = TieHeavy(n * shape.Size, (ulong)(size * 1000 + w));
            var y = new float[n * pool.Output.Size];
            using (SimdDispatch.Force((SimdWidth)(int)width)) pool.Forward(x, n, y);
            var gy = new float[y.Length];
            for (int i = 0; i < gy.Length; i++) gy[i] = i + 1;
            var dx = new float[x.Length];
            pool.Backward(x, y, gy, n, dx);

            var expectDx = new float[x.Length];
            int oh = h / size, ow = w / size, o = 0;
            for (int plane = 0; plane < n * 2; plane++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++, o++)
                    {
                        int first = plane * h * w + oy * size * w + ox * size, at = first;
                        for (int ky = 0; ky < size; ky++)
                            for (int kx = 0; kx < size; kx++)
                                if (x[first + ky * w + kx] > x[at]) at = first + ky * w + kx;
                        Assert.Equal(BitConverter.SingleToInt32Bits(x[at]), BitConverter.SingleToInt32Bits(y[o]));
                        expectDx[at] += gy[o];
                    }
            Assert.Equal(expectDx, dx);
        }
    }
}

using SbeCore.Training.Layers;

namespace SbeCore.Tests.Training.Conv;

/// <summary>Unfold against its definition at every kernel size the interior fast path covers and beyond, inside a
/// larger buffer: every patch entry is the input pixel or 0, the bias column and whatever follows the slice untouched.</summary>
public class Im2ColTests
{
    [Theory]
    [InlineData(1, 6, 7, 1, 1, 0)]
    [InlineData(1, 28, 28, 5, 1, 2)]
    [InlineData(6, 14, 14, 5, 1, 0)]
    [InlineData(2, 9, 11, 3, 2, 1)]
    [InlineData(3, 8, 8, 2, 1, 0)]
    [InlineData(1, 12, 10, 7, 1, 3)]
    [InlineData(2, 10, 10, 8, 1, 0)]
    [InlineData(1, 11, 11, 9, 1, 1)]
    [InlineData(4, 5, 6, 1, 1, 0)]
    [InlineData(1, 9, 9, 4, 3, 0)]
    public void UnfoldWritesThePatchesAndNothingElse(int channels, int h, int w, int k, int stride, int padding)
    {
        var g = new ConvGeometry(new TensorShape(channels, h, w), 3, k, stride, padding);
        int cols = g.PatchSize + 1, p = g.Positions;
        var rng = new Random(k * 100 + h);
        var x = new float[2 * g.Input.Size];
        for (int i = 0; i < x.Length; i++) x[i] = 1 + (float)rng.NextDouble();
        const float Sentinel = -7f;
        var patches = new float[2 * p * cols + 16];
        Array.Fill(patches, Sentinel);
        for (int r = 0; r < 2 * p; r++) patches[r * cols + cols - 1] = 1f; // the bias column, as the conv layer keeps it
        for (int j = 0; j < 2; j++)
            Im2Col.Unfold(g, x.AsSpan(j * g.Input.Size, g.Input.Size), patches.AsSpan(j * p * cols, p * cols), cols);
        for (int j = 0; j < 2; j++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    int row = (j * p + oy * g.OutWidth + ox) * cols;
                    for (int c = 0; c < channels; c++)
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                            {
                                int iy = oy * stride - padding + ky, ix = ox * stride - padding + kx;
                                float expected = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0f : x[j * g.Input.Size + (c * h + iy) * w + ix];
                                Assert.Equal(expected, patches[row + (c * k + ky) * k + kx]);
                            }
                    Assert.Equal(1f, patches[row + cols - 1]);
                }
        for (int i = 2 * p * cols; i < patches.Length; i++) Assert.Equal(Sentinel, patches[i]);
    }
}

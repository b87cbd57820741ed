using SbeCore.Training.Layers;

namespace SbeCore.Tests.Training.Conv;

/// <summary>Unfold against its definition at many geometries (strides 1-3, paddings 0-3, 1x1 to input-sized kernels),
/// inside a larger buffer: every column entry is the input pixel or 0, the bias row and whatever follows the slice
/// untouched; Fold is its adjoint (&lt;Unfold x, c&gt; = &lt;x, Fold c&gt; for random x and c).</summary>
public class Im2ColTests
{
    public static TheoryData<int, int, int, int, int, int> Geometries => new()
    {
        { 1, 6, 7, 1, 1, 0 }, { 1, 28, 28, 5, 1, 2 }, { 6, 14, 14, 5, 1, 0 }, { 2, 9, 11, 3, 2, 1 }, { 3, 8, 8, 2, 1, 0 },
        { 1, 12, 10, 7, 1, 3 }, { 2, 10, 10, 8, 1, 0 }, { 1, 11, 11, 9, 1, 1 }, { 4, 5, 6, 1, 1, 0 }, { 1, 9, 9, 4, 3, 0 },
        { 1, 5, 5, 5, 1, 3 }, { 2, 7, 3, 3, 3, 2 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void UnfoldWritesTheColumnsAndNothingElse(int channels, int h, int w, int k, int stride, int padding)
    {
        var g = new ConvGeometry(new TensorShape(channels, h, w), 3, k, stride, padding);
        int rows = g.PatchSize + 1, p = g.Positions;
        var rng = new Random(k * 100 + h);
        var x = new float[2 * g.Input.Size];
        for (int i = 0; i < x.Length; i++) x[i] = 1 + (float)rng.NextDouble();
        const float Sentinel = -7f;
        var columns = new float[2 * rows * p + 16];
        Array.Fill(columns, Sentinel);
        for (int j = 0; j < 2; j++) columns.AsSpan((j * rows + rows - 1) * p, p).Fill(1f); // the bias row, as the conv layer keeps it
        for (int j = 0; j < 2; j++)
            Im2Col.Unfold(g, x.AsSpan(j * g.Input.Size, g.Input.Size), columns.AsSpan(j * rows * p, g.PatchSize * p));
        for (int j = 0; j < 2; j++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    int q = oy * g.OutWidth + ox;
                    for (int c = 0; c < channels; c++)
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                            {
                                int iy = oy * stride - padding + ky, ix = ox * stride - padding + kx;
                                float expected = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0f : x[j * g.Input.Size + (c * h + iy) * w + ix];
                                Assert.Equal(expected, columns[(j * rows + (c * k + ky) * k + kx) * p + q]);
                            }
                    Assert.Equal(1f, columns[(j * rows + rows - 1) * p + q]);
                }
        for (int i = 2 * rows * p; i < columns.Length; i++) Assert.Equal(Sentinel, columns[i]);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void FoldIsTheAdjointOfUnfold(int channels, int h, int w, int k, int stride, int padding)
    {
        var g = new ConvGeometry(new TensorShape(channels, h, w), 3, k, stride, padding);
        int size = g.PatchSize * g.Positions;
        var rng = new Random(k * 31 + w);
        var x = new float[g.Input.Size];
        var c = new float[size];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble() - 0.5f;
        for (int i = 0; i < c.Length; i++) c[i] = (float)rng.NextDouble() - 0.5f;
        var unfolded = new float[size];
        var folded = new float[g.Input.Size];
        Im2Col.Unfold(g, x, unfolded);
        Im2Col.Fold(g, c, folded);
        double left = 0, right = 0, scale = 0;
        for (int i = 0; i < size; i++) { left += (double)unfolded[i] * c[i]; scale += Math.Abs((double)unfolded[i] * c[i]); }
        for (int i = 0; i < x.Length; i++) right += (double)x[i] * folded[i];
        Assert.True(scale > 0);
        Assert.Equal(left, right, 1e-5 * scale);
    }
}

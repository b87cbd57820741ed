using FsCheck.Xunit;
using SbeCore.Crossbar;
using SbeCore.Numerics;
using SbeCore.Training.Layers;
using SbeCore.Updates;

namespace SbeCore.PropertyTests.Training;

/// <summary>
/// Conv2d at random shapes, strides and paddings: the forward matches a direct loop, and because y = conv(x; W) is
/// bilinear, the backward read and the update pairs must satisfy &lt;gy, y - b&gt; = &lt;dx, x&gt; (col2im is the adjoint of
/// im2col through the tile) and &lt;gy, y&gt; = &lt;sum of the pairs' outer products, W&gt;.
/// </summary>
public class ConvProperties
{
    [Property(MaxTest = 200)]
    public bool ForwardBackwardAndPairsAgreeWithTheirDefinitions(byte ci, byte hi, byte wi, byte oi, byte ki, byte si, byte pi, byte ni, ulong seed)
    {
        int c = 1 + ci % 3, h = 1 + hi % 9, w = 1 + wi % 9, o = 1 + oi % 4, k = 1 + ki % 5, s = 1 + si % 3, p = pi % 4, n = 1 + ni % 3;
        var g = new ConvGeometry(new TensorShape(c, h, w), o, k, s, p);
        if (h + 2 * p < k || w + 2 * p < k) return true; // refused at creation (tested elsewhere)
        int rows = o, cols = g.PatchSize + 1, inSize = g.Input.Size, outSize = g.Output.Size;
        var rng = new Xoshiro256(seed);
        var wts = new float[rows * cols]; var x = new float[n * inSize]; var gy = new float[n * outSize];
        rng.FillGaussian(wts, 0.5); rng.FillGaussian(x, 1.0); rng.FillGaussian(gy, 1.0);
        var tile = new CrossbarTile(rows, cols);
        tile.SetWeights(wts);
        var layer = new Conv2dLayer(g, tile, new SgdRule(rows, cols));
        layer.EnsureCapacity(n);
        var y = new float[n * outSize]; var dx = new float[n * inSize];
        layer.Forward(x, n, y);
        layer.Backward(x, y, gy, n, dx);

        double scale = 1;
        for (int j = 0; j < n; j++)
            for (int oc = 0; oc < o; oc++)
                for (int oy = 0; oy < g.OutHeight; oy++)
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        double acc = wts[oc * cols + cols - 1], mag = Math.Abs(acc);
                        for (int cc = 0; cc < c; cc++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = oy * s - p + ky, ix = ox * s - p + kx;
                                    if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
                                    double t = (double)wts[oc * cols + (cc * k + ky) * k + kx] * x[j * inSize + (cc * h + iy) * w + ix];
                                    acc += t; mag += Math.Abs(t);
                                }
                        float got = y[j * outSize + (oc * g.OutHeight + oy) * g.OutWidth + ox];
                        if (Math.Abs(got - acc) > 1e-5 * (1 + mag)) return false;
                        scale += mag;
                    }

        double gyY = 0, gyBias = 0, dxX = 0, gW = 0;
        for (int j = 0; j < n; j++)
            for (int oc = 0; oc < o; oc++)
                for (int q = 0; q < g.Positions; q++)
                {
                    double gv = gy[j * outSize + oc * g.Positions + q];
                    gyY += gv * y[j * outSize + oc * g.Positions + q];
                    gyBias += gv * wts[oc * cols + cols - 1];
                }
        for (int i = 0; i < x.Length; i++) dxX += (double)dx[i] * x[i];
        ReadOnlySpan<float> d = layer.PairDeltas(gy, n), xs = layer.PairInputs(n);
        for (int t = 0; t < n * g.Positions; t++)
            for (int r = 0; r < rows; r++)
                for (int q = 0; q < cols; q++) gW += (double)d[t * rows + r] * xs[t * cols + q] * wts[r * cols + q];
        double tol = 1e-4 * scale * (1 + gy.Max(Math.Abs));
        return Math.Abs(gyY - gyBias - dxX) <= tol && Math.Abs(gyY - gW) <= tol;
    }
}

using SbeCore.Training.Layers;

namespace SbeCore.Tests.Training.Conv;

/// <summary>Direct loops, in double, that the layers must match: no unfolding, no transposes.</summary>
internal static class ConvReference
{
    /// <summary>out[j, o, oy, ox] = b[o] + sum_{c,ky,kx} W[o, c, ky, kx] x[j, c, oy s - p + ky, ox s - p + kx] (zero outside).</summary>
    public static double[] Forward(ConvGeometry g, float[] w, float[] x, int n)
    {
        int cols = g.PatchSize + 1, k = g.Kernel, inSize = g.Input.Size, outSize = g.Output.Size;
        var y = new double[n * outSize];
        for (int j = 0; j < n; j++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int oy = 0; oy < g.OutHeight; oy++)
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        double acc = w[o * cols + cols - 1];
                        for (int c = 0; c < g.Input.Channels; c++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = oy * g.Stride - g.Padding + ky, ix = ox * g.Stride - g.Padding + kx;
                                    if (iy < 0 || ix < 0 || iy >= g.Input.Height || ix >= g.Input.Width) continue;
                                    acc += (double)w[o * cols + (c * k + ky) * k + kx] * x[j * inSize + (c * g.Input.Height + iy) * g.Input.Width + ix];
                                }
                        y[j * outSize + (o * g.OutHeight + oy) * g.OutWidth + ox] = acc;
                    }
        return y;
    }

    /// <summary>dL/dx and dL/dW (bias last) of L = sum gy . Forward(x), by the same direct loops.</summary>
    public static (double[] Dx, double[] Dw) Backward(ConvGeometry g, float[] w, float[] x, float[] gy, int n)
    {
        int cols = g.PatchSize + 1, k = g.Kernel, inSize = g.Input.Size, outSize = g.Output.Size;
        var dx = new double[n * inSize];
        var dw = new double[g.OutChannels * cols];
        for (int j = 0; j < n; j++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int oy = 0; oy < g.OutHeight; oy++)
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        double d = gy[j * outSize + (o * g.OutHeight + oy) * g.OutWidth + ox];
                        dw[o * cols + cols - 1] += d;
                        for (int c = 0; c < g.Input.Channels; c++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = oy * g.Stride - g.Padding + ky, ix = ox * g.Stride - g.Padding + kx;
                                    if (iy < 0 || ix < 0 || iy >= g.Input.Height || ix >= g.Input.Width) continue;
                                    int xi = j * inSize + (c * g.Input.Height + iy) * g.Input.Width + ix, wi = o * cols + (c * k + ky) * k + kx;
                                    dx[xi] += d * w[wi];
                                    dw[wi] += d * x[xi];
                                }
                    }
        return (dx, dw);
    }

    /// <summary>Pooling by its definition: max (first maximum wins) or mean of each k x k window.</summary>
    public static double[] Pool(PoolKind kind, int size, TensorShape s, float[] x, int n)
    {
        int oh = s.Height / size, ow = s.Width / size;
        var y = new double[n * s.Channels * oh * ow];
        for (int pl = 0; pl < n * s.Channels; pl++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    double best = double.NegativeInfinity, sum = 0;
                    for (int ky = 0; ky < size; ky++)
                        for (int kx = 0; kx < size; kx++)
                        {
                            double v = x[pl * s.Height * s.Width + (oy * size + ky) * s.Width + ox * size + kx];
                            best = Math.Max(best, v); sum += v;
                        }
                    y[(pl * oh + oy) * ow + ox] = kind == PoolKind.Max ? best : sum / (size * size);
                }
        return y;
    }
}

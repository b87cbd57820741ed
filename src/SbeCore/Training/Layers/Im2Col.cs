using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Training.Layers;

/// <summary>
/// Unfolds one sample into the PatchSize x P column matrix a conv tile reads by columns (im2col as PyTorch lays it
/// out: row c*k*k + ky*k + kx holds that kernel tap's input pixel at every output position, zero outside the input), and
/// folds such a matrix back by summation (col2im, the adjoint). With stride 1 a row of output positions is a contiguous
/// run of input pixels, so both are copies and additions of OutWidth-long runs.
/// </summary>
internal static partial class Im2Col
{
    /// <summary>Writes rows 0 .. PatchSize of <paramref name="columns"/> (P floats each; later rows, the bias, are left
    /// alone) from <paramref name="x"/> (C x H x W).</summary>
    public static void Unfold(in ConvGeometry g, ReadOnlySpan<float> x, Span<float> columns)
    {
        int k = g.Kernel, h = g.Input.Height, w = g.Input.Width, oh = g.OutHeight, ow = g.OutWidth, p = g.Positions, s = g.Stride;
        if (x.Length < g.Input.Size || columns.Length < g.PatchSize * p) throw new ArgumentException("Unfold: a buffer is too short for the geometry.");
        ref float src = ref MemoryMarshal.GetReference(x);
        if (s == 1 && g.Padding == 0) { Inside<CopyToColumns>(g, ref src, ref MemoryMarshal.GetReference(columns)); return; }
        for (int tap = 0; tap < g.PatchSize; tap++)
        {
            int c = tap / (k * k), ky = tap / k % k, kx = tap % k;
            Span<float> row = columns.Slice(tap * p, p);
            Window(g, kx, out int oxLo, out int oxHi);
            for (int oy = 0; oy < oh; oy++)
            {
                Span<float> run = row.Slice(oy * ow, ow);
                int iy = oy * s - g.Padding + ky;
                if ((uint)iy >= (uint)h || oxLo >= oxHi) { run.Clear(); continue; }
                int at = (c * h + iy) * w + kx - g.Padding; // the input pixel of output column ox is at + ox * stride, inside x for ox in [oxLo, oxHi)
                if (oxLo > 0) run.Slice(0, oxLo).Clear();
                if (s == 1) CopyRun(ref Unsafe.Add(ref src, at + oxLo), ref MemoryMarshal.GetReference(run.Slice(oxLo)), oxHi - oxLo);
                else for (int ox = oxLo; ox < oxHi; ox++) run[ox] = x[at + ox * s];
                if (oxHi < ow) run.Slice(oxHi).Clear();
            }
        }
    }

    // Stride 1, no padding (a padded convolution unfolds from its zero-bordered copy): every run lies inside the input,
    // and the tap's runs are rows of the image OutWidth long. Unfold copies them into the columns, fold adds them back.
    private static void Inside<TRun>(in ConvGeometry g, ref float image, ref float columns) where TRun : struct, IRun
    {
        int k = g.Kernel, h = g.Input.Height, w = g.Input.Width, oh = g.OutHeight, ow = g.OutWidth, p = g.Positions;
        ref float row = ref columns;
        for (int c = 0; c < g.Input.Channels; c++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++, row = ref Unsafe.Add(ref row, p))
                {
                    ref float tap = ref Unsafe.Add(ref image, (c * h + ky) * w + kx);
                    for (int oy = 0; oy < oh; oy++) TRun.Run(ref Unsafe.Add(ref tap, oy * w), ref Unsafe.Add(ref row, oy * ow), ow);
                }
    }

    private interface IRun { static abstract void Run(ref float image, ref float columns, int n); }

    private struct CopyToColumns : IRun
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Run(ref float image, ref float columns, int n) => CopyRun(ref image, ref columns, n);
    }

    private struct AddToImage : IRun
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Run(ref float image, ref float columns, int n) => AddRun(ref columns, ref image, n);
    }

    /// <summary>gradX (C x H x W) = the sum of every column entry at the input pixel it came from.</summary>
    public static void Fold(in ConvGeometry g, ReadOnlySpan<float> columns, Span<float> gradX)
    {
        int k = g.Kernel, h = g.Input.Height, w = g.Input.Width, oh = g.OutHeight, ow = g.OutWidth, p = g.Positions;
        gradX[..g.Input.Size].Clear();
        if (g.Stride == 1 && g.Padding == 0 && columns.Length >= g.PatchSize * p)
        {
            Inside<AddToImage>(g, ref MemoryMarshal.GetReference(gradX), ref MemoryMarshal.GetReference(columns));
            return;
        }
        for (int tap = 0; tap < g.PatchSize; tap++)
        {
            int c = tap / (k * k), ky = tap / k % k, kx = tap % k;
            ReadOnlySpan<float> row = columns.Slice(tap * p, p);
            Window(g, kx, out int oxLo, out int oxHi);
            if (oxLo >= oxHi) continue;
            for (int oy = 0; oy < oh; oy++)
            {
                int iy = oy * g.Stride - g.Padding + ky;
                if ((uint)iy >= (uint)h) continue;
                ReadOnlySpan<float> run = row.Slice(oy * ow, ow);
                int at = (c * h + iy) * w + kx - g.Padding;
                if (g.Stride == 1) AddRun(ref MemoryMarshal.GetReference(run.Slice(oxLo)), ref MemoryMarshal.GetReference(gradX.Slice(at + oxLo, oxHi - oxLo)), oxHi - oxLo);
                else for (int ox = oxLo; ox < oxHi; ox++) gradX[at + ox * g.Stride] += run[ox];
            }
        }
    }

    // The output columns [oxLo, oxHi) whose kernel column kx lands inside the input.
    private static void Window(in ConvGeometry g, int kx, out int oxLo, out int oxHi)
    {
        int first = kx - g.Padding, w = g.Input.Width, s = g.Stride; // input column of ox = first + ox * s
        oxLo = first >= 0 ? 0 : (-first + s - 1) / s;
        oxHi = first >= w ? 0 : Math.Min(g.OutWidth, (w - 1 - first) / s + 1);
        if (oxHi < oxLo) oxHi = oxLo;
    }

    // Runs are a few dozen floats: Vector128 chunks (every platform's width) beat a memmove call per run. A copy's last
    // chunk may overlap the one before (a copy is idempotent); an addition's tail is scalar.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(ref float from, ref float to, int n)
    {
        if (n < 4) { for (int i = 0; i < n; i++) Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i); return; }
        for (int i = 0; i < n - 4; i += 4) Vector128.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
        Vector128.LoadUnsafe(ref from, (nuint)(n - 4)).StoreUnsafe(ref to, (nuint)(n - 4));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRun(ref float from, ref float to, int n)
    {
        int i = 0;
        for (; i <= n - 4; i += 4)
            (Vector128.LoadUnsafe(ref to, (nuint)i) + Vector128.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref to, i) += Unsafe.Add(ref from, i);
    }
}

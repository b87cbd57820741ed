using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Training.Layers;

// The position-major layout: one sample into the P x cols patch matrix (row p = output position p, column
// c*k*k + ky*k + kx, zero outside the input) and back by summation. A tile read through an I/O model takes its input
// vectors as rows, so a convolution on such a tile unfolds straight into them (the column layout would cost a transpose
// each way). These are copies and additions of k-long runs (k is a handful).
internal static partial class Im2Col
{
    /// <summary>Writes the patches of <paramref name="x"/> (C x H x W) into rows of <paramref name="patches"/>
    /// (P rows of <paramref name="cols"/> floats; columns from PatchSize on are left alone: the bias stays 1).</summary>
    public static void UnfoldPatches(in ConvGeometry g, ReadOnlySpan<float> x, Span<float> patches, int cols)
    {
        int k = g.Kernel, h = g.Input.Height, w = g.Input.Width, oh = g.OutHeight, ow = g.OutWidth, channels = g.Input.Channels;
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                int y0 = oy * g.Stride - g.Padding, x0 = ox * g.Stride - g.Padding;
                if (k <= PatchRun && cols == g.PatchSize + 1 && PatchRun - k - 1 <= g.PatchSize && y0 >= 0 && y0 + k <= h && x0 >= 0 && x0 + k <= w
                    && oy * ow + ox < oh * ow - 1 && ((channels - 1) * h + y0 + k - 1) * w + x0 + PatchRun <= x.Length)
                {
                    UnfoldPatchInterior(x, patches, (oy * ow + ox) * cols, g.PatchSize, k, h, w, channels, (y0 * w) + x0);
                    continue;
                }
                Span<float> row = patches.Slice((oy * ow + ox) * cols, g.PatchSize);
                int kxLo = Math.Max(0, -x0), kxHi = Math.Min(k, w - x0); // kernel columns inside the input
                int q = 0;
                for (int c = 0; c < channels; c++)
                    for (int ky = 0; ky < k; ky++, q += k)
                    {
                        int iy = y0 + ky;
                        if ((uint)iy >= (uint)h || kxLo >= kxHi) { row.Slice(q, k).Clear(); continue; }
                        // k is a handful of floats: an indexed loop beats a span copy call per run (LeNet forward: 1.6x conv1, 2x conv2)
                        int at = (c * h + iy) * w + x0;
                        for (int kx = 0; kx < kxLo; kx++) row[q + kx] = 0f;
                        for (int kx = kxLo; kx < kxHi; kx++) row[q + kx] = x[at + kx];
                        for (int kx = kxHi; kx < k; kx++) row[q + kx] = 0f;
                    }
            }
    }

    // Floats an interior run is copied as: two Vector128 (every platform's vector width), so k <= 8.
    private const int PatchRun = 8;

    // A window wholly inside the input, not the last row: each k-run is copied as 8 floats, the 8 - k extra landing in
    // the columns the next run overwrites (runs go in column order); the last run's spill reaches the bias column
    // (the only column after the patch: the caller checks cols), which is restored, and at most the next row's patch
    // columns (the caller checks PatchRun - k - 1 <= PatchSize), written after this row. Loads stay inside x (checked by the
    // caller). The same values as the exact path, a third of its time for LeNet-5's 5 x 5 windows.
    private static void UnfoldPatchInterior(ReadOnlySpan<float> x, Span<float> patches, int rowStart, int patchSize, int k, int h, int w, int channels, int origin)
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref Unsafe.Add(ref MemoryMarshal.GetReference(patches), rowStart);
        float kept = Unsafe.Add(ref dst, patchSize);
        int q = 0;
        for (int c = 0; c < channels; c++)
            for (int ky = 0; ky < k; ky++, q += k)
            {
                ref float from = ref Unsafe.Add(ref src, (c * h + ky) * w + origin);
                ref float to = ref Unsafe.Add(ref dst, q);
                Vector128.LoadUnsafe(ref from).StoreUnsafe(ref to);
                Vector128.LoadUnsafe(ref from, 4).StoreUnsafe(ref to, 4);
            }
        Unsafe.Add(ref dst, patchSize) = kept;
    }

    /// <summary>gradX (C x H x W) = the sum of every patch row's entries at the input pixels they came from.</summary>
    public static void FoldPatches(in ConvGeometry g, ReadOnlySpan<float> patches, int cols, Span<float> gradX)
    {
        int k = g.Kernel, h = g.Input.Height, w = g.Input.Width, oh = g.OutHeight, ow = g.OutWidth;
        gradX[..g.Input.Size].Clear();
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                ReadOnlySpan<float> row = patches.Slice((oy * ow + ox) * cols, g.PatchSize);
                int y0 = oy * g.Stride - g.Padding, x0 = ox * g.Stride - g.Padding;
                int kxLo = Math.Max(0, -x0), kxHi = Math.Min(k, w - x0);
                for (int c = 0; c < g.Input.Channels; c++)
                    for (int ky = 0; ky < k; ky++)
                    {
                        int iy = y0 + ky;
                        if ((uint)iy >= (uint)h) continue;
                        ReadOnlySpan<float> run = row.Slice((c * k + ky) * k, k);
                        int at = (c * h + iy) * w + x0; // + kx stays inside the row for kx in [kxLo, kxHi)
                        for (int kx = kxLo; kx < kxHi; kx++) gradX[at + kx] += run[kx];
                    }
            }
    }
}

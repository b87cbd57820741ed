using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

/// <summary>
/// The element-wise maximum down k rows of a strided block, with the row it came from: the vertical half of a k x k max
/// pool. best[c] = max over r &lt; k of x[r * stride + c], row[c] = the first such r (ties keep the upper row; a NaN is
/// never taken over a number). Every width gives the same values: the lanes are independent compares and selects.
/// </summary>
internal static class ColumnMax
{
    /// <summary>Fills best[..width] and row[..width] (row indices as floats) from k rows of x at the given stride; with
    /// <paramref name="count"/> &gt; 1, the next k rows into the next width entries, count times (a pooled plane's
    /// output rows in one call).</summary>
    public static void Down(ReadOnlySpan<float> x, int stride, int k, int width, Span<float> best, Span<float> row, int count = 1)
    {
        BlasThrow.CheckAtLeast(nameof(x), x.Length, ((long)(count - 1) * k + k - 1) * stride + width, "((count-1)k+k-1)*stride+width");
        BlasThrow.CheckAtLeast(nameof(best), best.Length, (long)count * width, "count*width");
        BlasThrow.CheckAtLeast(nameof(row), row.Length, (long)count * width, "count*width");
        var simd = SimdDispatch.For(width);
        for (int t = 0; t < count; t++)
        {
            ReadOnlySpan<float> xt = x.Slice(t * k * stride);
            Span<float> bt = best.Slice(t * width), rt = row.Slice(t * width);
            switch (simd)
            {
                case SimdWidth.V512: DownCore<Simd512, Vector512<float>>(xt, stride, k, width, bt, rt); break;
                case SimdWidth.V256: DownCore<Simd256, Vector256<float>>(xt, stride, k, width, bt, rt); break;
                case SimdWidth.V128: DownCore<Simd128, Vector128<float>>(xt, stride, k, width, bt, rt); break;
                default: DownScalar(xt, stride, k, 0, width, bt, rt); break;
            }
        }
    }

    internal static void DownScalar(ReadOnlySpan<float> x, int stride, int k, int start, int width, Span<float> best, Span<float> row)
    {
        for (int c = start; c < width; c++)
        {
            float b = x[c], r = 0;
            for (int ky = 1; ky < k; ky++)
            {
                float v = x[ky * stride + c];
                if (v > b) { b = v; r = ky; }
            }
            best[c] = b; row[c] = r;
        }
    }

    // Whole vectors, then one vector ending at the last column (recomputing a column gives the same lanes).
    private static void DownCore<TOps, TVec>(ReadOnlySpan<float> x, int stride, int k, int width, Span<float> best, Span<float> row)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float br = ref MemoryMarshal.GetReference(best);
        ref float rr = ref MemoryMarshal.GetReference(row);
        nuint n = (nuint)TOps.Count, w = (nuint)width;
        for (nuint c = 0; ; c += n)
        {
            if (c + n > w) c = w - n;
            TVec b = TOps.Load(ref xr, c), r = TOps.Zero;
            for (int ky = 1; ky < k; ky++)
            {
                TVec v = TOps.Load(ref xr, (nuint)(ky * stride) + c);
                TVec above = TOps.GreaterThan(v, b);
                b = TOps.Select(above, v, b);
                r = TOps.Select(above, TOps.Broadcast(ky), r);
            }
            TOps.Store(b, ref br, c);
            TOps.Store(r, ref rr, c);
            if (c + n >= w) break;
        }
    }
}

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

    /// <summary>The horizontal half of a 2 x 2 max pool over one output row: window i holds columns 2i and 2i + 1 of best
    /// and row (the vertical half's output); it takes the larger value, on a tie the smaller row, on a tie of both column
    /// 2i (the scalar loop's choices: lane-wise compares, a NaN never taken). Writes value[i] and
    /// argMax[i] = top + row * stride + 2i + column. Four windows per step in Vector128 (a window's two columns are one
    /// 64-bit lane: a shift by 32 bits lines them up, narrowing packs the results); returns the windows done, a multiple
    /// of 4 (0 without SIMD), the caller finishing the rest.</summary>
    public static int PairsAcross(ReadOnlySpan<float> best, ReadOnlySpan<float> row, int windows, int top, int stride, Span<float> value, Span<int> argMax)
    {
        if (SimdDispatch.Widest < SimdWidth.V128 || windows < 4) return 0;
        BlasThrow.CheckAtLeast(nameof(best), best.Length, 2L * windows, "2 x windows");
        BlasThrow.CheckAtLeast(nameof(row), row.Length, 2L * windows, "2 x windows");
        BlasThrow.CheckAtLeast(nameof(value), value.Length, windows, "windows");
        BlasThrow.CheckAtLeast(nameof(argMax), argMax.Length, windows, "windows");
        ref float br = ref MemoryMarshal.GetReference(best);
        ref float rr = ref MemoryMarshal.GetReference(row);
        ref float vr = ref MemoryMarshal.GetReference(value);
        ref int ar = ref MemoryMarshal.GetReference(argMax);
        Vector128<int> first = Vector128.Create(0, 2, 4, 6) + Vector128.Create(top), strides = Vector128.Create(stride);
        int i = 0;
        for (; i + 4 <= windows; i += 4)
        {
            nuint c = (nuint)(2 * i);
            var (va, ra, ka) = Pick(Vector128.LoadUnsafe(ref br, c), Vector128.LoadUnsafe(ref rr, c));
            var (vb, rb, kb) = Pick(Vector128.LoadUnsafe(ref br, c + 4), Vector128.LoadUnsafe(ref rr, c + 4));
            Vector128.Narrow(va.AsUInt64(), vb.AsUInt64()).AsSingle().StoreUnsafe(ref vr, (nuint)i);
            Vector128<int> rows = Vector128.ConvertToInt32(Vector128.Narrow(ra.AsUInt64(), rb.AsUInt64()).AsSingle());
            Vector128<int> kx = -Vector128.Narrow(ka.AsUInt64(), kb.AsUInt64()).AsInt32(); // all-ones masks to 1
            (first + rows * strides + kx + Vector128.Create(2 * i)).StoreUnsafe(ref ar, (nuint)i);
        }
        return i;
    }

    // Two windows in the even lanes: (value, row, all-ones where the odd column is taken).
    private static (Vector128<float> Value, Vector128<float> Row, Vector128<float> TakeOdd) Pick(Vector128<float> b, Vector128<float> r)
    {
        Vector128<float> ob = Vector128.ShiftRightLogical(b.AsUInt64(), 32).AsSingle();
        Vector128<float> or = Vector128.ShiftRightLogical(r.AsUInt64(), 32).AsSingle();
        Vector128<float> take = Vector128.GreaterThan(ob, b) | (Vector128.Equals(ob, b) & Vector128.LessThan(or, r));
        return (Vector128.ConditionalSelect(take, ob, b), Vector128.ConditionalSelect(take, or, r), take);
    }
}

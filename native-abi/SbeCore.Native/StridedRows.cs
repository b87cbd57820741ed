namespace SbeCore.Native;

/// <summary>Checks of row-strided batches over caller buffers: n rows of width floats, ld floats between row starts
/// (0 = packed, ld = width), in a buffer of exactly (n - 1) ld + width floats.</summary>
internal static unsafe class StridedRows
{
    public static int Stride(nuint ld, int width) => ld == 0 ? width : (int)ld;

    public static ReadOnlySpan<float> In(float* pointer, nuint len, nuint ld, int n, int width, string name)
        => Args.In(pointer, Needed(len, ld, n, width, name), name);

    public static Span<float> Out(float* pointer, nuint len, nuint ld, int n, int width, string name)
        => Args.Out(pointer, Needed(len, ld, n, width, name), name);

    /// <summary>NaN or +-Inf in any row gives SBE_E_NON_FINITE (checked here, at the edge, so the status says so).</summary>
    public static void Finite(ReadOnlySpan<float> span, int n, int width, nuint ld, string name)
    {
        int stride = Stride(ld, width);
        for (int j = 0; j < n; j++)
        {
            int bad = SbeCore.Kernels.Blas.IndexOfNonFinite(span.Slice(j * stride, width));
            if (bad >= 0) throw new SbeException(SbeStatus.NonFinite, $"{name}[{j}, {bad}] is {span[j * stride + bad]}; data must be finite.");
        }
    }

    /// <summary>Input and output may not share memory: the output is written while the input is still read.</summary>
    public static void Disjoint(float* a, int aLen, float* b, int bLen, string aName, string bName)
    {
        if (a < b + bLen && b < a + aLen)
            throw new SbeException(SbeStatus.InvalidArgument, $"{aName} and {bName} overlap; they must be separate buffers.");
    }

    private static int Needed(nuint len, nuint ld, int n, int width, string name)
    {
        if (ld != 0 && ld < (nuint)width)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}_ld is {ld}; it must be 0 (packed) or at least the row width {width}.");
        if (ld > (nuint)Args.MaxElements)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}_ld is {ld}; at most {Args.MaxElements}.");
        long stride = ld == 0 ? width : (long)ld;
        long needed = (n - 1) * stride + width;
        if (needed > Args.MaxElements)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name} spans {needed} elements ({n} rows at stride {stride}), more than {Args.MaxElements}.");
        if (len != (ulong)needed)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}_len is {len}; {n} rows of {width} at stride {stride} span {needed} (pass exactly that).");
        return (int)needed;
    }
}

namespace SbeCore.Kernels;

/// <summary>Transposes of small per-sample blocks (a convolution's channel-major columns to its position-major pairs).</summary>
internal static class Transpose
{
    /// <summary>Each of <paramref name="n"/> a x b blocks of <paramref name="from"/> transposed into a b x a block of
    /// <paramref name="to"/>.</summary>
    public static void Blocks(ReadOnlySpan<float> from, int n, int a, int b, Span<float> to)
    {
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<float> src = from.Slice(j * a * b, a * b);
            Span<float> dst = to.Slice(j * a * b, a * b);
            for (int i = 0; i < a; i++)
            {
                ReadOnlySpan<float> row = src.Slice(i * b, b);
                for (int q = 0; q < b; q++) dst[q * a + i] = row[q];
            }
        }
    }
}

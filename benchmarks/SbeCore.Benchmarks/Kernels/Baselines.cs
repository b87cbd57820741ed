using System.Numerics.Tensors;

namespace SbeCore.Benchmarks.Kernels;

/// <summary>(a) naive scalar loops, the textbook form.</summary>
internal static class Naive
{
    public static void Gemv(ReadOnlySpan<float> w, int rows, int cols, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int r = 0; r < rows; r++)
        {
            float s = 0;
            for (int c = 0; c < cols; c++) s += w[r * cols + c] * x[c];
            y[r] = s;
        }
    }

    public static void GemvT(ReadOnlySpan<float> w, int rows, int cols, ReadOnlySpan<float> d, Span<float> z)
    {
        for (int c = 0; c < cols; c++) z[c] = 0;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) z[c] += w[r * cols + c] * d[r];
    }

    public static void Ger(float alpha, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) w[r * cols + c] += alpha * u[r] * v[c];
    }

    public static void RankK(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                float acc = w[r * cols + c];
                for (int t = 0; t < s.Length; t++) acc += s[t] * u[t * rows + r] * v[t * cols + c];
                w[r * cols + c] = acc;
            }
    }

    public static void BatchRead(ReadOnlySpan<float> w, int rows, int cols, ReadOnlySpan<float> x, int n, Span<float> y)
    {
        for (int j = 0; j < n; j++)
            for (int r = 0; r < rows; r++)
            {
                float s = 0;
                for (int c = 0; c < cols; c++) s += w[r * cols + c] * x[j * cols + c];
                y[j * rows + r] = s;
            }
    }

    public static void BatchReadTransposed(ReadOnlySpan<float> w, int rows, int cols, ReadOnlySpan<float> d, int n, Span<float> z)
    {
        for (int j = 0; j < n; j++)
        {
            for (int c = 0; c < cols; c++) z[j * cols + c] = 0;
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) z[j * cols + c] += w[r * cols + c] * d[j * rows + r];
        }
    }
}

/// <summary>(b) the same operations composed from System.Numerics.Tensors TensorPrimitives, row by row.</summary>
internal static class Tensor
{
    public static void Gemv(ReadOnlySpan<float> w, int rows, int cols, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int r = 0; r < rows; r++) y[r] = TensorPrimitives.Dot(w.Slice(r * cols, cols), x);
    }

    public static void GemvT(ReadOnlySpan<float> w, int rows, int cols, ReadOnlySpan<float> d, Span<float> z)
    {
        z = z.Slice(0, cols);
        z.Clear();
        for (int r = 0; r < rows; r++) TensorPrimitives.MultiplyAdd(w.Slice(r * cols, cols), d[r], z, z);
    }

    public static void Ger(float alpha, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = w.Slice(r * cols, cols);
            TensorPrimitives.MultiplyAdd(v, alpha * u[r], row, row);
        }
    }

    public static void RankK(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols)
    {
        for (int t = 0; t < s.Length; t++) Ger(s[t], u.Slice(t * rows, rows), v.Slice(t * cols, cols), w, rows, cols);
    }

    public static void BatchRead(ReadOnlySpan<float> w, int rows, int cols, ReadOnlySpan<float> x, int n, Span<float> y)
    {
        for (int j = 0; j < n; j++) Gemv(w, rows, cols, x.Slice(j * cols, cols), y.Slice(j * rows, rows));
    }

    public static void BatchReadTransposed(ReadOnlySpan<float> w, int rows, int cols, ReadOnlySpan<float> d, int n, Span<float> z)
    {
        for (int j = 0; j < n; j++) GemvT(w, rows, cols, d.Slice(j * rows, rows), z.Slice(j * cols, cols));
    }
}

namespace SbeCore.Kernels;

// FROZEN PUBLIC SIGNATURES (other layers compile against them). This file is a scalar placeholder;
// the kernel work replaces the bodies with Vector512/256/128/scalar paths chosen once.
// Matrices are row-major with an explicit row stride (>= cols) so a tile may be a view of a larger matrix.

/// <summary>float32 linear-algebra kernels over spans: allocation-free, argument-checked up front.</summary>
public static class Blas
{
    /// <summary>Effectively computes sum_i x[i] * y[i].</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"x has {x.Length} elements, y has {y.Length}.", nameof(y));
        float s = 0; for (int i = 0; i < x.Length; i++) s += x[i] * y[i]; return s;
    }

    /// <summary>Effectively computes y[i] += a * x[i].</summary>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"x has {x.Length} elements, y has {y.Length}.", nameof(y));
        for (int i = 0; i < x.Length; i++) y[i] += a * x[i];
    }

    /// <summary>Effectively computes x[i] *= a.</summary>
    public static void Scale(float a, Span<float> x) { for (int i = 0; i < x.Length; i++) x[i] *= a; }

    /// <summary>Euclidean norm, accumulated in double.</summary>
    public static double Nrm2(ReadOnlySpan<float> x) { double s = 0; foreach (var v in x) s += (double)v * v; return Math.Sqrt(s); }

    /// <summary>y = W x, W rows x cols row-major with row stride.</summary>
    public static void Gemv(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, Span<float> y)
    { for (int r = 0; r < rows; r++) y[r] = Dot(w.Slice(r * stride, cols), x); }

    /// <summary>z = W^T d.</summary>
    public static void GemvT(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, Span<float> z)
    { z.Slice(0, cols).Clear(); for (int r = 0; r < rows; r++) Axpy(d[r], w.Slice(r * stride, cols), z.Slice(0, cols)); }

    /// <summary>W += alpha u v^T (u length rows, v length cols).</summary>
    public static void Ger(float alpha, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride)
    { for (int r = 0; r < rows; r++) Axpy(alpha * u[r], v, w.Slice(r * stride, cols)); }

    /// <summary>W += U diag(s) V^T: u is k x rows, v is k x cols (each term a row), s has k entries; one pass over W.</summary>
    public static void RankK(ReadOnlySpan<float> u, ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> w, int rows, int cols, int stride)
    { int k = s.Length; for (int c = 0; c < k; c++) Ger(s[c], u.Slice(c * rows, rows), v.Slice(c * cols, cols), w, rows, cols, stride); }

    /// <summary>Batched forward read: Y (n x rows) = X (n x cols) W^T.</summary>
    public static void BatchRead(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> x, int n, Span<float> y)
    { for (int j = 0; j < n; j++) Gemv(w, rows, cols, stride, x.Slice(j * cols, cols), y.Slice(j * rows, rows)); }

    /// <summary>Batched backward read: Z (n x cols) = D (n x rows) W.</summary>
    public static void BatchReadTransposed(ReadOnlySpan<float> w, int rows, int cols, int stride, ReadOnlySpan<float> d, int n, Span<float> z)
    { for (int j = 0; j < n; j++) GemvT(w, rows, cols, stride, d.Slice(j * rows, rows), z.Slice(j * cols, cols)); }
}

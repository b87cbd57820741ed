using System.Runtime.Intrinsics;
using FsCheck;
using FsCheck.Fluent;
using SbeCore.Kernels;

namespace SbeCore.PropertyTests.Kernels;

/// <summary>A small strided matrix with inputs for both sides and rank-k factors; every value finite and |v| &lt;= 100.</summary>
public sealed record MatrixCase(int Rows, int Cols, int Stride, float[] W, float[] X, float[] D, float Alpha, float Beta, int K, float[] U, float[] S, float[] V, int N, float[] Xs)
{
    public override string ToString() => $"{Rows}x{Cols} stride {Stride}, alpha {Alpha}, beta {Beta}, k {K}, n {N}";
}

public static class KernelArbitraries
{
    /// <summary>Finite floats on a grid of 1e-4 in [-100, 100]: no NaN, no infinity, no overflow in a product of three.</summary>
    private static Gen<float> Bounded => Gen.Choose(-1_000_000, 1_000_000).Select(i => i * 1e-4f);

    public static Arbitrary<MatrixCase> Matrices() => Arb.From(
        from rows in Gen.Choose(0, 11)
        from cols in Gen.Choose(0, 70)
        from gap in Gen.Choose(0, 4)
        from k in Gen.Choose(0, 6)
        from n in Gen.Choose(0, 9)
        from w in Bounded.ArrayOf(rows == 0 || cols == 0 ? 0 : (rows - 1) * (cols + gap) + cols)
        from x in Bounded.ArrayOf(cols)
        from d in Bounded.ArrayOf(rows)
        from alpha in Bounded
        from beta in Bounded
        from u in Bounded.ArrayOf(k * rows)
        from s in Bounded.ArrayOf(k)
        from v in Bounded.ArrayOf(k * cols)
        from xs in Bounded.ArrayOf(n * cols)
        select new MatrixCase(rows, cols, cols + gap, w, x, d, alpha, beta, k, u, s, v, n, xs));
}

/// <summary>The accelerated width paths of this process plus scalar (each is an internal entry point of Blas).</summary>
internal static class Widths
{
    public static IEnumerable<int> Supported()
    {
        if (Vector512.IsHardwareAccelerated) yield return 512;
        if (Vector256.IsHardwareAccelerated) yield return 256;
        if (Vector128.IsHardwareAccelerated) yield return 128;
        yield return 0;
    }

    public const double U = 1.0 / (1 << 24);

    public static float Dot(int w, ReadOnlySpan<float> x, ReadOnlySpan<float> y) => w switch
    { 512 => Blas.Dot512(x, y), 256 => Blas.Dot256(x, y), 128 => Blas.Dot128(x, y), _ => Blas.DotScalar(x, y) };

    public static void Gemv(int w, MatrixCase c, ReadOnlySpan<float> x, Span<float> y)
    {
        switch (w)
        {
            case 512: Blas.Gemv512(c.W, c.Rows, c.Cols, c.Stride, x, y); break;
            case 256: Blas.Gemv256(c.W, c.Rows, c.Cols, c.Stride, x, y); break;
            case 128: Blas.Gemv128(c.W, c.Rows, c.Cols, c.Stride, x, y); break;
            default: Blas.GemvScalar(c.W, c.Rows, c.Cols, c.Stride, x, y); break;
        }
    }

    public static void GemvT(int w, MatrixCase c, ReadOnlySpan<float> d, Span<float> z)
    {
        switch (w)
        {
            case 512: Blas.GemvT512(c.W, c.Rows, c.Cols, c.Stride, d, z); break;
            case 256: Blas.GemvT256(c.W, c.Rows, c.Cols, c.Stride, d, z); break;
            case 128: Blas.GemvT128(c.W, c.Rows, c.Cols, c.Stride, d, z); break;
            default: Blas.GemvTScalar(c.W, c.Rows, c.Cols, c.Stride, d, z); break;
        }
    }

    public static void Ger(int w, float alpha, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> m, MatrixCase c)
    {
        switch (w)
        {
            case 512: Blas.Ger512(alpha, u, v, m, c.Rows, c.Cols, c.Stride); break;
            case 256: Blas.Ger256(alpha, u, v, m, c.Rows, c.Cols, c.Stride); break;
            case 128: Blas.Ger128(alpha, u, v, m, c.Rows, c.Cols, c.Stride); break;
            default: Blas.GerScalar(alpha, u, v, m, c.Rows, c.Cols, c.Stride); break;
        }
    }

    public static void RankK(int w, MatrixCase c, Span<float> m)
    {
        switch (w)
        {
            case 512: Blas.RankK512(c.U, c.S, c.V, m, c.Rows, c.Cols, c.Stride); break;
            case 256: Blas.RankK256(c.U, c.S, c.V, m, c.Rows, c.Cols, c.Stride); break;
            case 128: Blas.RankK128(c.U, c.S, c.V, m, c.Rows, c.Cols, c.Stride); break;
            default: Blas.RankKScalar(c.U, c.S, c.V, m, c.Rows, c.Cols, c.Stride); break;
        }
    }

    public static void BatchRead(int w, MatrixCase c, Span<float> y)
    {
        switch (w)
        {
            case 512: Blas.BatchRead512(c.W, c.Rows, c.Cols, c.Stride, c.Xs, c.N, y); break;
            case 256: Blas.BatchRead256(c.W, c.Rows, c.Cols, c.Stride, c.Xs, c.N, y); break;
            case 128: Blas.BatchRead128(c.W, c.Rows, c.Cols, c.Stride, c.Xs, c.N, y); break;
            default: Blas.BatchReadScalar(c.W, c.Rows, c.Cols, c.Stride, c.Xs, c.N, y); break;
        }
    }

    /// <summary>Is every cell of the matrix part (not the stride gaps) within tol(r, c) of the expected value?</summary>
    public static bool CellsClose(MatrixCase c, float[] actual, Func<int, int, double> expected, Func<int, int, double> tolerance)
    {
        for (int r = 0; r < c.Rows; r++)
            for (int j = 0; j < c.Cols; j++)
                if (!(Math.Abs(actual[r * c.Stride + j] - expected(r, j)) <= tolerance(r, j))) return false;
        return true;
    }
}

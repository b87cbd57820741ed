using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SbeCore.Kernels;

namespace SbeCore.Native;

// Kernels over caller buffers: stateless, thread-safe. W is rows x cols row-major with a row stride >= cols;
// w_len is the number of floats readable (or writable) from w and must cover (rows - 1) * stride + cols.
internal static unsafe partial class Exports
{
    private readonly record struct MatrixShape(int Rows, int Cols, int Stride, int Span);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static MatrixShape Matrix(nuint wLen, nuint rows, nuint cols, nuint stride)
    {
        int r = Args.Dim(rows, "rows"), c = Args.Dim(cols, "cols"), s = Args.Dim(stride, "stride");
        long span = (long)(r - 1) * s + c;
        if (s < c || span > Args.MaxElements || wLen < (nuint)span) ThrowMatrix(wLen, r, c, s, span);
        return new MatrixShape(r, c, s, (int)span);
    }

    [DoesNotReturn]
    private static void ThrowMatrix(nuint wLen, int r, int c, int s, long span)
    {
        if (s < c) throw new SbeException(SbeStatus.InvalidArgument, $"stride is {s}, less than cols {c}.");
        if (span > Args.MaxElements) throw new SbeException(SbeStatus.InvalidArgument, $"the matrix spans {span} elements, more than {Args.MaxElements}.");
        throw new SbeException(SbeStatus.InvalidArgument, $"w_len is {wLen}; a {r} x {c} matrix with stride {s} needs at least {span}.");
    }

    /// <summary>sbe_gemv: y = W x.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_gemv")]
    public static int Gemv(float* w, nuint wLen, nuint rows, nuint cols, nuint stride, float* x, nuint xLen, float* y, nuint yLen)
    {
        try
        {
            var m = Matrix(wLen, rows, cols, stride);
            Args.Length(xLen, m.Cols, "x_len", "cols");
            Args.Length(yLen, m.Rows, "y_len", "rows");
            var xs = Args.In(x, m.Cols, "x");
            Args.Finite(xs, "x");
            Blas.Gemv(Args.In(w, m.Span, "w"), m.Rows, m.Cols, m.Stride, xs, Args.Out(y, m.Rows, "y"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_gemv_t: z = W^T d.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_gemv_t")]
    public static int GemvT(float* w, nuint wLen, nuint rows, nuint cols, nuint stride, float* d, nuint dLen, float* z, nuint zLen)
    {
        try
        {
            var m = Matrix(wLen, rows, cols, stride);
            Args.Length(dLen, m.Rows, "d_len", "rows");
            Args.Length(zLen, m.Cols, "z_len", "cols");
            var ds = Args.In(d, m.Rows, "d");
            Args.Finite(ds, "d");
            Blas.GemvT(Args.In(w, m.Span, "w"), m.Rows, m.Cols, m.Stride, ds, Args.Out(z, m.Cols, "z"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_ger: W += alpha u v^T.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_ger")]
    public static int Ger(float alpha, float* u, nuint uLen, float* v, nuint vLen, float* w, nuint wLen, nuint rows, nuint cols, nuint stride)
    {
        try
        {
            var m = Matrix(wLen, rows, cols, stride);
            Args.Length(uLen, m.Rows, "u_len", "rows");
            Args.Length(vLen, m.Cols, "v_len", "cols");
            Args.Finite(alpha, "alpha");
            var us = Args.In(u, m.Rows, "u");
            var vs = Args.In(v, m.Cols, "v");
            Args.Finite(us, "u");
            Args.Finite(vs, "v");
            Blas.Ger(alpha, us, vs, Args.Out(w, m.Span, "w"), m.Rows, m.Cols, m.Stride);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_batch_read: Y (n x rows) = X (n x cols) W^T.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_batch_read")]
    public static int BatchRead(float* w, nuint wLen, nuint rows, nuint cols, nuint stride, float* x, nuint xLen, nuint n, float* y, nuint yLen)
    {
        try
        {
            var m = Matrix(wLen, rows, cols, stride);
            int count = Args.Dim(n, "n");
            int inLen = Args.Product(count, m.Cols, "x"), outLen = Args.Product(count, m.Rows, "y");
            Args.Length(xLen, inLen, "x_len", "n * cols");
            Args.Length(yLen, outLen, "y_len", "n * rows");
            var xs = Args.In(x, inLen, "x");
            Args.Finite(xs, "x");
            Blas.BatchRead(Args.In(w, m.Span, "w"), m.Rows, m.Cols, m.Stride, xs, count, Args.Out(y, outLen, "y"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_batch_read_t: Z (n x cols) = D (n x rows) W.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_batch_read_t")]
    public static int BatchReadT(float* w, nuint wLen, nuint rows, nuint cols, nuint stride, float* d, nuint dLen, nuint n, float* z, nuint zLen)
    {
        try
        {
            var m = Matrix(wLen, rows, cols, stride);
            int count = Args.Dim(n, "n");
            int inLen = Args.Product(count, m.Rows, "d"), outLen = Args.Product(count, m.Cols, "z");
            Args.Length(dLen, inLen, "d_len", "n * rows");
            Args.Length(zLen, outLen, "z_len", "n * cols");
            var ds = Args.In(d, inLen, "d");
            Args.Finite(ds, "d");
            Blas.BatchReadTransposed(Args.In(w, m.Span, "w"), m.Rows, m.Cols, m.Stride, ds, count, Args.Out(z, outLen, "z"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }
}

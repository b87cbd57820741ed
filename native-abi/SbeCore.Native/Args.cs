using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Native;

/// <summary>Argument checks shared by the shims; each throws an SbeException naming the parameter and the values.</summary>
internal static unsafe class Args
{
    /// <summary>Largest matrix (elements) accepted anywhere, so a wrong size fails fast instead of exhausting memory.</summary>
    public const long MaxElements = 1L << 26;

    // The checks below run on every call (a 1 x 1 sbe_gemv is mostly checks): each is a compare that inlines, with the
    // message built out of line.
    public static void NotNull(void* pointer, string name)
    {
        if (pointer == null) ThrowNull(name);
    }

    [DoesNotReturn]
    private static void ThrowNull(string name) => throw new SbeException(SbeStatus.NullPointer, $"{name} is NULL.");

    /// <summary>A dimension in [1, MaxElements].</summary>
    public static int Dim(nuint value, string name)
    {
        if (value - 1 >= (nuint)MaxElements) ThrowDim(value, name); // 0 wraps around
        return (int)value;
    }

    [DoesNotReturn]
    private static void ThrowDim(nuint value, string name) =>
        throw new SbeException(SbeStatus.InvalidArgument, $"{name} is {value}; it must be in [1, {MaxElements}].");

    /// <summary>a * b elements, rejected when above MaxElements.</summary>
    public static int Product(int a, int b, string what)
    {
        long p = (long)a * b;
        if (p > MaxElements) throw new SbeException(SbeStatus.InvalidArgument, $"{what} has {a} x {b} = {p} elements, more than {MaxElements}.");
        return (int)p;
    }

    /// <summary>Checks that a caller-declared buffer length equals the expected element count.</summary>
    public static void Length(nuint actual, long expected, string name, string expectation)
    {
        if (actual != (ulong)expected) ThrowLength(actual, expected, name, expectation);
    }

    [DoesNotReturn]
    private static void ThrowLength(nuint actual, long expected, string name, string expectation) =>
        throw new SbeException(SbeStatus.InvalidArgument, $"{name} has {actual} elements; {expectation} needs {expected}.");

    /// <summary>A read-only span over a caller buffer after the NULL check.</summary>
    public static ReadOnlySpan<float> In(float* pointer, int length, string name)
    {
        NotNull(pointer, name);
        return new ReadOnlySpan<float>(pointer, length);
    }

    /// <summary>A writable span over a caller buffer after the NULL check.</summary>
    public static Span<float> Out(float* pointer, int length, string name)
    {
        NotNull(pointer, name);
        return new Span<float>(pointer, length);
    }

    /// <summary>Rejects NaN and +-Inf, naming the first offending index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Finite(ReadOnlySpan<float> values, string name)
    {
        int bad = SbeCore.Kernels.Blas.IndexOfNonFinite(values);
        if (bad >= 0) ThrowNonFinite(values[bad], bad, name);
    }

    [DoesNotReturn]
    private static void ThrowNonFinite(float value, int index, string name) =>
        throw new SbeException(SbeStatus.NonFinite, $"{name}[{index}] is {value}; data must be finite.");

    public static void Finite(float value, string name)
    {
        if (!float.IsFinite(value)) throw new SbeException(SbeStatus.NonFinite, $"{name} is {value}; it must be finite.");
    }

    /// <summary>A UTF-8 NUL-terminated path.</summary>
    public static string Path(byte* path, string name)
    {
        NotNull(path, name);
        string? s = System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)path);
        if (string.IsNullOrEmpty(s)) throw new SbeException(SbeStatus.InvalidArgument, $"{name} is an empty path.");
        return s;
    }
}

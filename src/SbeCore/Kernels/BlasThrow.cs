using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SbeCore.Kernels;

/// <summary>Argument checks for <see cref="Blas"/>: all run before anything is written; throwing sits out of line.</summary>
internal static class BlasThrow
{
    [DoesNotReturn]
    public static void LengthMismatch(string name, int actual, long expected, string what) =>
        throw new ArgumentException($"{name} has {actual} elements; {expected} expected ({what}).", name);

    [DoesNotReturn]
    public static void TooShort(string name, int actual, long needed, string what) =>
        throw new ArgumentException($"{name} has {actual} elements; at least {needed} needed ({what}).", name);

    [DoesNotReturn]
    public static void Overlap(string destination, string input) =>
        throw new ArgumentException($"{destination} overlaps {input}; the kernel would read values it has already overwritten.", destination);

    [DoesNotReturn]
    public static void BadShape(string name, int value, string rule) =>
        throw new ArgumentException($"{name} is {value}; {rule}.", name);

    /// <summary>Checks a rows x cols row-major view with a row stride; returns the elements it spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CheckMatrix(string name, int length, int rows, int cols, int stride)
    {
        if ((rows | cols) < 0 || stride < cols) BadMatrix(rows, cols, stride);
        long span = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * stride + cols;
        if (length < span) MatrixTooShort(name, length, span, rows, cols, stride);
        return (int)span;
    }

    [DoesNotReturn]
    private static void BadMatrix(int rows, int cols, int stride)
    {
        if (rows < 0) BadShape(nameof(rows), rows, "it must not be negative");
        if (cols < 0) BadShape(nameof(cols), cols, "it must not be negative");
        BadShape(nameof(stride), stride, $"it must be at least cols ({cols})");
    }

    [DoesNotReturn]
    private static void MatrixTooShort(string name, int length, long span, int rows, int cols, int stride) =>
        TooShort(name, length, span, $"(rows-1)*stride+cols for {rows}x{cols} with stride {stride}");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckExact(string name, int length, long expected, string what)
    {
        if (length != expected) LengthMismatch(name, length, expected, what);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckAtLeast(string name, int length, long needed, string what)
    {
        if (length < needed) TooShort(name, length, needed, what);
    }

    public static void CheckCount(string name, int value)
    {
        if (value < 0) BadShape(name, value, "it must not be negative");
    }

    /// <summary>Throws when the used part of a destination shares memory with the used part of an input: the spans share
    /// an element when either starts inside the other; empty spans share none. MemoryExtensions.Overlaps' test written out
    /// so that it inlines (a call per check showed in a 1 x 1 read's profile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckNoOverlap(ReadOnlySpan<float> destination, string destinationName, ReadOnlySpan<float> input, string inputName)
    {
        if (destination.IsEmpty || input.IsEmpty) return;
        nint offset = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(destination));
        if ((nuint)offset < (nuint)input.Length * sizeof(float) || (nuint)(-offset) < (nuint)destination.Length * sizeof(float))
            Overlap(destinationName, inputName);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Native;

/// <summary>Argument checks shared by the shims; each throws an SbeException naming the parameter and the values.</summary>
internal static unsafe class Args
{
    /// <summary>Largest matrix (elements) accepted anywhere, so a wrong size fails fast instead of exhausting memory.</summary>
    public const long MaxElements = 1L << 26;

    public static void NotNull(void* pointer, string name)
    {
        if (pointer == null) throw new SbeException(SbeStatus.NullPointer, $"{name} is NULL.");
    }

    /// <summary>A dimension in [1, MaxElements].</summary>
    public static int Dim(nuint value, string name)
    {
        if (value == 0 || value > (nuint)MaxElements)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name} is {value}; it must be in [1, {MaxElements}].");
        return (int)value;
    }

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
        if (actual != (ulong)expected)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name} has {actual} elements; {expectation} needs {expected}.");
    }

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
    public static void Finite(ReadOnlySpan<float> values, string name)
    {
        int bad = IndexOfNonFinite(values);
        if (bad >= 0) throw new SbeException(SbeStatus.NonFinite, $"{name}[{bad}] is {values[bad]}; data must be finite.");
    }

    public static void Finite(float value, string name)
    {
        if (!float.IsFinite(value)) throw new SbeException(SbeStatus.NonFinite, $"{name} is {value}; it must be finite.");
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        // x - x is 0 for finite x and NaN for NaN/Inf: accumulate that with the widest live vectors, locate only on failure.
        ref float start = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length, i = 0;
        bool bad = false;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count) { var v = Vector512.LoadUnsafe(ref start, i); acc += v - v; }
            bad = acc != Vector512<float>.Zero;
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count) { var v = Vector256.LoadUnsafe(ref start, i); acc += v - v; }
            bad = acc != Vector256<float>.Zero;
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
        {
            var acc = Vector128<float>.Zero;
            for (; i + (nuint)Vector128<float>.Count <= n; i += (nuint)Vector128<float>.Count) { var v = Vector128.LoadUnsafe(ref start, i); acc += v - v; }
            bad = acc != Vector128<float>.Zero;
        }
        for (; i < n && !bad; i++) bad = !float.IsFinite(Unsafe.Add(ref start, i));
        if (!bad) return -1;
        for (int j = 0; j < values.Length; j++) if (!float.IsFinite(values[j])) return j;
        return -1;
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

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SbeCore.Kernels;

/// <summary>
/// A rows x cols float matrix whose rows each start on a 64-byte boundary: the row stride is cols rounded up to
/// <see cref="RowAlignment"/> floats and the storage is a pinned array, which never moves, so the alignment holds for
/// the matrix's life. Give <see cref="Span"/> and <see cref="Stride"/> to the <see cref="Blas"/> matrix kernels.
/// </summary>
/// <remarks>
/// Why: a 64-byte vector access at an address that is not a multiple of 64 touches two cache lines. At an odd row
/// stride (785 floats: 784 inputs and a bias) almost every row starts inside a line, and an in-cache
/// <see cref="Blas.Ger"/> at 100x785 takes about 1.5x as long as on the same matrix with aligned rows (docs/kernels.md,
/// "Row alignment"). The kernels give the same bits at any stride and alignment; only the time changes. The stride gaps
/// (<see cref="Stride"/> - <see cref="Cols"/> floats per row) are never touched by the kernels.
/// </remarks>
public sealed class AlignedMatrix
{
    /// <summary>Rows start on a multiple of this many floats (64 bytes, one cache line).</summary>
    public const int RowAlignment = 16;

    private readonly float[] _storage;
    private readonly int _offset;

    /// <summary>Creates a zeroed rows x cols matrix.</summary>
    /// <exception cref="ArgumentException">A negative size, or more elements than an array holds.</exception>
    public AlignedMatrix(int rows, int cols)
    {
        Check.AtLeast(rows, 0);
        Check.AtLeast(cols, 0);
        long stride = ((long)cols + RowAlignment - 1) / RowAlignment * RowAlignment;
        long length = rows * stride;
        if (length + RowAlignment > Array.MaxLength)
            throw new ArgumentException($"A {rows} x {cols} matrix padded to a stride of {stride} is too large.", nameof(cols));
        Rows = rows; Cols = cols; Stride = (int)stride;
        _storage = GC.AllocateArray<float>((int)length + RowAlignment - 1, pinned: true);
        _offset = OffsetToAlignment(_storage);
        Length = (int)length;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }
    /// <summary>Number of columns (used floats per row).</summary>
    public int Cols { get; }
    /// <summary>Floats from one row start to the next: <see cref="Cols"/> rounded up to <see cref="RowAlignment"/>.</summary>
    public int Stride { get; }
    /// <summary>Rows x <see cref="Stride"/>: the length of <see cref="Span"/>.</summary>
    public int Length { get; }

    /// <summary>The matrix, row r at [r * Stride, r * Stride + Cols); the first element is 64-byte aligned.</summary>
    public Span<float> Span => _storage.AsSpan(_offset, Length);

    /// <summary>Row r (Cols floats).</summary>
    public Span<float> Row(int r)
    {
        Check.Index(r, Rows);
        return _storage.AsSpan(_offset + r * Stride, Cols);
    }

    /// <summary>Sets every element (and the stride gaps) to zero.</summary>
    public void Clear() => Span.Clear();

    // Floats to skip from the array's first element to a 64-byte boundary (float arrays are at least 4-byte aligned).
    private static int OffsetToAlignment(float[] pinned) => CacheLine.FloatsToBoundary(ref MemoryMarshal.GetArrayDataReference(pinned));
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SbeCore.Kernels;

/// <summary>Transposes of small per-sample blocks (a convolution's channel-major columns to its position-major pairs).</summary>
internal static class Transpose
{
    // Tiles of Tile x Tile elements: a tile's source rows and destination rows stay in L1 while it is copied (a whole
    // 26 x 784 block row by row wrote every element to another cache line of an 80 KB destination).
    private const int Tile = 8;

    /// <summary>Each of <paramref name="n"/> a x b blocks of <paramref name="from"/> transposed into a b x a block of
    /// <paramref name="to"/>.</summary>
    public static void Blocks(ReadOnlySpan<float> from, int n, int a, int b, Span<float> to)
    {
        long size = (long)a * b;
        if (from.Length < n * size || to.Length < n * size) throw new ArgumentException("Transpose.Blocks: a buffer is shorter than n blocks.");
        for (int j = 0; j < n; j++)
            Block(ref Unsafe.Add(ref MemoryMarshal.GetReference(from), (nint)(j * size)), a, b, ref Unsafe.Add(ref MemoryMarshal.GetReference(to), (nint)(j * size)));
    }

    private static void Block(ref float src, int a, int b, ref float dst)
    {
        for (int i0 = 0; i0 < a; i0 += Tile)
        {
            int i1 = Math.Min(a, i0 + Tile);
            for (int q0 = 0; q0 < b; q0 += Tile)
            {
                int q1 = Math.Min(b, q0 + Tile);
                for (int i = i0; i < i1; i++)
                {
                    ref float row = ref Unsafe.Add(ref src, (nint)i * b);
                    for (int q = q0; q < q1; q++) Unsafe.Add(ref dst, (nint)q * a + i) = Unsafe.Add(ref row, q);
                }
            }
        }
    }
}

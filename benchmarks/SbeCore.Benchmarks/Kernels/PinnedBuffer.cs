using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SbeCore.Benchmarks.Kernels;

/// <summary>A float buffer at a fixed offset from a 64-byte cache-line boundary, in a pinned array (its address never
/// changes), so every benchmark process sees the same placement: whether a vector load or store splits two cache lines
/// depends on it, and it otherwise varies with the allocator (up to 2x on the probes at 10x101).</summary>
internal sealed class PinnedBuffer
{
    private readonly float[] _array;
    private readonly int _at;

    public PinnedBuffer(int length, int offsetBytes)
    {
        Length = length;
        _array = GC.AllocateArray<float>(length + 16, pinned: true);
        _at = (int)(((offsetBytes - AddressOf(_array) % 64) + 64) % 64 / 4);
    }

    public int Length { get; }

    public Span<float> Span => _array.AsSpan(_at, Length);

    private static unsafe long AddressOf(float[] pinned) => (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
}

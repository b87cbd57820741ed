using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Benchmarks.Kernels;

/// <summary>Roofline probes: the best this machine does on the same bytes or with the same arithmetic.</summary>
/// <remarks>Jitted fully optimised at once (AggressiveOptimization), like the kernels, so neither side of a ratio is
/// timed in intermediate tier code.</remarks>
internal static class Probes
{
    /// <summary>FMAs per FmaPeak call: 16 independent accumulators x 8192 steps.</summary>
    public const int FmaPeakSteps = 8192;
    public const int FmaPeakChains = 16;

    /// <summary>Peak FMA throughput: 16 independent Vector512 FMA chains on registers (no memory traffic).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float FmaPeak(float a, float b)
    {
        Vector512<float> va = Vector512.Create(a), vb = Vector512.Create(b);
        Vector512<float> c0 = va, c1 = vb, c2 = va + vb, c3 = va - vb, c4 = va, c5 = vb, c6 = va, c7 = vb;
        Vector512<float> c8 = va, c9 = vb, c10 = va, c11 = vb, c12 = va, c13 = vb, c14 = va, c15 = vb;
        for (int i = 0; i < FmaPeakSteps; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, va, vb); c1 = Vector512.FusedMultiplyAdd(c1, va, vb);
            c2 = Vector512.FusedMultiplyAdd(c2, va, vb); c3 = Vector512.FusedMultiplyAdd(c3, va, vb);
            c4 = Vector512.FusedMultiplyAdd(c4, va, vb); c5 = Vector512.FusedMultiplyAdd(c5, va, vb);
            c6 = Vector512.FusedMultiplyAdd(c6, va, vb); c7 = Vector512.FusedMultiplyAdd(c7, va, vb);
            c8 = Vector512.FusedMultiplyAdd(c8, va, vb); c9 = Vector512.FusedMultiplyAdd(c9, va, vb);
            c10 = Vector512.FusedMultiplyAdd(c10, va, vb); c11 = Vector512.FusedMultiplyAdd(c11, va, vb);
            c12 = Vector512.FusedMultiplyAdd(c12, va, vb); c13 = Vector512.FusedMultiplyAdd(c13, va, vb);
            c14 = Vector512.FusedMultiplyAdd(c14, va, vb); c15 = Vector512.FusedMultiplyAdd(c15, va, vb);
        }
        return Vector512.Sum(((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15)));
    }

    /// <summary>Read-only streaming: sum of every float, 8 Vector512 accumulators.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float StreamSum(ReadOnlySpan<float> data)
    {
        ref float r = ref MemoryMarshal.GetReference(data);
        nuint n = (nuint)Vector512<float>.Count, len = (nuint)data.Length, i = 0;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (; i + 8 * n <= len; i += 8 * n)
        {
            a0 += Vector512.LoadUnsafe(ref r, i); a1 += Vector512.LoadUnsafe(ref r, i + n);
            a2 += Vector512.LoadUnsafe(ref r, i + 2 * n); a3 += Vector512.LoadUnsafe(ref r, i + 3 * n);
            a4 += Vector512.LoadUnsafe(ref r, i + 4 * n); a5 += Vector512.LoadUnsafe(ref r, i + 5 * n);
            a6 += Vector512.LoadUnsafe(ref r, i + 6 * n); a7 += Vector512.LoadUnsafe(ref r, i + 7 * n);
        }
        for (; i + n <= len; i += n) a0 += Vector512.LoadUnsafe(ref r, i);
        float s = Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
        for (; i < len; i++) s += Unsafe.Add(ref r, i);
        return s;
    }

    /// <summary>In-place read-modify-write: x *= a, Vector512, unrolled by 4.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void ScaleInPlace(float a, Span<float> data)
    {
        ref float r = ref MemoryMarshal.GetReference(data);
        nuint n = (nuint)Vector512<float>.Count, len = (nuint)data.Length, i = 0;
        var va = Vector512.Create(a);
        for (; i + 4 * n <= len; i += 4 * n)
        {
            (va * Vector512.LoadUnsafe(ref r, i)).StoreUnsafe(ref r, i);
            (va * Vector512.LoadUnsafe(ref r, i + n)).StoreUnsafe(ref r, i + n);
            (va * Vector512.LoadUnsafe(ref r, i + 2 * n)).StoreUnsafe(ref r, i + 2 * n);
            (va * Vector512.LoadUnsafe(ref r, i + 3 * n)).StoreUnsafe(ref r, i + 3 * n);
        }
        for (; i + n <= len; i += n) (va * Vector512.LoadUnsafe(ref r, i)).StoreUnsafe(ref r, i);
        for (; i < len; i++) Unsafe.Add(ref r, i) *= a;
    }
}

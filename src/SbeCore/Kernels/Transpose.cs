using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace SbeCore.Kernels;

/// <summary>
/// Transposes of small per-sample blocks (a convolution's channel-major columns to its position-major pairs): 4 x 4
/// tiles in Vector128 registers (SSE unpacks on x86, TRN1/TRN2 on ARM64: the cross-platform API has no two-vector
/// shuffle), the edges element by element. A copy: every path gives the same values.
/// </summary>
internal static class Transpose
{
    /// <summary>Each of <paramref name="n"/> a x b blocks of <paramref name="from"/> transposed into a b x a block of
    /// <paramref name="to"/>.</summary>
    public static void Blocks(ReadOnlySpan<float> from, int n, int a, int b, Span<float> to)
    {
        long size = (long)a * b;
        if (from.Length < n * size || to.Length < n * size) throw new ArgumentException("Transpose.Blocks: a buffer is shorter than n blocks.");
        bool vector = SimdDispatch.Widest >= SimdWidth.V128 && (Sse.IsSupported || AdvSimd.Arm64.IsSupported);
        ref float src = ref MemoryMarshal.GetReference(from);
        ref float dst = ref MemoryMarshal.GetReference(to);
        for (int j = 0; j < n; j++)
        {
            ref float s = ref Unsafe.Add(ref src, (nint)(j * size));
            ref float d = ref Unsafe.Add(ref dst, (nint)(j * size));
            int a4 = vector ? a & ~3 : 0, b4 = vector ? b & ~3 : 0;
            for (int i = 0; i < a4; i += 4)
                for (int q = 0; q < b4; q += 4) Tile4(ref Unsafe.Add(ref s, (nint)i * b + q), b, ref Unsafe.Add(ref d, (nint)q * a + i), a);
            Scalar(ref s, a, b, ref d, a4, 0, a, b); // the rows below the tiles, then the columns right of them
            Scalar(ref s, a, b, ref d, 0, b4, a4, b);
        }
    }

    // dst[q * a + i] = src[i * b + q] for i in [i0, i1), q in [q0, q1).
    private static void Scalar(ref float src, int a, int b, ref float dst, int i0, int q0, int i1, int q1)
    {
        for (int i = i0; i < i1; i++)
        {
            ref float row = ref Unsafe.Add(ref src, (nint)i * b);
            for (int q = q0; q < q1; q++) Unsafe.Add(ref dst, (nint)q * a + i) = Unsafe.Add(ref row, q);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4(ref float src, int srcStride, ref float dst, int dstStride)
    {
        Vector128<float> r0 = Vector128.LoadUnsafe(ref src), r1 = Vector128.LoadUnsafe(ref src, (nuint)srcStride);
        Vector128<float> r2 = Vector128.LoadUnsafe(ref src, (nuint)(2 * srcStride)), r3 = Vector128.LoadUnsafe(ref src, (nuint)(3 * srcStride));
        Vector128<float> o0, o1, o2, o3;
        if (AdvSimd.Arm64.IsSupported)
        {
            Vector128<float> t0 = AdvSimd.Arm64.TransposeEven(r0, r1), t1 = AdvSimd.Arm64.TransposeOdd(r0, r1); // a0 b0 a2 b2 | a1 b1 a3 b3
            Vector128<float> t2 = AdvSimd.Arm64.TransposeEven(r2, r3), t3 = AdvSimd.Arm64.TransposeOdd(r2, r3);
            o0 = AdvSimd.Arm64.TransposeEven(t0.AsUInt64(), t2.AsUInt64()).AsSingle();
            o2 = AdvSimd.Arm64.TransposeOdd(t0.AsUInt64(), t2.AsUInt64()).AsSingle();
            o1 = AdvSimd.Arm64.TransposeEven(t1.AsUInt64(), t3.AsUInt64()).AsSingle();
            o3 = AdvSimd.Arm64.TransposeOdd(t1.AsUInt64(), t3.AsUInt64()).AsSingle();
        }
        else
        {
            Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);   // a0 b0 a1 b1 | c0 d0 c1 d1
            Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3); // a2 b2 a3 b3 | c2 d2 c3 d3
            o0 = Sse.MoveLowToHigh(t0, t1); o1 = Sse.MoveHighToLow(t1, t0);
            o2 = Sse.MoveLowToHigh(t2, t3); o3 = Sse.MoveHighToLow(t3, t2);
        }
        o0.StoreUnsafe(ref dst);
        o1.StoreUnsafe(ref dst, (nuint)dstStride);
        o2.StoreUnsafe(ref dst, (nuint)(2 * dstStride));
        o3.StoreUnsafe(ref dst, (nuint)(3 * dstStride));
    }
}

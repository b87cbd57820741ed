using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;

namespace SbeCore.Eigen;

// The two row loops of the Householder reduction, one generic body each over the house double operations.
internal sealed partial class TridiagonalEigen
{
    // The width for a row of this length: at most 256 bits, and scalar below one vector. That is exactly what the
    // Vector<double> loops these replaced did (Vector<double> is 256-bit on x64 with AVX2 or AVX-512, 128-bit without),
    // and the row sums' order fixes the bits of every exact-SVD result; 512-bit rows, or the short-input policy's
    // narrower vectors for rows of 2-3, would change them.
    private static SimdWidth RowWidth(int length)
    {
        SimdWidth widest = SimdDispatch.Widest < SimdWidth.V256 ? SimdDispatch.Widest : SimdWidth.V256;
        return widest != SimdWidth.Scalar && length >= (int)widest / 64 ? widest : SimdWidth.Scalar;
    }

    // returns row[0..i] . u[0..i], and p[0..i) += u[i] row[0..i)
    private static double DotAndAxpy(ReadOnlySpan<double> row, ReadOnlySpan<double> u, Span<double> p, int i) => RowWidth(i) switch
    {
        SimdWidth.V256 => DotAndAxpyCore<Simd256d, Vector256<double>>(row, u, p, i),
        SimdWidth.V128 => DotAndAxpyCore<Simd128d, Vector128<double>>(row, u, p, i),
        _ => DotAndAxpyTail(row, u, p, i, 0, row[i] * u[i]),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double DotAndAxpyCore<TOps, TVec>(ReadOnlySpan<double> row, ReadOnlySpan<double> u, Span<double> p, int i)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        double ui = u[i], dot = row[i] * ui;
        ref double rr = ref MemoryMarshal.GetReference(row);
        ref double ru = ref MemoryMarshal.GetReference(u);
        ref double rp = ref MemoryMarshal.GetReference(p);
        nuint n = (nuint)TOps.Count, length = (nuint)i, l = 0;
        TVec vu = TOps.Broadcast(ui), acc = TOps.Zero;
        for (; l + n <= length; l += n)
        {
            TVec x = TOps.Load(ref rr, l);
            acc = TOps.MultiplyAdd(x, TOps.Load(ref ru, l), acc);
            TOps.Store(TOps.MultiplyAdd(vu, x, TOps.Load(ref rp, l)), ref rp, l);
        }
        return DotAndAxpyTail(row, u, p, i, (int)l, dot + TOps.Sum(acc));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double DotAndAxpyTail(ReadOnlySpan<double> row, ReadOnlySpan<double> u, Span<double> p, int i, int start, double dot)
    {
        double ui = u[i];
        for (int l = start; l < i; l++) { dot += row[l] * u[l]; p[l] += ui * row[l]; }
        return dot;
    }

    // row[l] -= ui w[l] + wi u[l] for l in 0..row.Length
    private static void RankTwoRow(Span<double> row, ReadOnlySpan<double> u, ReadOnlySpan<double> w, double ui, double wi)
    {
        switch (RowWidth(row.Length))
        {
            case SimdWidth.V256: RankTwoRowCore<Simd256d, Vector256<double>>(row, u, w, ui, wi); break;
            case SimdWidth.V128: RankTwoRowCore<Simd128d, Vector128<double>>(row, u, w, ui, wi); break;
            default: RankTwoRowTail(row, u, w, ui, wi, 0); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RankTwoRowCore<TOps, TVec>(Span<double> row, ReadOnlySpan<double> u, ReadOnlySpan<double> w, double ui, double wi)
        where TOps : struct, ISimdDoubleOps<TVec> where TVec : struct
    {
        ref double rr = ref MemoryMarshal.GetReference(row);
        ref double ru = ref MemoryMarshal.GetReference(u);
        ref double rw = ref MemoryMarshal.GetReference(w);
        nuint n = (nuint)TOps.Count, length = (nuint)row.Length, l = 0;
        TVec vui = TOps.Broadcast(-ui), vwi = TOps.Broadcast(-wi);
        for (; l + n <= length; l += n)
        {
            TVec x = TOps.MultiplyAdd(vui, TOps.Load(ref rw, l), TOps.Load(ref rr, l));
            TOps.Store(TOps.MultiplyAdd(vwi, TOps.Load(ref ru, l), x), ref rr, l);
        }
        RankTwoRowTail(row, u, w, ui, wi, (int)l);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RankTwoRowTail(Span<double> row, ReadOnlySpan<double> u, ReadOnlySpan<double> w, double ui, double wi, int start)
    {
        for (int l = start; l < row.Length; l++) row[l] = row[l] - ui * w[l] - wi * u[l];
    }
}

using SbeCore.Kernels;

namespace SbeCore.Tests.Kernels;

/// <summary>Every rejected call throws ArgumentException naming the argument and the lengths, and writes nothing.</summary>
public class ArgumentTests
{
    private static void AssertRejected(Action call, string parameter, float[] watched, params string[] messageParts)
    {
        float[] before = (float[])watched.Clone();
        var ex = Assert.Throws<ArgumentException>(call);
        Assert.Equal(parameter, ex.ParamName);
        foreach (string part in messageParts) Assert.Contains(part, ex.Message);
        for (int i = 0; i < before.Length; i++)
            Assert.True(Reference.SameBits(before[i], watched[i]), $"cell {i} changed by a rejected call");
    }

    private static float[] Filled(int n, float start = 1f)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = start + i;
        return a;
    }

    [Fact]
    public void TheOverlapCheckAgreesWithMemoryExtensionsOverlapsOnEveryPairOfSlices()
    {
        // Every (start, length) pair of slices of one buffer, empty ones included, and slices of another buffer.
        float[] buffer = new float[9], other = new float[9];
        int checkedPairs = 0;
        for (int a0 = 0; a0 <= buffer.Length; a0++)
            for (int al = 0; a0 + al <= buffer.Length; al++)
                for (int b0 = 0; b0 <= buffer.Length; b0++)
                    for (int bl = 0; b0 + bl <= buffer.Length; bl++)
                    {
                        bool expected = buffer.AsSpan(a0, al).Overlaps(buffer.AsSpan(b0, bl));
                        bool rejected = Rejects(buffer, a0, al, buffer, b0, bl);
                        Assert.True(expected == rejected, $"[{a0}, +{al}) against [{b0}, +{bl}): Overlaps {expected}, check rejected {rejected}");
                        Assert.False(Rejects(buffer, a0, al, other, b0, bl), $"[{a0}, +{al}) against another buffer");
                        checkedPairs++;
                    }
        Assert.Equal(55 * 55, checkedPairs);

        static bool Rejects(float[] d, int d0, int dl, float[] x, int x0, int xl)
        {
            try { BlasThrow.CheckNoOverlap(d.AsSpan(d0, dl), "d", x.AsSpan(x0, xl), "x"); return false; }
            catch (ArgumentException) { return true; }
        }
    }

    [Fact]
    public void DotRejectsALengthMismatch()
    {
        float[] x = Filled(5), y = Filled(4);
        AssertRejected(() => Blas.Dot(x, y), "y", y, "has 4 elements", "5 expected");
    }

    [Fact]
    public void AxpyRejectsMismatchShortDestinationAndShiftedOverlap()
    {
        float[] x = Filled(5), shortY = Filled(4), longY = Filled(6);
        AssertRejected(() => Blas.Axpy(2f, x, shortY), "y", shortY, "has 4 elements", "5 expected");
        AssertRejected(() => Blas.Axpy(2f, x, longY), "y", longY, "has 6 elements");
        float[] buffer = Filled(10);
        AssertRejected(() => Blas.Axpy(2f, buffer.AsSpan(0, 8), buffer.AsSpan(1, 8)), "y", buffer, "overlaps x");
    }

    [Fact]
    public void GemvRejectsBadShapesLengthsAndOverlaps()
    {
        float[] w = Filled(3 * 6), x = Filled(4), y = Filled(3);
        AssertRejected(() => Blas.Gemv(w, 3, 4, 6, Filled(3), y), "x", y, "has 3 elements", "4 expected");
        AssertRejected(() => Blas.Gemv(w, 3, 4, 6, x, y.AsSpan(0, 2)), "y", y, "has 2 elements", "at least 3");
        AssertRejected(() => Blas.Gemv(w.AsSpan(0, 15), 3, 4, 6, x, y), "w", y, "has 15 elements", "at least 16");
        AssertRejected(() => Blas.Gemv(w, 3, 4, 3, x, y), "stride", y, "stride is 3", "at least cols (4)");
        AssertRejected(() => Blas.Gemv(w, -1, 4, 6, x, y), "rows", y, "-1");
        AssertRejected(() => Blas.Gemv(w, 3, -2, 6, x, y), "cols", y, "-2");
        float[] buffer = Filled(20);
        AssertRejected(() => Blas.Gemv(buffer.AsSpan(0, 16), 3, 4, 6, x, buffer.AsSpan(15, 3)), "y", buffer, "overlaps w");
        AssertRejected(() => Blas.Gemv(w, 3, 4, 6, buffer.AsSpan(0, 4), buffer.AsSpan(2, 3)), "y", buffer, "overlaps x");
    }

    [Fact]
    public void GemvTRejectsBadShapesLengthsAndOverlaps()
    {
        float[] w = Filled(3 * 6), d = Filled(3), z = Filled(4);
        AssertRejected(() => Blas.GemvT(w, 3, 4, 6, Filled(4), z), "d", z, "has 4 elements", "3 expected");
        AssertRejected(() => Blas.GemvT(w, 3, 4, 6, d, z.AsSpan(0, 3)), "z", z, "has 3 elements", "at least 4");
        AssertRejected(() => Blas.GemvT(w.AsSpan(0, 15), 3, 4, 6, d, z), "w", z, "at least 16");
        AssertRejected(() => Blas.GemvT(w, 3, 4, 2, d, z), "stride", z, "stride is 2");
        float[] buffer = Filled(24);
        AssertRejected(() => Blas.GemvT(buffer.AsSpan(0, 16), 3, 4, 6, d, buffer.AsSpan(4, 4)), "z", buffer, "overlaps w");
        AssertRejected(() => Blas.GemvT(w, 3, 4, 6, buffer.AsSpan(0, 3), buffer.AsSpan(1, 4)), "z", buffer, "overlaps d");
    }

    [Fact]
    public void GerRejectsBadShapesLengthsAndOverlaps()
    {
        float[] w = Filled(3 * 6), u = Filled(3), v = Filled(4);
        AssertRejected(() => Blas.Ger(1f, Filled(2), v, w, 3, 4, 6), "u", w, "has 2 elements", "3 expected");
        AssertRejected(() => Blas.Ger(1f, u, Filled(5), w, 3, 4, 6), "v", w, "has 5 elements", "4 expected");
        AssertRejected(() => Blas.Ger(1f, u, v, w.AsSpan(0, 15), 3, 4, 6), "w", w, "has 15 elements", "at least 16");
        AssertRejected(() => Blas.Ger(1f, u, v, w, 3, 4, 3), "stride", w, "stride is 3");
        float[] buffer = Filled(24);
        AssertRejected(() => Blas.Ger(1f, u, buffer.AsSpan(14, 4), buffer.AsSpan(0, 16), 3, 4, 6), "w", buffer, "overlaps v");
        AssertRejected(() => Blas.Ger(1f, buffer.AsSpan(0, 3), v, buffer.AsSpan(2, 16), 3, 4, 6), "w", buffer, "overlaps u");
    }

    [Fact]
    public void RankKRejectsBadShapesLengthsAndOverlaps()
    {
        float[] w = Filled(3 * 6), u = Filled(2 * 3), v = Filled(2 * 4), s = Filled(2);
        AssertRejected(() => Blas.RankK(Filled(5), s, v, w, 3, 4, 6), "u", w, "has 5 elements", "6 expected");
        AssertRejected(() => Blas.RankK(u, s, Filled(4), w, 3, 4, 6), "v", w, "has 4 elements", "8 expected");
        AssertRejected(() => Blas.RankK(u, Filled(3), v, w, 3, 4, 6), "u", w, "9 expected");
        AssertRejected(() => Blas.RankK(u, s, v, w.AsSpan(0, 10), 3, 4, 6), "w", w, "has 10 elements");
        AssertRejected(() => Blas.RankK(u, s, v, w, 3, 4, 1), "stride", w, "stride is 1");
        float[] buffer = Filled(30);
        AssertRejected(() => Blas.RankK(u, buffer.AsSpan(15, 2), v, buffer.AsSpan(0, 16), 3, 4, 6), "w", buffer, "overlaps s");
        AssertRejected(() => Blas.RankK(u, s, buffer.AsSpan(10, 8), buffer.AsSpan(0, 16), 3, 4, 6), "w", buffer, "overlaps v");
        AssertRejected(() => Blas.RankK(buffer.AsSpan(12, 6), s, v, buffer.AsSpan(0, 16), 3, 4, 6), "w", buffer, "overlaps u");
    }

    [Fact]
    public void BatchReadRejectsBadShapesLengthsAndOverlaps()
    {
        float[] w = Filled(3 * 6), x = Filled(2 * 4), y = Filled(2 * 3);
        AssertRejected(() => Blas.BatchRead(w, 3, 4, 6, Filled(7), 2, y), "x", y, "has 7 elements", "8 expected");
        AssertRejected(() => Blas.BatchRead(w, 3, 4, 6, x, 2, y.AsSpan(0, 5)), "y", y, "has 5 elements", "at least 6");
        AssertRejected(() => Blas.BatchRead(w, 3, 4, 6, x, -1, y), "n", y, "-1");
        AssertRejected(() => Blas.BatchRead(w.AsSpan(0, 12), 3, 4, 6, x, 2, y), "w", y, "has 12 elements");
        AssertRejected(() => Blas.BatchRead(w, 3, 4, 3, x, 2, y), "stride", y, "stride is 3");
        float[] buffer = Filled(30);
        AssertRejected(() => Blas.BatchRead(buffer.AsSpan(0, 16), 3, 4, 6, x, 2, buffer.AsSpan(10, 6)), "y", buffer, "overlaps w");
        AssertRejected(() => Blas.BatchRead(w, 3, 4, 6, buffer.AsSpan(0, 8), 2, buffer.AsSpan(7, 6)), "y", buffer, "overlaps x");
    }

    [Fact]
    public void BatchReadTransposedRejectsBadShapesLengthsAndOverlaps()
    {
        float[] w = Filled(3 * 6), d = Filled(2 * 3), z = Filled(2 * 4);
        AssertRejected(() => Blas.BatchReadTransposed(w, 3, 4, 6, Filled(5), 2, z), "d", z, "has 5 elements", "6 expected");
        AssertRejected(() => Blas.BatchReadTransposed(w, 3, 4, 6, d, 2, z.AsSpan(0, 7)), "z", z, "has 7 elements", "at least 8");
        AssertRejected(() => Blas.BatchReadTransposed(w, 3, 4, 6, d, -3, z), "n", z, "-3");
        AssertRejected(() => Blas.BatchReadTransposed(w, 3, 4, 0, d, 2, z), "stride", z, "stride is 0");
        float[] buffer = Filled(30);
        AssertRejected(() => Blas.BatchReadTransposed(buffer.AsSpan(0, 16), 3, 4, 6, d, 2, buffer.AsSpan(12, 8)), "z", buffer, "overlaps w");
        AssertRejected(() => Blas.BatchReadTransposed(w, 3, 4, 6, buffer.AsSpan(0, 6), 2, buffer.AsSpan(5, 8)), "z", buffer, "overlaps d");
    }

    [Fact]
    public void EmptyShapesAreAcceptedAndWriteOnlyWhatTheyOwn()
    {
        float[] z = Filled(3);
        Blas.GemvT(ReadOnlySpan<float>.Empty, 0, 3, 3, ReadOnlySpan<float>.Empty, z);
        Assert.Equal(new float[3], z); // W^T d with no rows is the zero vector
        float[] y = Filled(2);
        Blas.Gemv(ReadOnlySpan<float>.Empty, 2, 0, 0, ReadOnlySpan<float>.Empty, y);
        Assert.Equal(new float[2], y);
        Assert.Equal(0f, Blas.Dot([], []));
        Assert.Equal(0.0, Blas.Nrm2([]));
    }
}

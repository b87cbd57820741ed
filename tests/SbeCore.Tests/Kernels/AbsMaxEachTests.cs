using System.Runtime.Intrinsics;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Tests.Kernels;

/// <summary>The noise-management maxima of a group of vectors (SimdReduce.AbsMaxEachAt): each vector's largest magnitude
/// capped, NaN for a vector holding a NaN or an infinity and for no other, at every width this process runs (the
/// scalar one through the dispatching entry point), with the largest element at every position of a vector (the lane
/// reduction has no blind lane).</summary>
public class AbsMaxEachTests
{
    // The scalar width goes through the dispatching entry point, forced to scalar.
    private static void Each(Width width, ReadOnlySpan<float> vectors, int length, float cap, Span<float> maxima)
    {
        switch (width)
        {
            case Width.V512: SimdReduce.AbsMaxEachAt<Simd512, Vector512<float>>(vectors, length, cap, maxima); break;
            case Width.V256: SimdReduce.AbsMaxEachAt<Simd256, Vector256<float>>(vectors, length, cap, maxima); break;
            case Width.V128: SimdReduce.AbsMaxEachAt<Simd128, Vector128<float>>(vectors, length, cap, maxima); break;
            default:
                using (SimdDispatch.Force(SimdWidth.Scalar)) SimdReduce.AbsMaxEach(vectors, length, cap, maxima);
                break;
        }
    }

    private static int Lanes(Width width) => width switch { Width.V512 => 16, Width.V256 => 8, Width.V128 => 4, _ => 1 };

    public static TheoryData<Width> VectorWidths() => Paths.Supported();

    private static float Expected(ReadOnlySpan<float> vector, float cap)
    {
        float max = 0;
        foreach (float x in vector)
        {
            if (!float.IsFinite(x)) return float.NaN;
            max = Math.Max(max, Math.Abs(x));
        }
        return Math.Min(max, cap);
    }

    [Theory, MemberData(nameof(VectorWidths))]
    public void EachVectorsLargestMagnitudeCapped(Width width)
    {
        var rng = new Xoshiro256(5);
        foreach (int length in new[] { Lanes(width), Lanes(width) + 1, 2 * Lanes(width) - 1, 2 * Lanes(width), 26, 151 })
        {
            const int count = 40;
            var v = new float[count * length];
            rng.FillGaussian(v);
            for (int s = 0; s < count; s++)
            {
                // Vector s has its largest magnitude (of either sign) at position s mod length.
                int at = s * length + s % length;
                v[at] = (s % 2 == 0 ? 1 : -1) * (10f + s);
            }
            v.AsSpan(3 * length, length).Clear();
            v[5 * length + Math.Min(1, length - 1)] = float.NaN;
            v[7 * length + length - 1] = float.NegativeInfinity;
            foreach (float cap in new[] { float.PositiveInfinity, 20f })
            {
                var maxima = new float[count];
                Each(width, v, length, cap, maxima);
                for (int s = 0; s < count; s++)
                {
                    Assert.Equal(Expected(v.AsSpan(s * length, length), cap), maxima[s]);
                }
                Assert.Equal(0f, maxima[3]);
                Assert.True(float.IsNaN(maxima[5]) && float.IsNaN(maxima[7]), "non-finite vectors give NaN");
                Assert.Equal(MathF.Min(10f + 8, cap), maxima[8]);
            }
        }
    }

    [Theory, MemberData(nameof(VectorWidths))]
    public void RefusesShortVectorsALengthThatDoesNotDivideAndANegativeCap(Width width)
    {
        var maxima = new float[2];
        Assert.ThrowsAny<ArgumentException>(() => Each(width, new float[2 * (Lanes(width) - 1)], Lanes(width) - 1, float.PositiveInfinity, maxima));
        Assert.Throws<ArgumentException>(() => Each(width, new float[2 * Lanes(width) + 1], Lanes(width), float.PositiveInfinity, maxima));
        // The cap is compared as bits: a negative (-0 included) or NaN one would not order as a value.
        foreach (float cap in new[] { -1f, -0f, float.NaN, float.NegativeInfinity })
            Assert.ThrowsAny<ArgumentException>(() => Each(width, new float[2 * Lanes(width)], Lanes(width), cap, maxima));
        Each(width, new float[2 * Lanes(width)], Lanes(width), 0f, maxima);
        Assert.Equal(new[] { 0f, 0f }, maxima);
    }
}

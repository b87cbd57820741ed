using System.Runtime.Intrinsics;
using SbeCore.Numerics;

namespace SbeCore.Tests.Numerics;

public class GaussianTransformTests
{
    private const float Unit = 1f / (1 << 24);

    // u1 over (0, 1] and u2 over [0, 1) on the 24-bit grid the random stream produces, with the ends and the quadrant edges.
    private static (float[] U1, float[] U2) Inputs(int count, int seed)
    {
        var rng = new Random(seed);
        var u1 = new float[count]; var u2 = new float[count];
        for (int i = 0; i < count; i++) { u1[i] = (rng.Next(1 << 24) + 1) * Unit; u2[i] = rng.Next(1 << 24) * Unit; }
        float[] edges1 = [Unit, 2 * Unit, 0.5f, 0.70710677f, 0.70710683f, 1f - Unit, 1f];
        float[] edges2 = [0f, Unit, 0.125f, 0.25f, 0.375f, 0.5f, 0.625f, 0.75f, 0.875f, 1f - Unit];
        for (int i = 0; i < Math.Min(edges1.Length, count); i++) u1[i] = edges1[i];
        for (int i = 0; i < Math.Min(edges2.Length, count); i++) u2[i] = edges2[i];
        return (u1, u2);
    }

    public static TheoryData<string> Widths => new() { "512", "256", "128" };

    [Theory]
    [MemberData(nameof(Widths))]
    public void EveryWidthGivesTheScalarBits(string width)
    {
        bool accelerated = width switch { "512" => Vector512.IsHardwareAccelerated, "256" => Vector256.IsHardwareAccelerated, _ => Vector128.IsHardwareAccelerated };
        if (!accelerated) return; // this ISA mode runs the scalar path only; the other modes cover the width
        foreach (int length in new[] { 1, 15, 16, 37, 512, 4099 })
        {
            var (u1, u2) = Inputs(length, length);
            var (s1, s2) = ((float[])u1.Clone(), (float[])u2.Clone());
            GaussianTransform.BoxMullerScalar(s1, s2);
            switch (width)
            {
                case "512": GaussianTransform.BoxMuller512(u1, u2); break;
                case "256": GaussianTransform.BoxMuller256(u1, u2); break;
                default: GaussianTransform.BoxMuller128(u1, u2); break;
            }
            Assert.Equal(s1, u1);
            Assert.Equal(s2, u2);
        }
    }

    [Fact]
    public void PairsAreBoxMullerWithinTwoMicrounits()
    {
        // Every 61st point of the 24-bit grid for u1, paired with a spread of angles (275,000 pairs).
        int count = (1 << 24) / 61;
        var u1 = new float[count]; var u2 = new float[count];
        for (int i = 0; i < count; i++) { u1[i] = (61 * i + 1) * Unit; u2[i] = (int)((uint)(i * 2654435761u) >> 8) * Unit; }
        var (a, b) = ((float[])u1.Clone(), (float[])u2.Clone());
        GaussianTransform.BoxMuller(a, b);
        double worst = 0;
        for (int i = 0; i < count; i++)
        {
            double r = Math.Sqrt(-2 * Math.Log(u1[i])), angle = 2 * Math.PI * u2[i];
            worst = Math.Max(worst, Math.Max(Math.Abs(a[i] - r * Math.Cos(angle)), Math.Abs(b[i] - r * Math.Sin(angle))));
        }
        Assert.InRange(worst, 0, 2e-6);
    }

    [Fact]
    public void TailsOfTheStreamHaveNormalProbabilities()
    {
        var stream = new RandomStream(11);
        const int n = 1_000_000;
        int beyond1 = 0, beyond2 = 0, beyond3 = 0;
        for (int i = 0; i < n; i++)
        {
            float g = MathF.Abs(stream.NextGaussian());
            if (g > 1) beyond1++;
            if (g > 2) beyond2++;
            if (g > 3) beyond3++;
        }
        foreach (var (count, p) in new[] { (beyond1, 0.31731050786), (beyond2, 0.04550026390), (beyond3, 0.00269979606) })
        {
            double sigma = Math.Sqrt(n * p * (1 - p));
            Assert.InRange(count, n * p - 5 * sigma, n * p + 5 * sigma);
        }
    }
}

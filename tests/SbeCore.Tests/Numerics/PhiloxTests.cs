using SbeCore.Kernels;
using SbeCore.Numerics;
using SbeCore.Tests.Kernels;

namespace SbeCore.Tests.Numerics;

/// <summary>Philox4x32-10 against Random123's published known-answer vectors, its bulk fills against the
/// reference block function at every width.</summary>
public class PhiloxTests
{
    // Random123 (D. E. Shaw Research), tests/kat_vectors, "philox4x32 10": counter words, key words, output words.
    [Theory]
    [InlineData(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void BlockMatchesTheKnownAnswerVectors(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint r0, uint r1, uint r2, uint r3)
    {
        Assert.Equal((r0, r1, r2, r3), Philox4x32.Block(c0, c1, c2, c3, k0, k1));
    }

    public static TheoryData<Width> Widths => Paths.Supported();

    [Theory, MemberData(nameof(Widths))]
    public void SlotMajorFillIsTheBlockFunctionAtEveryWidth(Width path)
    {
        ulong key = 0x0123456789ABCDEFUL, write = 0x1_0000_0007UL; // the write's high word must reach c3
        foreach (var (firstLine, lines) in new[] { (0u, 16), (16u, 48), (48u, 96), (128u, 64) }) // whole and partial 64-line groups
        {
            const int slots = 5;
            var draws = new uint[slots * lines];
            using (SimdDispatch.Force((SimdWidth)path)) Philox4x32.FillSlotMajor(key, write, firstLine, lines, slots, draws);
            for (int t = 0; t < slots; t++)
                for (uint l = firstLine; l < firstLine + lines; l++)
                {
                    var (w0, w1, w2, w3) = Philox4x32.Block((uint)t, 16 * (l / 64) + l % 16, (uint)write, (uint)(write >> 32), (uint)key, (uint)(key >> 32));
                    uint expected = ((l / 16) % 4) switch { 0 => w0, 1 => w1, 2 => w2, _ => w3 };
                    Assert.Equal(expected, draws[t * lines + (l - firstLine)]);
                }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void StreamFillIsTheBlockFunctionAtEveryWidth(Width path)
    {
        ulong key = 0xFEDCBA9876543210UL, write = 77;
        const uint line = 513, firstBlock = 5;
        var words = new uint[3 * Philox4x32.BlockWords];
        using (SimdDispatch.Force((SimdWidth)path)) Philox4x32.FillStream(key, write, line, firstBlock, words);
        for (int b = 0; b < 3; b++)
            for (int l = 0; l < 16; l++)
            {
                uint counter = (firstBlock + (uint)b) * 16 + (uint)l;
                var (w0, w1, w2, w3) = Philox4x32.Block(counter, line, (uint)write, 0, (uint)key, (uint)(key >> 32));
                int at = b * 64 + l;
                Assert.Equal([w0, w1, w2, w3], new[] { words[at], words[at + 16], words[at + 32], words[at + 48] });
            }
    }

    [Fact]
    public void FillsRefuseLayoutsTheyCannotWrite()
    {
        Assert.Throws<ArgumentException>(() => Philox4x32.FillSlotMajor(1, 1, 0, 17, 1, new uint[32]));
        Assert.Throws<ArgumentException>(() => Philox4x32.FillSlotMajor(1, 1, 8, 16, 1, new uint[32]));
        Assert.Throws<ArgumentException>(() => Philox4x32.FillSlotMajor(1, 1, 0, 16, 3, new uint[32]));
        Assert.Throws<ArgumentException>(() => Philox4x32.FillStream(1, 1, 0, 0, new uint[63]));
    }

    [Theory, MemberData(nameof(Widths))]
    public void KeyedStreamDrawsDependOnlyOnKeyLineAndWriteAtEveryWidth(Width path)
    {
        // A keyed stream's Gaussians and uniforms are fixed by (keys, line, write), whatever the refill sizes and widths.
        float[] Draw(SimdWidth w, int hint, uint line, ulong write)
        {
            var s = RandomStream.Keyed(11, 12);
            var values = new float[300];
            using (SimdDispatch.Force(w))
            {
                s.Seek(line, write, hint, hint);
                for (int i = 0; i < 150; i++) { values[2 * i] = s.NextGaussian(); values[2 * i + 1] = s.NextUniform(); }
            }
            return values;
        }
        var reference = Draw(SimdWidth.Scalar, 1, 3, 9);
        var width = (SimdWidth)path;
        Assert.Equal(reference, Draw(width, 1000, 3, 9));
        Assert.Equal(reference, Draw(width, 64, 3, 9));
        Assert.NotEqual(reference, Draw(width, 64, 4, 9));
        Assert.NotEqual(reference, Draw(width, 64, 3, 10));
        // The line's lanes are seeded with its first Philox block; Gaussian 0 is the pair (u1 = 32-bit word 0,
        // u2 = word 32) of their output.
        var seed = new uint[64];
        Philox4x32.FillStream(11, 9, 3, 0, seed);
        var lanes = new Xoshiro256Lanes(0);
        lanes.Reseed(System.Runtime.InteropServices.MemoryMarshal.Cast<uint, ulong>(seed.AsSpan()));
        var output = new ulong[32];
        lanes.Fill(output);
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<ulong, uint>(output.AsSpan());
        float u1 = ((words[0] >> 8) + 1) / 16777216f, u2 = (words[32] >> 8) / 16777216f;
        double r = Math.Sqrt(-2 * Math.Log(u1));
        Assert.Equal(r * Math.Cos(2 * Math.PI * u2), reference[0], 4);
    }

    [Fact]
    public void KeyedStreamIsUniformAndNormal()
    {
        var s = RandomStream.Keyed(5, 6);
        double sum = 0, sumSq = 0, uSum = 0;
        int n = 0;
        for (uint line = 0; line < 200; line++)
        {
            s.Seek(line, 1, 500, 500);
            for (int i = 0; i < 500; i++)
            {
                double g = s.NextGaussian();
                sum += g; sumSq += g * g; uSum += s.NextUniform(); n++;
            }
        }
        Assert.InRange(sum / n, -0.01, 0.01);        // sd of the mean 1/sqrt(1e5) = 0.0032
        Assert.InRange(sumSq / n, 0.98, 1.02);       // sd sqrt(2/1e5) = 0.0045
        Assert.InRange(uSum / n, 0.497, 0.503);      // sd 0.29/sqrt(1e5) = 0.0009
        Assert.Throws<InvalidOperationException>(() => s.Lanes);
    }
}

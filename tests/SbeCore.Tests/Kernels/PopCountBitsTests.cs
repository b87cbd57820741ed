using System.Numerics;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Tests.Kernels;

/// <summary>Each width's per-lane 64-bit population count (byte table or byte count where the ISA has one) and the SWAR
/// fallback give BitOperations.PopCount for every lane: edge patterns and random words.</summary>
public class PopCountBitsTests
{
    private static ulong[] Words()
    {
        var words = new List<ulong> { 0, ulong.MaxValue, 1, 1UL << 63, 0x8000000000000001UL, 0x5555555555555555UL, 0xAAAAAAAAAAAAAAAAUL, 0x0F0F0F0F0F0F0F0FUL, uint.MaxValue, 0x7FFFFFFFFFFFFFFFUL };
        for (int b = 0; b <= 64; b++) words.Add(b == 64 ? ulong.MaxValue : (1UL << b) - 1);
        var rng = new Xoshiro256(12);
        while (words.Count % 8 != 0 || words.Count < 256) words.Add(rng.NextUInt64() >> (int)(rng.NextUInt64() % 64));
        return words.ToArray();
    }

    [Fact]
    public void EveryWidthCountsEveryLane()
    {
        ulong[] words = Words();
        for (int i = 0; i < words.Length; i += 8)
        {
            var v512 = Vector512.Create(words.AsSpan(i, 8));
            var v256 = Vector256.Create(words.AsSpan(i, 4));
            var v128 = Vector128.Create(words.AsSpan(i, 2));
            var swar = SimdGeneric.PopCount<Simd512, Vector512<float>, Vector512<ulong>>(v512);
            var table512 = Simd512.PopCountBits(v512);
            var table256 = Simd256.PopCountBits(v256);
            var table128 = Simd128.PopCountBits(v128);
            for (int l = 0; l < 8; l++)
            {
                ulong expected = (ulong)BitOperations.PopCount(words[i + l]);
                Assert.Equal(expected, swar[l]);
                Assert.Equal(expected, table512[l]);
                if (l < 4) Assert.Equal(expected, table256[l]);
                if (l < 2) Assert.Equal(expected, table128[l]);
            }
        }
    }
}

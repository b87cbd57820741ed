using System.Runtime.Intrinsics;
using SbeCore.Devices.Arrays;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Tests.Devices;

/// <summary>ConstantStepLaw.ClipLanes (a vector of devices clipped in the row loops) against the one-device Clip: the
/// same weights bit for bit and the same clipped-pulse count at every law width, with rooms a hair either side of whole
/// multiples of the step (where a float quotient would floor differently from the double one), zero and negative rooms,
/// steps that are not positive, lanes without pulses outside their bounds (kept), and trains up to a dense write's 2^24
/// pulses (several such lanes clip more pulses than a float counts exactly).</summary>
public class ClipLanesTests
{
    private const int Lanes = 16;

    private sealed record Chunk(float[] Next, float[] Before, float[] N, float[] Step, float[] Lo, float[] Hi);

    private static Chunk Random(ref Xoshiro256 rng)
    {
        var c = new Chunk(new float[Lanes], new float[Lanes], new float[Lanes], new float[Lanes], new float[Lanes], new float[Lanes]);
        for (int l = 0; l < Lanes; l++)
        {
            float lo = -0.6f, hi = 0.6f, step = 0.001f * (1 + (float)rng.NextDouble());
            // Up to a dense write's 2^24 pulses a device: a chunk's clipped pulses then add up past float's exact integers.
            int n = (int)(rng.NextUInt64() % 7) switch
            {
                0 => 0, 1 => 1, 2 => 1000, 3 => (1 << 24) - (int)(rng.NextUInt64() % 1000), _ => 1 + (int)(rng.NextUInt64() % 64),
            };
            float before = (float)(rng.NextDouble() * 1.2 - 0.6);
            int kind = (int)(rng.NextUInt64() % 8);
            if (kind == 0) step = 0f;
            if (kind == 1) step = -step;
            // A room of k steps and a few ulps either side: the double quotient's floor decides the count.
            if (kind >= 2 && kind <= 4 && n > 0)
            {
                int k = (int)(rng.NextUInt64() % (ulong)n);
                float room = k * step;
                for (int u = 0; u < kind - 2; u++) room = MathF.BitIncrement(room);
                if (kind == 4) room = MathF.BitDecrement(MathF.BitDecrement(k * step));
                before = hi - room;
            }
            float direction = rng.NextUInt64() % 2 == 0 ? 1f : -1f;
            if (kind == 5) { before = hi; direction = 1f; } // at the bound already: a zero room
            float next = before + direction * step * n;
            if (kind == 6 && n == 0) next = 5f; // no pulses, outside: kept as is
            c.Next[l] = n == 0 && kind != 6 ? before : next;
            c.Before[l] = before; c.N[l] = n; c.Step[l] = step; c.Lo[l] = lo; c.Hi[l] = hi;
        }
        return c;
    }

    private static (float[] Weights, long Clipped) OneByOne(Chunk c)
    {
        var w = (float[])c.Next.Clone();
        long clipped = 0;
        for (int l = 0; l < Lanes; l++)
            if (c.N[l] != 0) ConstantStepLaw.Clip((int)c.N[l], c.Before[l], c.Step[l], c.Lo[l], c.Hi[l], ref w[l], ref clipped);
        return (w, clipped);
    }

    private static (float[] Weights, long Clipped) InVectors<TOps, TVec>(Chunk c) where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        var w = new float[Lanes];
        long clipped = 0;
        for (int at = 0; at < Lanes; at += TOps.Count)
        {
            nuint o = (nuint)at;
            TVec next = ConstantStepLaw.ClipLanes<TOps, TVec>(TOps.Load(ref c.Next[0], o), TOps.Load(ref c.Before[0], o), TOps.Load(ref c.N[0], o),
                TOps.Load(ref c.Step[0], o), TOps.Load(ref c.Lo[0], o), TOps.Load(ref c.Hi[0], o), ref clipped);
            TOps.Store(next, ref w[0], o);
        }
        return (w, clipped);
    }

    [Fact]
    public void VectorLanesClipAsOneDeviceAtATime()
    {
        var rng = new Xoshiro256(21);
        long anyClipped = 0;
        for (int trial = 0; trial < 4000; trial++)
        {
            var chunk = Random(ref rng);
            var (w, clipped) = OneByOne(chunk);
            anyClipped += clipped;
            var paths = new List<(string, (float[], long))> { ("scalar", InVectors<SimdLawScalar, float>(chunk)) };
            if (Vector128.IsHardwareAccelerated) paths.Add(("128", InVectors<SimdLaw128, Vector128<float>>(chunk)));
            if (Vector256.IsHardwareAccelerated) paths.Add(("256", InVectors<SimdLaw256, Vector256<float>>(chunk)));
            if (Vector512.IsHardwareAccelerated) paths.Add(("512", InVectors<SimdLaw512, Vector512<float>>(chunk)));
            foreach (var (name, (vw, vc)) in paths)
            {
                Assert.True(w.AsSpan().SequenceEqual(vw), $"trial {trial}, {name}: weights");
                Assert.True(clipped == vc, $"trial {trial}, {name}: clipped {vc}, expected {clipped}");
            }
        }
        Assert.True(anyClipped > 100_000, "the bounds must be hit often");
    }
}

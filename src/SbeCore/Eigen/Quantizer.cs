using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Eigen;

/// <summary>
/// The estimator's low-precision storage model. A vector is stored as block floating point: one float scale
/// (its max |v| over L = 2^(bits-1) - 1) and integers in [-L, L], rounded to nearest (ties to even).
/// A scalar keeps <c>bits</c> significant bits of its float significand (exponent unconstrained).
/// Optionally stochastic rounding (up with probability equal to the fraction), which keeps the running means unbiased
/// once their increments fall below one quantisation step; round-to-nearest then stalls them.
/// </summary>
internal static class Quantizer
{
    private const int DrawBlock = 256;

    /// <summary>rint(x inv) step: x onto the grid step {.., -1, 0, 1, ..} (inv = 1/step, both rounded as given).</summary>
    private readonly struct RoundToGrid(float inv, float step) : IUnaryOperator
    {
        public float Invoke(float x) => MathF.Round(x * inv) * step;
        public TVec Invoke<TOps, TVec>(TVec x) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
            => TOps.Multiply(TOps.Round(TOps.Multiply(x, TOps.Broadcast(inv))), TOps.Broadcast(step));
    }

    /// <summary>min(levels, floor(x inv + u)) step for a uniform u in [0, 1) (multiply, then add: not fused).</summary>
    private readonly struct RoundToGridStochastic(float inv, float step, float levels) : IBinaryOperator
    {
        public float Invoke(float x, float u) => MathF.Min(levels, MathF.Floor(x * inv + u)) * step;
        public TVec Invoke<TOps, TVec>(TVec x, TVec u) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
            => TOps.Multiply(TOps.Min(TOps.Broadcast(levels), TOps.Floor(TOps.Add(TOps.Multiply(x, TOps.Broadcast(inv)), u))), TOps.Broadcast(step));
    }

    /// <summary>Rounds v in place onto the per-vector grid max|v| * {-L..L} / L.</summary>
    public static void QuantizeVector(Span<float> v, int bits)
    {
        if (bits == 0) return;
        float maxAbs = SimdReduce.AbsMax(v);
        if (maxAbs == 0) return;
        float levels = (1 << (bits - 1)) - 1;
        SimdMap.Unary(new RoundToGrid(levels / maxAbs, maxAbs / levels), v, v);
    }

    /// <summary>Stochastic rounding onto the same per-vector grid.</summary>
    public static void QuantizeVector(Span<float> v, int bits, ref Xoshiro256 rng)
    {
        if (bits == 0) return;
        float maxAbs = SimdReduce.AbsMax(v);
        if (maxAbs == 0) return;
        float levels = (1 << (bits - 1)) - 1;
        var op = new RoundToGridStochastic(levels / maxAbs, maxAbs / levels, levels);
        // The uniforms are drawn in element order (one per element, as the stream defines), a block at a time.
        Span<float> draws = stackalloc float[DrawBlock];
        for (int start = 0; start < v.Length; start += DrawBlock)
        {
            var block = v.Slice(start, Math.Min(DrawBlock, v.Length - start));
            var u = draws.Slice(0, block.Length);
            for (int i = 0; i < u.Length; i++) u[i] = rng.NextSingle();
            SimdMap.Binary(op, block, u, block);
        }
    }

    /// <summary>Stochastic rounding of x to <paramref name="bits"/> significant bits.</summary>
    public static float QuantizeScalar(float x, int bits, ref Xoshiro256 rng)
    {
        if (bits == 0 || bits >= 24 || x == 0 || !float.IsFinite(x)) return x;
        int drop = 24 - bits, mask = (1 << drop) - 1;
        int raw = BitConverter.SingleToInt32Bits(x);
        raw += (int)(rng.NextUInt64() & (ulong)mask); // magnitude rounds up with probability = dropped fraction
        return BitConverter.Int32BitsToSingle(raw & ~mask);
    }

    /// <summary>Rounds x to <paramref name="bits"/> significant bits.</summary>
    public static float QuantizeScalar(float x, int bits)
    {
        if (bits == 0 || bits >= 24 || x == 0 || !float.IsFinite(x)) return x;
        int drop = 24 - bits;                       // significand bits to clear (float has 24 incl. the hidden bit)
        int raw = BitConverter.SingleToInt32Bits(x);
        int half = 1 << (drop - 1), mask = (1 << drop) - 1;
        int lsb = (raw >> drop) & 1;                 // round half to even on the magnitude bits
        raw += half - 1 + lsb;
        raw &= ~mask;
        return BitConverter.Int32BitsToSingle(raw);
    }
}

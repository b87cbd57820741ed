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
    /// <summary>Rounds v in place onto the per-vector grid max|v| * {-L..L} / L.</summary>
    public static void QuantizeVector(Span<float> v, int bits)
    {
        if (bits == 0) return;
        float maxAbs = 0;
        foreach (float e in v) maxAbs = MathF.Max(maxAbs, MathF.Abs(e));
        if (maxAbs == 0) return;
        float levels = (1 << (bits - 1)) - 1;
        float step = maxAbs / levels, inv = levels / maxAbs;
        for (int i = 0; i < v.Length; i++) v[i] = MathF.Round(v[i] * inv) * step;
    }

    /// <summary>Stochastic rounding onto the same per-vector grid.</summary>
    public static void QuantizeVector(Span<float> v, int bits, ref Xoshiro256 rng)
    {
        if (bits == 0) return;
        float maxAbs = 0;
        foreach (float e in v) maxAbs = MathF.Max(maxAbs, MathF.Abs(e));
        if (maxAbs == 0) return;
        float levels = (1 << (bits - 1)) - 1;
        float step = maxAbs / levels, inv = levels / maxAbs;
        for (int i = 0; i < v.Length; i++) v[i] = MathF.Min(levels, MathF.Floor(v[i] * inv + rng.NextSingle())) * step;
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

using SbeCore.Kernels;

namespace SbeCore.Training;

/// <summary>Element-wise hidden-layer activations and their derivatives, expressed through the activation value h, as
/// maps on the operator layer (<see cref="SimdMap"/>).</summary>
internal static class Activations
{
    public static void Apply(Activation kind, ReadOnlySpan<float> z, Span<float> h)
    {
        if (kind == Activation.Relu) SimdMap.Unary(default(Relu), z, h);
        // Scalar on purpose: the vector exponential differs from MathF.Exp in the last bits, and every sigmoid run's
        // results are pinned to MathF.Exp.
        else for (int i = 0; i < z.Length; i++) h[i] = 1f / (1f + MathF.Exp(-z[i]));
    }

    /// <summary>d[i] = g[i] * act'(z[i]), with act' computed from h = act(z): ReLU 1[h > 0], sigmoid h(1 - h).</summary>
    public static void MultiplyByDerivative(Activation kind, ReadOnlySpan<float> g, ReadOnlySpan<float> h, Span<float> d)
    {
        if (kind == Activation.Relu) SimdMap.Binary(default(ReluGate), g, h, d);
        else SimdMap.Binary(default(SigmoidSlope), g, h, d);
    }

    /// <summary>z &gt; 0 ? z : 0 (NaN gives 0).</summary>
    internal readonly struct Relu : IUnaryOperator
    {
        public float Invoke(float z) => z > 0 ? z : 0f;
        public TVec Invoke<TOps, TVec>(TVec z) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
            => TOps.And(z, TOps.GreaterThan(z, TOps.Zero));
    }

    /// <summary>h &gt; 0 ? g : 0.</summary>
    internal readonly struct ReluGate : IBinaryOperator
    {
        public float Invoke(float g, float h) => h > 0 ? g : 0f;
        public TVec Invoke<TOps, TVec>(TVec g, TVec h) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
            => TOps.And(g, TOps.GreaterThan(h, TOps.Zero));
    }

    /// <summary>g h (1 - h), multiplied left to right.</summary>
    internal readonly struct SigmoidSlope : IBinaryOperator
    {
        public float Invoke(float g, float h) => g * h * (1f - h);
        public TVec Invoke<TOps, TVec>(TVec g, TVec h) where TOps : struct, ISimdElementOps<TVec> where TVec : struct
            => TOps.Multiply(TOps.Multiply(g, h), TOps.Subtract(TOps.Broadcast(1f), h));
    }
}

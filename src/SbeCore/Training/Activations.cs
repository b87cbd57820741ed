namespace SbeCore.Training;

/// <summary>Element-wise hidden-layer activations and their derivatives, expressed through the activation value h.</summary>
internal static class Activations
{
    public static void Apply(Activation kind, ReadOnlySpan<float> z, Span<float> h)
    {
        if (kind == Activation.Relu) { for (int i = 0; i < z.Length; i++) h[i] = z[i] > 0 ? z[i] : 0f; }
        else { for (int i = 0; i < z.Length; i++) h[i] = 1f / (1f + MathF.Exp(-z[i])); }
    }

    /// <summary>d[i] = g[i] * act'(z[i]), with act' computed from h = act(z): ReLU 1[h > 0], sigmoid h(1 - h).</summary>
    public static void MultiplyByDerivative(Activation kind, ReadOnlySpan<float> g, ReadOnlySpan<float> h, Span<float> d)
    {
        if (kind == Activation.Relu) { for (int i = 0; i < g.Length; i++) d[i] = h[i] > 0 ? g[i] : 0f; }
        else { for (int i = 0; i < g.Length; i++) d[i] = g[i] * h[i] * (1f - h[i]); }
    }
}

namespace SbeCore.Training;

/// <summary>Softmax cross-entropy of one sample's logits, numerically stable (max subtracted, log-sum-exp in double).</summary>
internal static class SoftmaxCrossEntropy
{
    /// <summary>-log softmax(z)[label] = logsumexp(z) - z[label].</summary>
    public static double Loss(ReadOnlySpan<float> z, int label)
    {
        float max = Max(z);
        double sum = 0;
        foreach (float v in z) sum += Math.Exp(v - max);
        return Math.Log(sum) + max - z[label];
    }

    /// <summary>dLoss/dz = softmax(z) - onehot(label).</summary>
    public static void Gradient(ReadOnlySpan<float> z, int label, Span<float> g)
    {
        Softmax(z, g);
        g[label] -= 1f;
    }

    public static void Softmax(ReadOnlySpan<float> z, Span<float> p)
    {
        float max = Max(z);
        double sum = 0;
        for (int i = 0; i < z.Length; i++) sum += Math.Exp(z[i] - max);
        double inv = 1.0 / sum;
        for (int i = 0; i < z.Length; i++) p[i] = (float)(Math.Exp(z[i] - max) * inv);
    }

    /// <summary>The predicted class, or -1 (no class, so never correct) when a logit is NaN or infinite.</summary>
    public static int ArgMax(ReadOnlySpan<float> z)
    {
        if (Kernels.Blas.IndexOfNonFinite(z) >= 0) return -1;
        int best = 0;
        for (int i = 1; i < z.Length; i++) if (z[i] > z[best]) best = i;
        return best;
    }

    // The maximum is order-free, so the operator layer takes it; the exponential sums stay sequential in double, their
    // order (and the gradients' bits) fixed.
    private static float Max(ReadOnlySpan<float> z) => Kernels.SimdReduce.Max(z);
}

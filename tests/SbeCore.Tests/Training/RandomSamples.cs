using SbeCore.Numerics;

namespace SbeCore.Tests.Training;

/// <summary>Training data for tests: n samples of uniform [0, 1) features and uniform labels, from a seed.</summary>
internal static class RandomSamples
{
    public static (float[] Images, int[] Labels) Make(int n, int features, int classes, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var x = new float[n * features];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextSingle();
        var y = new int[n];
        for (int i = 0; i < n; i++) y[i] = rng.NextInt(classes);
        return (x, y);
    }
}

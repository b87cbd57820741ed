using SbeCore.Data;
using SbeCore.Experiments;
using SbeCore.Numerics;

namespace SbeCore.Tests.Experiments;

/// <summary>A tiny separable problem and a one-epoch setting, so a whole sweep trains in milliseconds.</summary>
internal static class TinyExperiment
{
    public static DataSplit Data { get; } = new(Make(96, 1, "tiny/train"), Make(32, 2, "tiny/test"));

    public static ExperimentSettings Settings { get; } = new() { Hidden = [5], Epochs = 1, StopAtLoss = 0 };

    /// <summary>The same kind of problem with <paramref name="train"/> training and <paramref name="test"/> test samples.</summary>
    public static DataSplit MakeSplit(int train, int test) => new(Make(train, 1, $"tiny{train}/train"), Make(test, 2, $"tiny{train}/test"));

    private static Dataset Make(int n, ulong seed, string name)
    {
        const int features = 8, classes = 3;
        var rng = new Xoshiro256(seed);
        var x = new float[n * features];
        var y = new int[n];
        for (int j = 0; j < n; j++)
        {
            y[j] = rng.NextInt(classes);
            for (int i = 0; i < features; i++) x[j * features + i] = 0.3f * rng.NextSingle();
            x[j * features + y[j]] += 1f;
        }
        return new Dataset(name, x, y, features, classes);
    }

    /// <summary>A fresh empty folder under the temp directory.</summary>
    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "sbecore-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

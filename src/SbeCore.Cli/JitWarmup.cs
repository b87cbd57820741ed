using SbeCore.Numerics;
using SbeCore.Training;

namespace SbeCore.Cli;

/// <summary>
/// Compiles a run's training path on another core while the data set loads. Without it the JIT compiles that path
/// inside the first epoch, on the training thread: about 45 ms of a 20-epoch sbe-1 run (measured on the 2-core Zen 4),
/// while loading the embedded MNIST-10k takes about as long and leaves the second core idle. A throwaway network of the
/// run's options trains one batch of synthetic samples and evaluates them; it shares nothing with the run (its own
/// tiles, estimators, draws and buffers), so the run's results do not change (tested). Skipped on one core and when
/// SBECORE_JIT_WARMUP=0.
/// </summary>
internal static class JitWarmup
{
    /// <summary>The input and class counts the warm-up networks assume before the data is read (MNIST's): the code a
    /// network runs depends on its shape only through which kernel paths it takes.</summary>
    public const int Features = 784, Classes = 10;

    /// <summary>Devices above which a dense network is not warmed up: its training dwarfs the compile time, and a copy
    /// would hold its memory twice for a moment.</summary>
    public const long MaxDevices = 1L << 22;

    public static void Start(IReadOnlyList<(NetworkOptions Options, int BatchSize)> runs)
    {
        if (Environment.ProcessorCount < 2 || Environment.GetEnvironmentVariable("SBECORE_JIT_WARMUP") == "0") return;
        runs = runs.Where(r => r.Options.Architecture is not null || DenseDevices(r.Options.LayerSizes) <= MaxDevices).ToList();
        if (runs.Count == 0) return;
        var thread = new Thread(() => Run(runs)) { IsBackground = true, Name = "sbe JIT warm-up" };
        thread.Start();
    }

    private static long DenseDevices(IReadOnlyList<int> sizes)
    {
        long devices = 0;
        for (int i = 0; i + 1 < sizes.Count; i++) devices += ((long)sizes[i] + 1) * sizes[i + 1];
        return devices;
    }

    private static void Run(IReadOnlyList<(NetworkOptions Options, int BatchSize)> runs)
    {
        foreach (var (options, batchSize) in runs)
        {
            try
            {
                var network = new Network(options);
                int n = Math.Max(1, batchSize), inputs = network.InputSize;
                var images = new float[n * inputs];
                var labels = new int[n];
                var rng = new Xoshiro256(1);
                for (int i = 0; i < images.Length; i++) images[i] = rng.NextSingle();
                for (int i = 0; i < n; i++) labels[i] = i % network.OutputSize;
                network.TrainBatch(images, labels, 0.01f);
                network.Evaluate(images, labels);
            }
            catch (Exception)
            {
                // A warm-up is only a hint to the JIT: whatever stops it (an option the real run will report, memory)
                // must not touch the run, which builds and validates its own network.
            }
        }
    }
}

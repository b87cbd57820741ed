using SbeCore.Data;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Training;

public class DivergenceAndSizeTests
{
    [Fact]
    public void ANetworkBeyondTheDeviceCapIsRefusedBeforeAllocating()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ArgumentException>(() => new Network(new NetworkOptions { LayerSizes = [8191, 8191, 8191, 8191, 8191, 8191, 8191, 8191, 10], Method = UpdateMethod.Sgd }));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the cap must be checked before any tile is allocated");
        Assert.Contains($"{Network.MaxTotalDevices:N0} devices", e.Message);
        // Sizes whose products overflow 32 or 64 bits are refused the same way.
        Assert.Throws<ArgumentException>(() => new Network(new NetworkOptions { LayerSizes = [int.MaxValue, int.MaxValue, 10] }));
        Assert.Throws<ArgumentException>(() => new Network(new NetworkOptions { LayerSizes = [65536, 65536, 2] }));
        // The largest single layer under the cap is allowed (checked, not built: 8191 x 8192 devices).
        Assert.True(8191L * 8192 <= Network.MaxTotalDevices);
    }

    [Fact]
    public void ADivergedRunSaysWhereAndWhatToDo()
    {
        var rng = new Random(3);
        var x = new float[64 * 8];
        var y = new int[64];
        for (int j = 0; j < 64; j++) { y[j] = j % 3; for (int i = 0; i < 8; i++) x[j * 8 + i] = (float)rng.NextDouble(); }
        var data = new Dataset("t", x, y, 8, 3);
        var network = new Network(new NetworkOptions { LayerSizes = [8, 16, 3], Method = UpdateMethod.MiniBatch, Seed = 1 });
        var schedule = new TrainingSchedule { Epochs = 3, BatchSize = 8, LearningRate = 1e30f };
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(network, data, null, schedule).Run());
        Assert.Matches(@"^diverged at epoch \d+, batch \d+: (loss is (NaN|-?Infinity)|the gradients are not finite \(loss [0-9.]+\)); try a lower learning rate$", e.Message);
        Assert.DoesNotContain("Parameter", e.Message);
        Assert.True(e.Epoch >= 1 && e.Batch is >= 1 and <= 8);
        Assert.IsAssignableFrom<InvalidOperationException>(e); // callers that catch divergence this way keep working
    }
}

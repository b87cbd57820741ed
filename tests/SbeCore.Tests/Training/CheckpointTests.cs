using SbeCore.Crossbar;
using SbeCore.Data;
using SbeCore.Tests.Training.Conv;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Training;

/// <summary>Whole-network checkpoints: training resumed from one gives the bits of training that never stopped.</summary>
public class CheckpointTests
{
    private static readonly Lazy<Dataset> Train = new(() => ConvData.Train.Value.Slice(0, 96, "mnist-96"));
    private static readonly Lazy<Dataset> Test = new(() => ConvData.Split.Value.Test.Slice(0, 40, "mnist-test-40"));

    public static TheoryData<UpdateMethod, string, string?> Cases() => new()
    {
        { UpdateMethod.Sgd, "ideal", null }, { UpdateMethod.MiniBatch, "ideal", null }, { UpdateMethod.TruncatedSvd, "ideal", null },
        { UpdateMethod.Sbe, "ideal", null }, { UpdateMethod.Sbpca, "ideal", null }, { UpdateMethod.Lrt, "ideal", null },
        { UpdateMethod.Sbe, "constantstep", null }, { UpdateMethod.Sgd, "ecram", null }, { UpdateMethod.Sbe, "pcm", null },
        { UpdateMethod.Sbe, "constantstep", "conv4k5s2-pool2-fc16" }, { UpdateMethod.MiniBatch, "ideal", "conv4k5s2-pool2-fc16" },
    };

    private static NetworkOptions Options(UpdateMethod method, string device, string? arch) => new()
    {
        LayerSizes = [784, 24, 10], Method = method, Rank = 2, SubBatch = method == UpdateMethod.Sbpca ? 8 : 1, Seed = 7,
        Architecture = arch, TileConfig = device == "ideal" ? null : SbeCore.Experiments.DeviceCatalog.Create(device),
    };

    private static TrainingSchedule Schedule(int first = 0) => new() { Epochs = 3, BatchSize = 16, LearningRate = 0.05f, ShuffleSeed = 3, EvaluationsPerEpoch = 2, FirstEpoch = first };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResumedTrainingIsBitIdenticalToUninterruptedTraining(UpdateMethod method, string device, string? arch)
    {
        byte[]? atEpochOne = null;
        var whole = new Network(Options(method, device, arch));
        var trainer = new Trainer(whole, Train.Value, Test.Value, Schedule());
        trainer.EpochTrained = n => { if (n.CompletedEpochs == 1) { var s = new MemoryStream(); n.Save(s); atEpochOne = s.ToArray(); } };
        var full = trainer.Run();

        var resumed = Network.Load(atEpochOne!);
        Assert.Equal(1, resumed.CompletedEpochs);
        var rest = new Trainer(resumed, Train.Value, Test.Value, Schedule(first: resumed.CompletedEpochs)).Run();

        // The resumed run's records are the uninterrupted run's from epoch 1 on, read noise included.
        var tail = full.Records.SkipWhile(r => r.Epoch < 1).ToList();
        Assert.Equal(tail.Count, rest.Records.Count);
        for (int i = 0; i < tail.Count; i++)
        {
            Assert.Equal(tail[i].Epoch, rest.Records[i].Epoch);
            Assert.Equal(tail[i].Updates, rest.Records[i].Updates);
            Assert.Equal(tail[i].RankOneWrites, rest.Records[i].RankOneWrites);
            Assert.Equal(tail[i].Pulses, rest.Records[i].Pulses);
            Assert.Equal(tail[i].TrainLoss, rest.Records[i].TrainLoss);
            Assert.Equal(tail[i].TestAccuracy, rest.Records[i].TestAccuracy);
        }
        Assert.Equal(3, resumed.CompletedEpochs);
        for (int l = 0; l < whole.LayerCount; l++)
        {
            Assert.Equal(Weights(whole.GetTile(l)), Weights(resumed.GetTile(l)));
            Assert.Equal(whole.GetRule(l).RankOneWrites, resumed.GetRule(l).RankOneWrites);
        }
        Assert.Equal(Bytes(whole), Bytes(resumed)); // every saved bit: tiles, device state, random streams, rule state
    }

    [Fact]
    public void SavedFileRoundTripsThroughThePathApiAndKeepsTheOptions()
    {
        string dir = Directory.CreateTempSubdirectory("sbe-ckpt").FullName;
        try
        {
            var net = new Network(new NetworkOptions { LayerSizes = [784, 10], Architecture = "conv4k5s2-pool2-fc16", Method = UpdateMethod.Sbe, Rank = 2, Seed = 5, TileConfig = TileConfig.EcRam() });
            net.TrainEpoch(Train.Value.Images, Train.Value.Labels, 32, 0.05f, 9);
            string path = Path.Combine(dir, "net.sbenet");
            net.Save(path);
            var back = Network.Load(path);
            Assert.Equal("conv4k5s2-pool2-fc16", back.Options.Architecture);
            Assert.Equal(UpdateMethod.Sbe, back.Options.Method);
            Assert.Equal(2, back.Options.Rank);
            Assert.Equal(1, back.CompletedEpochs);
            Assert.Equal(net.Layers.Select(l => l.Name), back.Layers.Select(l => l.Name));
            Assert.Equal(net.Evaluate(Test.Value.Images, Test.Value.Labels).Loss, back.Evaluate(Test.Value.Images, Test.Value.Labels).Loss);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void CorruptTruncatedAndForeignFilesAreRefusedWithAClearError()
    {
        var net = new Network(new NetworkOptions { LayerSizes = [784, 12, 10], Method = UpdateMethod.Sbe, Seed = 1 });
        byte[] good = Bytes(net);
        byte[] flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x10;
        Assert.Contains("corrupt", Assert.Throws<InvalidDataException>(() => Network.Load(flipped)).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Network.Load(good.AsSpan(0, good.Length - 7))).Message);
        Assert.Contains("shorter", Assert.Throws<InvalidDataException>(() => Network.Load(good.AsSpan(0, 10))).Message);
        var tile = new MemoryStream();
        net.GetTile(0).Save(tile);
        Assert.Contains("Not a network checkpoint", Assert.Throws<InvalidDataException>(() => Network.Load(tile.ToArray())).Message);
        string dir = Directory.CreateTempSubdirectory("sbe-ckpt").FullName;
        try
        {
            Assert.Contains("directory", Assert.Throws<IOException>(() => Network.Load(dir)).Message);
            Assert.Throws<FileNotFoundException>(() => Network.Load(Path.Combine(dir, "missing.sbenet")));
            Assert.Contains("directory", Assert.ThrowsAny<IOException>(() => net.Save(dir)).Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ANetworkWithACustomRuleRefusesToSave()
    {
        var net = new Network(new NetworkOptions { LayerSizes = [8, 4, 3], Seed = 1 }, (l, r, c) => new DenseMeanRule(r, c));
        var e = Assert.Throws<NotSupportedException>(() => net.Save(new MemoryStream()));
        Assert.Contains("built-in", e.Message);
    }

    private static float[] Weights(CrossbarTile tile)
    {
        var w = new float[tile.Rows * tile.Cols];
        tile.GetWeights(w);
        return w;
    }

    private static byte[] Bytes(Network net)
    {
        var s = new MemoryStream();
        net.Save(s);
        return s.ToArray();
    }
}

using SbeCore.Crossbar;
using SbeCore.Experiments;
using SbeCore.Updates;

namespace SbeCore.Tests.Experiments;

public class ExperimentFilesTests
{
    [Fact]
    public void AtomicWriteReplacesTheFileAndLeavesNoTemporaryBehind()
    {
        string dir = TinyExperiment.TempDir();
        try
        {
            string path = Path.Combine(dir, "sub", "a.json");
            AtomicFile.WriteAllText(path, "first");
            AtomicFile.WriteAllText(path, "second");
            Assert.Equal("second", File.ReadAllText(path));
            Assert.Equal([path], Directory.GetFiles(Path.Combine(dir, "sub")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void DeviceCatalogBuildsPresetsAndPulseTypes()
    {
        Assert.IsType<SbeCore.Devices.IdealDevice>(DeviceCatalog.Create("ideal").Device);
        Assert.Equal(PulseType.StochasticCompressed, DeviceCatalog.Create("EcRam").Update.PulseType);
        Assert.Equal(PulseType.None, DeviceCatalog.Create("reramsb:none").Update.PulseType);
        Assert.Equal(PulseType.DeterministicImplicit, DeviceCatalog.Create("constantstep:deterministic").Update.PulseType);
        var e = Assert.Throws<ArgumentException>(() => DeviceCatalog.Create("memristor"));
        Assert.Contains("memristor", e.Message);
        Assert.Throws<ArgumentException>(() => DeviceCatalog.Create("ecram:sometimes"));
    }

    [Theory]
    [InlineData("reram-sb", "ReRamSB")]
    [InlineData("ReRam_ES", "ReRamES")]
    [InlineData("gokmen-vlasov", "GokmenVlasov")]
    [InlineData("constantstep", "GokmenVlasov")]
    [InlineData("PCM", "PCM")]
    public void DeviceNamesIgnoreCaseDashesAndUnderscores(string spec, string preset)
    {
        Assert.Equal(TileConfig.Preset(preset), DeviceCatalog.Create(spec));
        Assert.Equal(PulseType.DeterministicImplicit, DeviceCatalog.Create(spec + ":deterministic-implicit").Update.PulseType);
    }

    [Fact]
    public void MergedTableHasOneRowPerCellAndMarksCensoredCrossings()
    {
        var cells = new[]
        {
            // 8,000 samples at batch 32 = 250 batches per epoch, 2 layers, 32 + 10 rank-1 writes per batch; crossings
            // recorded without matrix updates.
            new CellResult { Key = "a", Method = "minibatch", BatchSize = 32, TrainCount = 8000, Layers = [784, 100, 10], Epochs = 30,
                RankOneWrites = 315_000, LossBelow0_1 = new CrossingResult { Reached = true, Epoch = 3, RankOneWrites = 31_500 },
                LossBelow0_01 = new CrossingResult { Reached = false, Epoch = 30, RankOneWrites = 315_000 }, TestAccuracy = 0.97 },
            new CellResult { Key = "b", Method = "sgd,odd", BatchSize = 1 },
        };
        var csv = SweepTable.ToCsv(cells).TrimEnd('\n').Split('\n');
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("key,method,rank,batch", csv[0]);
        Assert.EndsWith(",software,matrix_updates,loss0.1_matrix_updates,loss0.01_matrix_updates", csv[0]);
        Assert.EndsWith(",15000,1500,15000", csv[1]); // matrix updates: 30 x 250 x 2, 3 x 250 x 2, 30 x 250 x 2
        Assert.Contains("\"sgd,odd\"", csv[2]);
        Assert.EndsWith(",,,", csv[2]);               // no samples or layers: the count is unknown, not 0
        string md = SweepTable.ToMarkdown(cells);
        Assert.Contains("| rank-1 writes | matrix updates |", md);
        Assert.Contains("| 315,000 | 15,000 |", md);
        Assert.Contains("| 3 | 31,500 | 1,500 | > 30 | > 315,000 | > 15,000 |", md);
        Assert.Contains("97.00%", md);
        string json = SweepTable.ToJson(cells);
        Assert.Contains("\"key\": \"b\"", json);
        Assert.Contains("\"matrixUpdates\": 1500", json);
    }

    [Fact]
    public void KeysAreFileNameSafe()
    {
        var cell = new SweepCell(UpdateMethod.TruncatedSvd, 2, 64, "ReRamSB:deterministic", 3);
        Assert.Equal("svd-2_b00064_reramsb-deterministic_s3", cell.Key);
    }
}

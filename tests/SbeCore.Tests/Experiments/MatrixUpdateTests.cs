using SbeCore.Data;
using SbeCore.Experiments;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Experiments;

/// <summary>Matrix updates (the paper's count) beside rank-1 writes (the crossbar's): arithmetic, real runs, old files.</summary>
public class MatrixUpdateTests
{
    // 1,000 samples at batch 32: 31 full batches and one of 8, i.e. 32 batches per epoch; 8-5-3 network = 2 layers.
    private static readonly DataSplit s_thousand = TinyExperiment.MakeSplit(1000, 100);
    private static readonly ExperimentSettings s_twoEpochs = TinyExperiment.Settings with { Epochs = 2 };

    [Theory]
    [InlineData(UpdateMethod.Sgd, 32, 1.0, 2_000)]        // one per sample and layer: 1,000 x 2
    [InlineData(UpdateMethod.Sgd, 32, 1.5, 3_024)]        // 1,000 + 16 batches x 32 samples = 1,512 samples x 2
    [InlineData(UpdateMethod.Sgd, 1, 3.0, 6_000)]
    [InlineData(UpdateMethod.MiniBatch, 32, 1.0, 64)]     // one per batch and layer: 32 x 2
    [InlineData(UpdateMethod.MiniBatch, 32, 3.0, 192)]
    [InlineData(UpdateMethod.TruncatedSvd, 32, 1.5, 96)]  // 48 batches x 2
    [InlineData(UpdateMethod.Sbe, 32, 2.0, 128)]
    [InlineData(UpdateMethod.Sbe, 32, 0.0, 0)]
    [InlineData(UpdateMethod.MiniBatch, 1000, 5.0, 10)]   // one batch per epoch
    [InlineData(UpdateMethod.MiniBatch, 4096, 5.0, 10)]   // a batch larger than the set is the whole set
    public void CountFollowsFromBatchSizeAndSamples(UpdateMethod method, int batch, double epochs, long expected)
        => Assert.Equal(expected, MatrixUpdateCount.Count(method, batch, 1000, 2, epochs));

    [Fact]
    public void ReproducesTheHandComputationOfTheResultsPage()
    {
        // MNIST-10k (8,000 training digits), 784-100-10: mini-batch at batch 2048 crossed loss 0.1 after 48.25 epochs =
        // 193 batches = 386 layer updates; per-sample SGD after 3 epochs = 48,000; at batch 4096 after 152 epochs = 608.
        Assert.Equal(386, MatrixUpdateCount.Count(UpdateMethod.MiniBatch, 2048, 8000, 2, 48.25));
        Assert.Equal(48_000, MatrixUpdateCount.Count(UpdateMethod.Sgd, 1, 8000, 2, 3));
        Assert.Equal(608, MatrixUpdateCount.Count(UpdateMethod.MiniBatch, 4096, 8000, 2, 152));
    }

    [Fact]
    public void FractionalEpochsThatAreNotExactInBinaryRoundToTheirBatch()
    {
        // 1,000 samples at batch 24: 42 batches per epoch; the trainer's epoch after batch b is e + b / 42.
        for (int b = 0; b <= 42 * 3; b++)
        {
            double epoch = b / 42 + (double)(b % 42) / 42;
            Assert.Equal(b, MatrixUpdateCount.BatchesAfter(epoch, 24, 1000));
            Assert.Equal(b / 42 * 1000 + Math.Min(1000, b % 42 * 24), MatrixUpdateCount.SamplesAfter(epoch, 24, 1000));
        }
    }

    [Theory]
    [InlineData(0, 1000, 2, 1.0, "batchSize")]
    [InlineData(32, 0, 2, 1.0, "trainCount")]
    [InlineData(32, 1000, 0, 1.0, "layerCount")]
    [InlineData(32, 1000, 2, -0.5, "epochs")]
    [InlineData(32, 1000, 2, double.NaN, "epochs")]
    [InlineData(32, 1000, 2, double.PositiveInfinity, "epochs")]
    public void BadArgumentsAreRejectedByName(int batch, int samples, int layers, double epochs, string name)
    {
        var e = Assert.Throws<ArgumentException>(() => MatrixUpdateCount.Count(UpdateMethod.MiniBatch, batch, samples, layers, epochs));
        Assert.Equal(name, e.ParamName);
    }

    [Theory]
    [InlineData("sgd", true, UpdateMethod.Sgd)]
    [InlineData("minibatch", true, UpdateMethod.MiniBatch)]
    [InlineData("svd-1", true, UpdateMethod.TruncatedSvd)]
    [InlineData("sbe-12", true, UpdateMethod.Sbe)]
    [InlineData("sbe", false, UpdateMethod.Sgd)]
    [InlineData("sbe-0", false, UpdateMethod.Sgd)]
    [InlineData("svd-x", false, UpdateMethod.Sgd)]
    [InlineData("adam-1", false, UpdateMethod.Sgd)]
    [InlineData("", false, UpdateMethod.Sgd)]
    [InlineData(null, false, UpdateMethod.Sgd)]
    public void MethodLabelsParse(string? label, bool ok, UpdateMethod expected)
    {
        Assert.Equal(ok, SweepCell.TryParseLabel(label, out var method));
        if (ok) Assert.Equal(expected, method);
    }

    [Fact]
    public void EverySweepLabelParsesBackToItsMethod()
    {
        foreach (var m in Enum.GetValues<UpdateMethod>())
        {
            Assert.True(SweepCell.TryParseLabel(SweepCell.LabelOf(m, 3), out var back));
            Assert.Equal(m, back);
        }
    }

    [Theory]
    // method, rank, batch: matrix updates and rank-1 writes after 2 epochs of 1,000 samples, 2 layers (9 x 5 and 6 x 3).
    [InlineData(UpdateMethod.Sgd, 1, 32, 4_000, 4_000)]          // 2 x 1,000 samples x 2 layers, one write each
    [InlineData(UpdateMethod.MiniBatch, 1, 32, 128, 512)]        // 2 x 32 batches x 2 layers; writes min(n, 5, 9) + min(n, 3, 6) = 8 per batch
    [InlineData(UpdateMethod.TruncatedSvd, 1, 32, 128, 128)]     // one rank-1 write per update
    [InlineData(UpdateMethod.Sbe, 2, 32, 128, 256)]              // a rank-2 write is one update of 2 rank-1 writes
    [InlineData(UpdateMethod.Sgd, 1, 1, 4_000, 4_000)]
    public void TinyRunCountsPerMethod(UpdateMethod method, int rank, int batch, long updates, long writes)
    {
        var cell = CellRunner.Run(new SweepCell(method, rank, batch, "ideal", 5), s_twoEpochs, s_thousand, 0.1f, "fixed");
        Assert.False(cell.Diverged);
        Assert.Equal(2, cell.Epochs);
        Assert.Equal(writes, cell.RankOneWrites);
        Assert.Equal(updates, cell.MatrixUpdates);
        Assert.Equal([0L, updates / 2, updates], cell.History.Select(p => p.MatrixUpdates));
        foreach (var c in new[] { cell.LossBelow0_1, cell.LossBelow0_01, cell.CrossingOf(cell.History[1].TrainLoss) })
            Assert.Equal(cell.MatrixUpdatesAt(c.Epoch), c.MatrixUpdates);
    }

    [Fact]
    public void ARunThatThrewHasNoCountRatherThanZero()
    {
        // What CellRunner records when training throws (the tiles reject non-finite values): diverged, no history, 0
        // epochs, but the writes issued before the blow-up. How many updates it made is unknown, not 0.
        var threw = new CellResult { Key = "x", Method = "minibatch", BatchSize = 32, TrainCount = 1000, Layers = [8, 5, 3], Diverged = true, RankOneWrites = 96 };
        Assert.Null(threw.MatrixUpdates);
        Assert.Contains("| diverged | 0.00% | 96 | - |", SweepTable.ToMarkdown([threw]));
        // Diverged after evaluation points (non-finite loss without a throw): the epochs run say how far it got.
        var blewUp = threw with { Epochs = 1, History = [new(0, 0, 2.3, 0.1), new(1, 256, double.PositiveInfinity, 0.1)] };
        Assert.Equal(64, blewUp.MatrixUpdates);
    }

    [Theory]
    [InlineData(UpdateMethod.Sgd, 24)]
    [InlineData(UpdateMethod.MiniBatch, 24)]
    [InlineData(UpdateMethod.Sbe, 200)]
    public void DerivedCountMatchesTheTrainersOwnCountersAtEveryEvaluation(UpdateMethod method, int batch)
    {
        // Independent counters: the trainer's batches applied (Updates) and, for SGD and rank-1 SBE, the tiles' writes.
        var net = new Network(new NetworkOptions { LayerSizes = [8, 5, 3], Method = method, Seed = 2 });
        var history = new Trainer(net, s_thousand.Train, null, new TrainingSchedule { Epochs = 2, BatchSize = batch, LearningRate = 0.1f, ShuffleSeed = 2, EvaluationsPerEpoch = 4 }).Run();
        Assert.Equal(9, history.Records.Count);
        foreach (var r in history.Records)
        {
            long derived = MatrixUpdateCount.Count(method, batch, 1000, 2, r.Epoch);
            if (method == UpdateMethod.Sgd) Assert.Equal(r.RankOneWrites, derived);
            else Assert.Equal(2 * r.Updates, derived);
            if (method == UpdateMethod.Sbe) Assert.Equal(r.RankOneWrites, derived);
        }
    }

    // A cell file as written before matrix updates existed (trimmed from a real MNIST-10k result).
    private const string OldCell = """
        {
          "version": 1, "complete": true, "key": "minibatch_b02048_ideal_s1", "method": "minibatch", "rank": 1,
          "batchSize": 2048, "device": "ideal", "seed": 1, "learningRate": 1, "learningRateSource": "tuned",
          "data": "mnist-10k/train", "trainCount": 8000, "layers": [784, 100, 10], "activation": "relu",
          "epochBudget": 200, "stopAtLoss": 0.01, "diverged": false, "epochs": 200, "trainLoss": 0.0115,
          "trainAccuracy": 1, "testAccuracy": 0.9485, "bestTestAccuracy": 0.95, "rankOneWrites": 88000,
          "totalPulses": 0, "meanPulsesPerDevice": 0, "maxPulsesPerDevice": 0, "peripheralMemoryBytes": 318040,
          "lossBelow0_1": { "reached": true, "epoch": 48.25, "rankOneWrites": 21230 },
          "lossBelow0_01": { "reached": false, "epoch": 200, "rankOneWrites": 88000 },
          "trainSeconds": 62.4, "wallSeconds": 143.9,
          "history": [
            { "epoch": 0, "rankOneWrites": 0, "trainLoss": 2.38, "testAccuracy": 0.142 },
            { "epoch": 0.25, "rankOneWrites": 110, "trainLoss": 1.74, "testAccuracy": 0.5005 },
            { "epoch": 48.25, "rankOneWrites": 21230, "trainLoss": 0.0999, "testAccuracy": 0.94 }
          ]
        }
        """;

    [Fact]
    public void OldCellFilesLoadWithTheCountDerivedAndSaveItBack()
    {
        string dir = TinyExperiment.TempDir();
        try
        {
            var store = new CellStore(dir);
            var cell = new SweepCell(UpdateMethod.MiniBatch, 1, 2048, "ideal", 1);
            File.WriteAllText(store.PathOf(cell), OldCell);
            var loaded = store.TryLoad(cell);
            Assert.NotNull(loaded);
            Assert.Equal(1600, loaded.MatrixUpdates);                 // 200 epochs x 4 batches x 2 layers
            Assert.Equal(386, loaded.LossBelow0_1.MatrixUpdates);     // the results page's hand computation
            Assert.Equal(21230, loaded.LossBelow0_1.RankOneWrites);
            Assert.Equal(1600, loaded.LossBelow0_01.MatrixUpdates);
            Assert.Equal([0L, 2, 386], loaded.History.Select(p => p.MatrixUpdates));
            Assert.Equal(loaded.LossBelow0_1, loaded.CrossingOf(0.1));
            Assert.Equal(loaded.Key, Assert.Single(store.LoadAll()).Key);

            store.Save(cell, loaded);
            string saved = File.ReadAllText(store.PathOf(cell));
            Assert.Contains("\"matrixUpdates\": 1600", saved);
            Assert.Contains("\"matrixUpdates\": 386", saved);
            var again = store.TryLoad(cell)!;
            Assert.Equal(loaded.LossBelow0_1, again.LossBelow0_1);
            Assert.Equal(loaded.History, again.History);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void CountsInAFileAreRederivedNotTrusted()
    {
        string dir = TinyExperiment.TempDir();
        try
        {
            var store = new CellStore(dir);
            var cell = new SweepCell(UpdateMethod.MiniBatch, 1, 2048, "ideal", 1);
            File.WriteAllText(store.PathOf(cell), OldCell.Replace("\"rankOneWrites\": 21230 }", "\"rankOneWrites\": 21230, \"matrixUpdates\": 5 }", StringComparison.Ordinal)
                .Replace("\"epochs\": 200,", "\"epochs\": 200, \"matrixUpdates\": 7,", StringComparison.Ordinal));
            var loaded = store.TryLoad(cell)!;
            Assert.Equal(386, loaded.LossBelow0_1.MatrixUpdates);
            Assert.Equal(1600, loaded.MatrixUpdates);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ACellThatCannotSayHasNoCountAndTheTablesShowAGap()
    {
        var cells = new[]
        {
            new CellResult { Key = "unknown-method", Method = "adam", BatchSize = 32, TrainCount = 1000, Layers = [8, 5, 3], Epochs = 1 },
            new CellResult { Key = "no-layers", Method = "sbe-1", BatchSize = 32, TrainCount = 1000, Epochs = 1 },
            new CellResult { Key = "no-samples", Method = "sbe-1", BatchSize = 32, Layers = [8, 5, 3], Epochs = 1 },
        };
        Assert.All(cells, c => Assert.Null(c.MatrixUpdates));
        Assert.All(cells, c => Assert.Null(c.WithMatrixUpdates().LossBelow0_1.MatrixUpdates));
        var rows = SweepTable.ToCsv(cells).TrimEnd('\n').Split('\n');
        Assert.All(rows.Skip(1), row => Assert.EndsWith(",,,", row));
        Assert.Contains("| - |", SweepTable.ToMarkdown(cells));
    }
}

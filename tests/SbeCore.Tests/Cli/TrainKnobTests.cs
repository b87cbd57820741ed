namespace SbeCore.Tests.Cli;

/// <summary>`sbe train --magnitude` and `--cold-start`: SBE-only experiment knobs.</summary>
public sealed class TrainKnobTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-knobs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1, "--magnitude needs --method sbe", "-m", "sgd", "--magnitude", "rayleigh")]
    [InlineData(1, "--cold-start needs --method sbe", "-m", "svd", "--cold-start")]
    [InlineData(2, "unknown --magnitude 'median'", "--magnitude", "median")] // a usage error: exit code 2
    [InlineData(1, "--published-schedule needs --method sbpca", "-m", "sbe", "--published-schedule")]
    [InlineData(2, "--threads must be 1 to 64 (got 0)", "--threads", "0")]
    [InlineData(1, "--layer-ranks needs a ranked method", "-m", "minibatch", "--layer-ranks", "2,1")]
    [InlineData(2, "--layer-ranks must be ranks >= 1", "--layer-ranks", "2,0")]
    [InlineData(1, "LayerRanks has 3 entries for 2 weight layers", "--layer-ranks", "2,1,1")]
    [InlineData(1, "--layer-ranks cannot be combined with --checkpoint", "--layer-ranks", "2,1", "--checkpoint", "c.bin")]
    public void MisuseIsAOneLineError(int exitCode, string message, params string[] args)
    {
        CliTests.WriteIdx(_dir, train: 20, test: 10);
        var (code, _, stderr) = SbeCli.Run(["train", "--data", _dir, "--hidden", "8", "--epochs", "1", "--out", Path.Combine(_dir, "o"), .. args]);
        Assert.Equal(exitCode, code);
        Assert.StartsWith("sbe: error: ", stderr);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void EachVariantTrainsAndTheyDiffer()
    {
        CliTests.WriteIdx(_dir, train: 40, test: 10);
        string Run(string name, params string[] extra) => FinalTrainLoss(name, extra).Loss;
        string paper = Run("paper"), rayleigh = Run("rayleigh", "--magnitude", "rayleigh"), cold = Run("cold", "--cold-start");
        Assert.Equal(paper, Run("paper-again", "--magnitude", "running-mean")); // the default, spelled out
        Assert.NotEqual(paper, rayleigh);
        Assert.NotEqual(paper, cold);
    }

    // --threads reaches the tiles and changes nothing in the results (pulsed writes draw per row).
    [Fact]
    public void ThreadsChangeNoResult()
    {
        CliTests.WriteIdx(_dir, train: 40, test: 10);
        string one = FinalTrainLoss("one", ["-m", "sgd", "--device", "ecram"]).Loss;
        Assert.Equal(one, FinalTrainLoss("two", ["-m", "sgd", "--device", "ecram", "--threads", "2"]).Loss);
    }

    // Per-layer ranks: the label and results name them, the writes count them, equal ranks are --rank.
    [Fact]
    public void LayerRanksTrainAndEqualRanksAreRank()
    {
        CliTests.WriteIdx(_dir, train: 40, test: 10);
        var (mixed, stdout) = FinalTrainLoss("mixed", ["--layer-ranks", "3,1"]);
        Assert.Contains("sbe-3/1", stdout);
        string json = File.ReadAllText(Path.Combine(_dir, "mixed", "results.json"));
        Assert.Contains("\"layerRanks\": [", json);
        Assert.Contains("\"rankOneWrites\": 20,", json); // 5 batches of 8 x (3 + 1) writes
        Assert.Equal(FinalTrainLoss("rank2", ["-k", "2"]).Loss, FinalTrainLoss("ranks22", ["--layer-ranks", "2,2"]).Loss);
        Assert.NotEqual(mixed, FinalTrainLoss("rank1", []).Loss);
    }

    // The other low-rank methods train from the CLI; SBPCA's published schedule at a batch below its sub-batch
    // never updates its state (the authors' code drops incomplete sub-batches), the default schedule does.
    [Fact]
    public void SbpcaAndLrtTrainAndThePublishedScheduleDiffers()
    {
        CliTests.WriteIdx(_dir, train: 40, test: 10);
        string Run(string name, params string[] extra)
        {
            var (loss, stdout) = FinalTrainLoss(name, extra);
            Assert.Contains(extra[1] + "-", stdout);
            return loss;
        }
        string sane = Run("sbpca", "-m", "sbpca", "--sub-batch", "16"), published = Run("published", "-m", "sbpca", "--sub-batch", "16", "--published-schedule");
        Assert.NotEqual(sane, published);
        Assert.True(double.Parse(Run("lrt", "-m", "lrt", "-k", "2"), System.Globalization.CultureInfo.InvariantCulture) >= 0);
    }

    // Trains 2 epochs on the small data set; returns the final train loss and the printed table.
    private (string Loss, string Stdout) FinalTrainLoss(string name, string[] extra)
    {
        string outDir = Path.Combine(_dir, name);
        var (code, stdout, stderr) = SbeCli.Run(["train", "--data", _dir, "--hidden", "8", "--epochs", "2", "-b", "8", "--lr", "0.3", "--out", outDir, .. extra]);
        Assert.True(code == 0, stderr);
        return (File.ReadAllText(Path.Combine(outDir, "history.csv")).Split('\n')[^2].Split(',')[5], stdout);
    }

    // `sbe quality` scores each candidate per layer; exact SVD is never worse than no write.
    [Fact]
    public void QualityScoresEveryCandidatePerLayer()
    {
        CliTests.WriteIdx(_dir, train: 64, test: 10);
        string outDir = Path.Combine(_dir, "quality");
        var (code, stdout, stderr) = SbeCli.Run(["quality", "--data", _dir, "--hidden", "8", "--epochs", "1", "-b", "16", "--out", outDir, "--candidates", "svd-1,sbe-1:start-rayleigh,lrt-1"]);
        Assert.True(code == 0, stderr);
        var rows = File.ReadAllLines(Path.Combine(outDir, "quality.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(6, rows.Length); // 3 candidates x 2 layers
        Assert.All(rows.Where(r => r[0] == "svd-1"), r => Assert.Equal("0.0000", r[5]));
        Assert.All(rows, r => Assert.Equal("4", r[2])); // 64 / 16 batches per layer
        Assert.Contains("| lrt-1 |", stdout);
        var (bad, _, err) = SbeCli.Run(["quality", "--data", _dir, "--out", outDir, "--candidates", "sbe-1:median"]);
        Assert.Equal(1, bad);
        Assert.Contains("unknown candidate 'sbe-1:median'", err);
    }
}

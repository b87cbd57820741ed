using System.Buffers.Binary;
using System.Text.Json;

namespace SbeCore.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertOneLineError(string stderr, string contains)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length is >= 1 and <= 2, $"expected a one-line error (plus a --help hint), got:\n{stderr}");
        Assert.StartsWith("sbe: error: ", lines[0]);
        Assert.Contains(contains, lines[0]);
        Assert.DoesNotContain("   at ", stderr); // no stack trace
        Assert.DoesNotContain("Exception", stderr);
    }

    [Fact]
    public void HelpListsTheKnobsAndExitsZero()
    {
        var (code, stdout, _) = SbeCli.Run("train", "--help");
        Assert.Equal(0, code);
        foreach (var flag in new[] { "--method", "--rank", "--sub-batch", "--batch", "--lr", "--epochs", "--hidden", "--activation", "--device", "--pulse-type", "--data", "--seed", "--out" })
            Assert.Contains(flag, stdout);
    }

    [Theory]
    [InlineData("Cannot parse argument 'abc'", "train", "--epochs", "abc")]
    [InlineData("--epochs must be >= 1", "compare", "--epochs", "0")]
    [InlineData("unknown method 'adam'", "train", "--method", "adam")]
    [InlineData("--activation must be relu or sigmoid", "train", "--activation", "tanh")]
    [InlineData("--hidden expects positive integers", "train", "--hidden", "100,x")]
    [InlineData("--lr must be a finite number > 0", "train", "--lr", "-0.1")]
    [InlineData("unknown device preset 'flash'", "train", "--device", "flash")]
    [InlineData("unknown pulse type 'fast'", "compare", "--pulse-type", "fast")]
    [InlineData("Unrecognized command or argument '--bogus'", "compare", "--bogus")]
    [InlineData("--subset must be TRAIN,TEST", "train", "--subset", "8000")]
    [InlineData("--subset must be TRAIN,TEST", "sweep", "--subset", "0,10", "--list")]
    [InlineData("--thresholds expects positive numbers", "report", "--thresholds", "0.1,-1")]
    public void BadFlagValueGivesOneLineErrorAndUsageExitCode(string message, params string[] args)
    {
        var (code, _, stderr) = SbeCli.Run(args);
        Assert.Equal(2, code);
        AssertOneLineError(stderr, message);
    }

    [Fact]
    public void MissingOrBrokenDataGivesOneLineErrorAndExitOne()
    {
        var (code, _, stderr) = SbeCli.Run("train", "--data", Path.Combine(_dir, "missing"), "--epochs", "1");
        Assert.Equal(1, code);
        AssertOneLineError(stderr, "does not exist");

        WriteIdx(_dir, train: 30, test: 10);
        File.WriteAllBytes(Path.Combine(_dir, "t10k-images-idx3-ubyte"), File.ReadAllBytes(Path.Combine(_dir, "t10k-images-idx3-ubyte"))[..100]);
        (code, _, stderr) = SbeCli.Run("compare", "--data", _dir, "--epochs", "1");
        Assert.Equal(1, code);
        AssertOneLineError(stderr, "truncated");
    }

    [Fact]
    public void SubsetTrainsOnTheFirstImagesAndRejectsOneLargerThanTheSet()
    {
        WriteIdx(_dir, train: 30, test: 10);
        var (code, stdout, stderr) = SbeCli.Run("train", "--data", _dir, "--subset", "20,5", "--epochs", "1", "--hidden", "8", "--out", Path.Combine(_dir, "sub"));
        Assert.True(code == 0, stderr);
        Assert.Contains($"{Path.GetFileName(_dir)}-20-5", stdout);

        (code, _, stderr) = SbeCli.Run("train", "--data", _dir, "--subset", "31,5", "--epochs", "1");
        Assert.Equal(1, code);
        AssertOneLineError(stderr, "training subset must be 1..30 images (got 31)");
    }

    [Fact]
    public void ReportDrawsFig5AtTheGivenThresholdsFromASweep()
    {
        WriteIdx(_dir, train: 40, test: 10);
        string sweepDir = Path.Combine(_dir, "sweep"), reportDir = Path.Combine(_dir, "report");
        var (code, stdout, stderr) = SbeCli.Run("sweep", "--data", _dir, "--hidden", "8", "--methods", "sgd,minibatch,sbe", "--batches", "4", "--epochs", "2",
            "--stop-at-loss", "0", "--lr", "0.1", "--out", sweepDir, "-j", "1");
        Assert.True(code == 0, stderr);
        // Progress: the banner counts the cells still to do, each finished cell says k/N and an ETA; a rerun has none left.
        Assert.Contains("3 of 3 cells, 3 still to do", stdout);
        Assert.Contains("3/3 done (ETA 00:00:00)", stdout);
        var (again, rerun, _) = SbeCli.Run("sweep", "--data", _dir, "--hidden", "8", "--methods", "sgd,minibatch,sbe", "--batches", "4", "--epochs", "2",
            "--stop-at-loss", "0", "--lr", "0.1", "--out", sweepDir, "-j", "1");
        Assert.Equal(0, again);
        Assert.Contains("0 still to do", rerun);

        (code, _, stderr) = SbeCli.Run("report", "--sweep", sweepDir, "--devices-sweep", "none", "--skip-runs", "--thresholds", "5,0.001", "--out", reportDir);
        Assert.True(code == 0, stderr);
        string md = File.ReadAllText(Path.Combine(reportDir, "report.md"));
        Assert.Contains("| epochs to 5 | writes to 5 | updates to 5 | epochs to 0.001 | writes to 0.001 | updates to 0.001 |", md);
        Assert.DoesNotContain("device models", md);
        foreach (string t in new[] { "5", "0.001" })
            foreach (string what in new[] { "epochs", "writes", "updates" })
                Assert.True(File.Exists(Path.Combine(reportDir, $"fig5-{what}-to-{t}.png")), $"{what} to {t}");
        // Loss 5 is above the untrained network's loss, so it is reached at the evaluation before training (epoch 0,
        // no writes yet); 0.001 is not reached in 2 epochs: censored at 2 epochs and 10 batches x 2 layers x 2 epochs,
        // which is 40 rank-1 writes and 40 matrix updates for sbe-1, 40 updates but (4 + 4) x 10 x 2 = 160 writes for
        // minibatch (min(n, a, b) = 4 per layer of 8 x 785 and 10 x 9), and 40 samples x 2 layers x 2 epochs for sgd.
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(md, @"\| sbe-1 \| 4 \| 0\.1 \| 2 \| 2 \| [0-9.]+ \| [0-9.]+% \| 0 \| 0 \| 0 \| > 2 \| > 40 \| > 40 \|"), md);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(md, @"\| minibatch \| 4 \| 0\.1 \| 2 \| 2 \| [0-9.]+ \| [0-9.]+% \| 0 \| 0 \| 0 \| > 2 \| > 160 \| > 40 \|"), md);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(md, @"\| sgd \| 1 \| 0\.1 \| 2 \| 2 \| [0-9.]+ \| [0-9.]+% \| 0 \| 0 \| 0 \| > 2 \| > 160 \| > 160 \|"), md);
        // Both fewest tables, each saying which count it uses; no ratio to SGD's 0 (not NaN or infinity).
        int writesTable = md.IndexOf("Fewest rank-1 writes (the crossbar's cost", StringComparison.Ordinal);
        int updatesTable = md.IndexOf("Fewest matrix updates (the paper's count", StringComparison.Ordinal);
        Assert.True(writesTable > 0 && updatesTable > writesTable, md);
        Assert.Contains("| method | threshold | fewest rank-1 writes | at batch | SGD / this |", md);
        Assert.Contains("| method | threshold | fewest matrix updates | at batch | SGD / this |", md);
        Assert.Contains("| sbe-1 | 5 | 0 | 4 | - |", md[writesTable..updatesTable]);
        Assert.Contains("| sbe-1 | 5 | 0 | 4 | - |", md[updatesTable..]);
        Assert.Contains("| minibatch | 0.001 | not reached | - | - |", md[updatesTable..]);

        (code, _, stderr) = SbeCli.Run("sweep", "merge", sweepDir);
        Assert.True(code == 0, stderr);
        string[] csv = File.ReadAllLines(Path.Combine(sweepDir, "table.csv"));
        string[] header = csv[0].Split(',');
        int updates = Array.IndexOf(header, "matrix_updates"), writes = Array.IndexOf(header, "rank1_writes");
        Assert.True(updates > 0 && writes > 0, csv[0]);
        Assert.Contains("loss0.01_matrix_updates", header);
        var byMethod = csv.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[1], f => (Writes: f[writes], Updates: f[updates]));
        Assert.Equal(("40", "40"), byMethod["sbe-1"]);
        Assert.Equal(("160", "40"), byMethod["minibatch"]);
        Assert.Equal(("160", "160"), byMethod["sgd"]);
        Assert.Contains("| rank-1 writes | matrix updates |", File.ReadAllText(Path.Combine(sweepDir, "table.md")));
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(sweepDir, "table.json"))))
            Assert.All(json.RootElement.EnumerateArray(), c => Assert.Equal(c.GetProperty("lossBelow0_01").GetProperty("matrixUpdates").GetInt64(), c.GetProperty("matrixUpdates").GetInt64()));

        (code, _, stderr) = SbeCli.Run("report", "--sweep", sweepDir, "--devices-sweep", Path.Combine(_dir, "nothing"), "--skip-runs", "--out", reportDir);
        Assert.Equal(1, code);
        AssertOneLineError(stderr, "give --devices-sweep none");
    }

    [Fact]
    public void CompareOnASmallDirectoryWritesJsonCsvAndPlots()
    {
        WriteIdx(_dir, train: 120, test: 40);
        string outDir = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = SbeCli.Run("compare", "--data", _dir, "--epochs", "2", "--hidden", "8", "--methods", "sgd,minibatch,svd,sbe", "--out", outDir, "--jobs", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("sbe-1", stdout);
        Assert.Contains("test acc", stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var runs = json.RootElement.GetProperty("runs");
        Assert.Equal(["sgd", "minibatch", "svd-1", "sbe-1"], runs.EnumerateArray().Select(r => r.GetProperty("label").GetString()));
        foreach (var run in runs.EnumerateArray())
        {
            Assert.Equal(3, run.GetProperty("history").GetArrayLength()); // epoch 0, 1, 2
            Assert.True(run.GetProperty("final").GetProperty("rankOneWrites").GetInt64() > 0);
        }
        Assert.Equal(1 + 4 * 3, File.ReadAllLines(Path.Combine(outDir, "history.csv")).Length);
        foreach (var png in new[] { "loss-vs-epoch.png", "loss-vs-writes.png", "test-accuracy-vs-epoch.png" })
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(Path.Combine(outDir, png))[..4]);
    }

    [Fact]
    public void DiagnosticsWriteOneRowPerBatchAndLayer()
    {
        WriteIdx(_dir, train: 100, test: 20);
        string outDir = Path.Combine(_dir, "diag");
        var (code, _, stderr) = SbeCli.Run("train", "--data", _dir, "--method", "sbe", "--batch", "25", "--epochs", "2", "--hidden", "8", "--diagnostics", "--out", outDir);
        Assert.True(code == 0, stderr);
        string[] rows = File.ReadAllLines(Path.Combine(outDir, "diagnostics.csv"));
        Assert.Equal(1 + 2 * 4 * 2, rows.Length); // header + epochs x batches x layers
        Assert.True(File.Exists(Path.Combine(outDir, "diagnostics.png")));
        var (code2, _, stderr2) = SbeCli.Run("train", "--data", _dir, "--method", "sgd", "--diagnostics", "--out", outDir);
        Assert.Equal(1, code2);
        AssertOneLineError(stderr2, "--diagnostics needs --method sbe");
    }

    [Fact]
    public void TuneScansALogGridRefinesAroundTheBestAndCachesTheResult()
    {
        WriteIdx(_dir, train: 100, test: 20);
        string cache = Path.Combine(_dir, "tune");
        string[] args = ["tune", "--data", _dir, "--method", "minibatch", "--epochs", "1", "--hidden", "8",
            "--lr-min", "0.01", "--lr-max", "1", "--lr-step", "1", "--refine-rounds", "1", "--out", cache];
        var (code, stdout, stderr) = SbeCli.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("best learning rate for minibatch at batch 16", stdout);
        string file = Assert.Single(Directory.GetFiles(cache, "*.json"));
        var entry = System.Text.Json.JsonSerializer.Deserialize<SbeCore.Experiments.TuneEntry>(File.ReadAllText(file),
            new System.Text.Json.JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        // Grid 0.01/0.1/1 (plus edge extensions if the best sat on an edge) and one refinement at half a decade each side.
        Assert.True(entry.Probes.Count >= 3 + 2, $"{entry.Probes.Count} probes");
        Assert.Equal(entry.Probes.Min(p => p.Loss), entry.Loss);
        Assert.Equal(entry.Probes.First(p => p.Loss == entry.Loss).LearningRate, entry.LearningRate);

        var (code2, stdout2, stderr2) = SbeCli.Run(args); // cached: no probe is trained again
        Assert.True(code2 == 0, stderr2);
        Assert.Contains("Reused", stdout2);
        Assert.DoesNotContain("  lr ", stdout2);
    }

    /// <summary>Synthetic standard-layout files: 28x28 images whose class sets a bright band, raw and gzip mixed.</summary>
    internal static void WriteIdx(string dir, int train, int test)
    {
        void Pair(string prefix, int count, int seed)
        {
            var images = new byte[16 + count * 784];
            var labels = new byte[8 + count];
            BinaryPrimitives.WriteInt32BigEndian(images, 0x803); BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
            BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), 28); BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), 28);
            BinaryPrimitives.WriteInt32BigEndian(labels, 0x801); BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
            var rng = new Random(seed);
            for (int j = 0; j < count; j++)
            {
                int y = j % 10;
                labels[8 + j] = (byte)y;
                for (int i = 0; i < 784; i++) images[16 + j * 784 + i] = (byte)(i / 78 == y ? 200 + rng.Next(50) : rng.Next(40));
            }
            File.WriteAllBytes(Path.Combine(dir, $"{prefix}-images-idx3-ubyte"), images);
            File.WriteAllBytes(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte"), labels);
        }
        Pair("train", train, 1);
        Pair("t10k", test, 2);
    }
}

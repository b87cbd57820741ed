using System.Text.Json;
using SbeCore.Experiments;
using SbeCore.Updates;

namespace SbeCore.Tests.Experiments;

/// <summary>A tiny real sweep (5 cells, 8-5-3 network, one epoch): resumption after a kill, and sharding.</summary>
public class SweepResumeTests
{
    private static SweepGrid Grid() => new([UpdateMethod.Sgd, UpdateMethod.MiniBatch, UpdateMethod.Sbe], [4, 16], [1], ["ideal"], [7]);

    private static CellResult Compute(SweepCell cell) => CellRunner.Run(cell, TinyExperiment.Settings, TinyExperiment.Data, 0.2f, "fixed");

    // Everything but wall times, which differ between runs.
    private static string Fingerprint(CellResult r) => JsonSerializer.Serialize(r with { WallSeconds = 0, TrainSeconds = 0 });

    [Fact]
    public void EveryCellNamesTheBuildThatComputedIt()
    {
        var cell = Compute(Grid().Cells[0]);
        Assert.Matches(@"^SbeCore \d+\.\d+\.\d+", cell.Software);
        Assert.Equal(CellRunner.Build, cell.Software);
        var csv = SweepTable.ToCsv([cell]).TrimEnd('\n').Split('\n');
        int column = Array.IndexOf(csv[0].Split(','), "software");
        Assert.True(column > 0, csv[0]);
        Assert.Equal(cell.Software, csv[1].Split(',')[column]);
    }

    [Fact]
    public void RerunSkipsFinishedCellsAndRedoesKilledOnesWithIdenticalResults()
    {
        string dir = TinyExperiment.TempDir();
        try
        {
            var grid = Grid();
            Assert.Equal(5, grid.Cells.Count);
            var store = new CellStore(dir);
            var calls = new List<string>();
            CellResult Counting(SweepCell c) { lock (calls) calls.Add(c.Key); return Compute(c); }

            var first = SweepRunner.Run(grid.Cells, store, Counting, jobs: 2);
            Assert.Equal(5, first.Ran.Count);
            Assert.Empty(first.Skipped);
            var original = grid.Cells.ToDictionary(c => c.Key, c => Fingerprint(store.TryLoad(c)!));
            var stamps = grid.Cells.ToDictionary(c => c.Key, c => File.GetLastWriteTimeUtc(store.PathOf(c)));
            Assert.Empty(Directory.GetFiles(dir, "*" + AtomicFile.TempSuffix));

            // A rerun computes nothing and leaves the files alone.
            calls.Clear();
            var second = SweepRunner.Run(grid.Cells, store, Counting, jobs: 2);
            Assert.Empty(calls);
            Assert.Empty(second.Ran);
            Assert.Equal(5, second.Skipped.Count);
            Assert.All(grid.Cells, c => Assert.Equal(stamps[c.Key], File.GetLastWriteTimeUtc(store.PathOf(c))));

            // Simulate kills: (a) a cell killed while writing: only its temp file exists;
            // (b) a half-written result file; (c) a result without the completion mark.
            SweepCell a = grid.Cells[0], b = grid.Cells[2], c = grid.Cells[4];
            string full = File.ReadAllText(store.PathOf(a));
            File.Delete(store.PathOf(a));
            File.WriteAllText(store.PathOf(a) + ".4242.deadbeef" + AtomicFile.TempSuffix, full[..(full.Length / 2)]);
            string bText = File.ReadAllText(store.PathOf(b));
            File.WriteAllText(store.PathOf(b), bText[..(bText.Length / 2)]);
            File.WriteAllText(store.PathOf(c), File.ReadAllText(store.PathOf(c)).Replace("\"complete\": true", "\"complete\": false"));
            Assert.Null(store.TryLoad(a));
            Assert.Null(store.TryLoad(b));
            Assert.Null(store.TryLoad(c));

            calls.Clear();
            var third = SweepRunner.Run(grid.Cells, store, Counting, jobs: 1);
            Assert.Equal(new[] { a.Key, b.Key, c.Key }.Order(), calls.Order());
            Assert.Equal(2, third.Skipped.Count);
            Assert.All(grid.Cells, cell => Assert.Equal(original[cell.Key], Fingerprint(store.TryLoad(cell)!)));
            Assert.Equal(5, store.LoadAll().Count);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ShardedRunsComputeEachCellOnceAndMatchTheUnshardedRun()
    {
        string whole = TinyExperiment.TempDir(), sharded = TinyExperiment.TempDir();
        try
        {
            var grid = Grid();
            SweepRunner.Run(grid.Cells, new CellStore(whole), Compute, jobs: 2);
            var calls = new List<string>();
            var store = new CellStore(sharded);
            for (int i = 0; i < 3; i++)
                SweepRunner.Run(grid.Shard(i, 3), store, cell => { lock (calls) calls.Add(cell.Key); return Compute(cell); });
            Assert.Equal(grid.Cells.Select(c => c.Key).Order(), calls.Order());
            var expected = new CellStore(whole).LoadAll().Select(Fingerprint);
            Assert.Equal(expected, store.LoadAll().Select(Fingerprint));
        }
        finally { Directory.Delete(whole, recursive: true); Directory.Delete(sharded, recursive: true); }
    }

    [Fact]
    public void CellResultsCarryTheRunFigures()
    {
        var cell = new SweepCell(UpdateMethod.Sbe, 1, 4, "ideal", 7);
        var r = Compute(cell);
        Assert.Equal(cell.Key, r.Key);
        Assert.False(r.Diverged);
        Assert.Equal(1, r.Epochs);
        // 96 samples at batch 4 = 24 updates, one rank-1 write per layer (2 layers) each.
        Assert.Equal(48, r.RankOneWrites);
        Assert.Equal(r.History[^1].TrainLoss, r.TrainLoss);
        Assert.True(r.TrainLoss < r.History[0].TrainLoss);
        Assert.True(r.PeripheralMemoryBytes > 0);
        Assert.Equal(0, r.TotalPulses); // ideal device: exact writes, no pulses
    }

    [Fact]
    public void PulsedDevicesCountPulses()
    {
        var r = CellRunner.Run(new SweepCell(UpdateMethod.Sbe, 1, 4, "constantstep", 7), TinyExperiment.Settings, TinyExperiment.Data, 0.2f, "fixed");
        Assert.True(r.TotalPulses > 0);
        Assert.True(r.MaxPulsesPerDevice >= r.MeanPulsesPerDevice);
    }

    [Fact]
    public void StoreRejectsForeignResults()
    {
        string dir = TinyExperiment.TempDir();
        try
        {
            var store = new CellStore(dir);
            var cell = new SweepCell(UpdateMethod.Sgd, 1, 1, "ideal", 1);
            var other = new SweepCell(UpdateMethod.Sgd, 1, 1, "ideal", 2);
            var r = new CellResult { Key = other.Key };
            Assert.Throws<ArgumentException>(() => store.Save(cell, r));
            store.Save(other, r);
            File.Copy(store.PathOf(other), store.PathOf(cell));
            Assert.Null(store.TryLoad(cell)); // the file names another cell
            Assert.NotNull(store.TryLoad(other));
            Assert.Single(store.LoadAll());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

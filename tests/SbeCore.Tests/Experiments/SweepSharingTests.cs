using SbeCore.Experiments;
using SbeCore.Tests.IO;
using SbeCore.Updates;

namespace SbeCore.Tests.Experiments;

/// <summary>Several sweep processes into one folder share the cells; leftovers of killed sweeps are cleaned up.</summary>
public class SweepSharingTests
{
    private static SweepGrid Grid() => new([UpdateMethod.Sgd, UpdateMethod.MiniBatch], [4, 16], [1], ["ideal"], [7]);

    private static CellResult Compute(SweepCell cell) => CellRunner.Run(cell, TinyExperiment.Settings, TinyExperiment.Data, 0.2f, "fixed");

    [Fact]
    public void ACellClaimedByALiveSweepIsLeftToItAndDoneOnceFree()
    {
        string dir = TinyExperiment.TempDir();
        try
        {
            var store = new CellStore(dir);
            var cells = Grid().Cells;
            var calls = new List<string>();
            CellResult Counting(SweepCell c) { lock (calls) calls.Add(c.Key); return Compute(c); }

            SweepSummary summary;
            using (var held = CellClaim.TryAcquire(store, cells[1])) // "another process" is computing cells[1]
            {
                Assert.NotNull(held);
                Assert.Null(CellClaim.TryAcquire(store, cells[1])); // a claim is exclusive
                summary = SweepRunner.Run(cells, store, Counting, jobs: 2);
            }
            Assert.Equal(cells[1], Assert.Single(summary.ClaimedElsewhere));
            Assert.Equal(cells.Count - 1, summary.Ran.Count);
            Assert.DoesNotContain(cells[1].Key, calls);
            Assert.Empty(Directory.GetFiles(dir, "*" + CellClaim.Suffix)); // released claims are removed

            calls.Clear();
            summary = SweepRunner.Run(cells, store, Counting);
            Assert.Equal([cells[1].Key], calls);
            Assert.Empty(summary.ClaimedElsewhere);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ClaimsOfKilledSweepsAndTheirTemporaryFilesAreReclaimed()
    {
        string dir = TinyExperiment.TempDir();
        try
        {
            var store = new CellStore(dir);
            var cells = Grid().Cells;
            // What a killed sweep leaves: a claim file nobody holds (its lock died with it) and a half-written temp file.
            File.WriteAllText(Path.Combine(dir, cells[0].Key + CellClaim.Suffix), $"{Hostile.DeadPid}\n");
            string staleTemp = store.PathOf(cells[0]) + $".{Hostile.DeadPid}.0123abcd" + AtomicFile.TempSuffix;
            string liveTemp = store.PathOf(cells[0]) + $".{Environment.ProcessId}.0123abcd" + AtomicFile.TempSuffix;
            File.WriteAllText(staleTemp, "{\"key\":");
            File.WriteAllText(liveTemp, "{\"key\":");
            var summary = SweepRunner.Run(cells, store, Compute);
            Assert.Equal(cells.Count, summary.Ran.Count);
            Assert.False(File.Exists(staleTemp));
            Assert.True(File.Exists(liveTemp)); // a live writer's file is never touched
            Assert.Empty(Directory.GetFiles(dir, "*" + CellClaim.Suffix));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

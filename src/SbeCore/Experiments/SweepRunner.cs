namespace SbeCore.Experiments;

/// <summary>What a sweep run did.</summary>
/// <param name="Skipped">Cells that already had a finished result file (not recomputed).</param>
/// <param name="Ran">Cells computed and saved by this run.</param>
public sealed record SweepSummary(IReadOnlyList<SweepCell> Skipped, IReadOnlyList<SweepCell> Ran)
{
    /// <summary>Unfinished cells left alone because another live process holds their claim (<see cref="CellClaim"/>).</summary>
    public IReadOnlyList<SweepCell> ClaimedElsewhere { get; init; } = [];
}

/// <summary>
/// Runs the unfinished cells of a list (a grid or one shard of it) and saves each result atomically as soon as it is
/// done, so a crash or kill loses at most the cells in flight, and a rerun picks up exactly where it stopped. Each cell
/// is claimed (<see cref="CellClaim"/>) before it is computed, so several processes sweeping into one folder share the
/// cells; temporary files of killed writers are removed at the start.
/// </summary>
public static class SweepRunner
{
    /// <summary>
    /// Computes every cell of <paramref name="cells"/> that <paramref name="store"/> does not hold finished, with up to
    /// <paramref name="jobs"/> at once (each cell is deterministic on its own, so parallelism never changes a result).
    /// <paramref name="done"/> is called after each saved cell (from worker threads).
    /// </summary>
    public static SweepSummary Run(IReadOnlyList<SweepCell> cells, CellStore store, Func<SweepCell, CellResult> compute, int jobs = 1,
        Action<SweepCell, CellResult>? done = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(compute);
        Check.AtLeast(jobs, 1);
        store.RemoveStaleTempFiles();
        var skipped = new List<SweepCell>();
        var todo = new List<SweepCell>();
        foreach (var c in cells) (store.IsFinished(c) ? skipped : todo).Add(c);
        var outcome = new Outcome[todo.Count];
        Parallel.For(0, todo.Count, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancellationToken }, i =>
        {
            var cell = todo[i];
            using var claim = CellClaim.TryAcquire(store, cell);
            if (claim is null) { outcome[i] = Outcome.ClaimedElsewhere; return; }
            // Another process may have finished it between the first look and the claim.
            if (store.IsFinished(cell)) { outcome[i] = Outcome.FinishedElsewhere; return; }
            var result = compute(cell);
            store.Save(cell, result);
            outcome[i] = Outcome.Ran;
            done?.Invoke(cell, result);
        });
        var ran = new List<SweepCell>();
        var elsewhere = new List<SweepCell>();
        for (int i = 0; i < todo.Count; i++)
            (outcome[i] == Outcome.Ran ? ran : outcome[i] == Outcome.FinishedElsewhere ? skipped : elsewhere).Add(todo[i]);
        return new SweepSummary(skipped, ran) { ClaimedElsewhere = elsewhere };
    }

    private enum Outcome { NotRun, Ran, FinishedElsewhere, ClaimedElsewhere }
}

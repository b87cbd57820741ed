using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SbeCore.Experiments;
using Spectre.Console;

namespace SbeCore.Cli.Experiments;

/// <summary>
/// `sbe sweep`: methods x batch sizes x ranks x devices x seeds, one atomically written result file per cell, finished
/// cells skipped on a rerun, `--shard i/n` for a deterministic slice; `sbe sweep merge` gathers the cells into one table.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var grid = new GridOptions();
        var outDir = new Option<string?>("--out", "-o") { Description = "Sweep folder (cells/ holds one JSON file per cell); default results/sweep-<preset>" };
        var shard = new Option<string>("--shard") { Description = "Run only slice i of n (0-based, e.g. 3/8 or $SLURM_ARRAY_TASK_ID/$N): every n-th cell from i", DefaultValueFactory = _ => "0/1" };
        shard.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<string>(r, out var v) && !SweepGrid.TryParseShard(v, out _, out _)) r.AddError($"--shard expects i/n with 0 <= i < n (got '{v}').");
        });
        var lr = new Option<float?>("--lr") { Description = "One fixed learning rate for every cell (skips tuning)" };
        CommonOptions.Positive(lr);
        var noTune = new Option<bool>("--no-tune") { Description = "Do not tune on a cache miss: use the untuned fallback (sgd 0.01, others 0.1) and say so in the results" };
        var list = new Option<bool>("--list") { Description = "Print the cells of this shard (and whether each is finished) without training" };

        var command = new Command("sweep", "Train every cell of a grid (methods x batch sizes x ranks x devices x seeds), resumable and shardable; one result file per cell");
        grid.AddTo(command);
        command.Options.Add(outDir); command.Options.Add(shard); command.Options.Add(lr); command.Options.Add(noTune); command.Options.Add(list);
        command.Subcommands.Add(MergeCommand.Create());
        command.Subcommands.Add(GridTuneCommand.Create());

        command.SetAction(parse => Cli.Guard(() =>
        {
            if (!grid.TryResolve(parse, out var o, out string error)) return Cli.Fail(error);
            SweepGrid.TryParseShard(parse.GetValue(shard)!, out int index, out int count);
            var cells = o.Grid().Shard(index, count);
            string dir = parse.GetValue(outDir) ?? Path.Combine("results", "sweep-" + o.PresetName);
            if (!parse.GetValue(list)) OutputFolder.Prepare(dir);
            var store = new CellStore(Path.Combine(dir, "cells"));
            if (parse.GetValue(list))
            {
                foreach (var c in cells) Console.WriteLine($"{c.Key}\t{(store.IsFinished(c) ? "finished" : "todo")}");
                return 0;
            }
            var data = DataOption.Load(o.Data, o.Subset);
            var rates = new LearningRates(o, data, parse.GetValue(lr), tune: !parse.GetValue(noTune));
            int total = cells.Count, finished = 0;
            int todo = cells.Count(c => !store.IsFinished(c));
            var lockObj = new object();
            var clock = Stopwatch.StartNew();
            AnsiConsole.MarkupLineInterpolated($"[bold]sbe sweep[/] ({o.PresetName}): shard {index}/{count}, {total} of {o.Grid().Cells.Count} cells, {todo} still to do, {o.Settings.Epochs} epochs max, stop at loss {o.Settings.StopAtLoss}, {data.Train.Name} ({data.Train.Count}/{data.Test.Count}), folder {Path.GetFullPath(dir)}");
            // Finished cells are files of their own: an interrupted sweep resumes where it stopped.
            Console.CancelKeyPress += (_, _) => Console.Error.WriteLine("interrupted: run the same command to resume (finished cells are kept).");
            void Log(string line) { lock (lockObj) Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {line}"); }
            var summary = SweepRunner.Run(cells, store, cell =>
            {
                var (rate, source) = rates.For(cell, Log);
                return CellRunner.Run(cell, o.Settings, data, rate, source);
            }, o.Jobs, (cell, r) =>
            {
                int n = Interlocked.Increment(ref finished);
                var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / n * Math.Max(0, todo - n));
                Log(string.Create(CultureInfo.InvariantCulture,
                    $"{n}/{todo} done (ETA {eta:hh\\:mm\\:ss}): {cell.Key} lr {r.LearningRate:0.####} ({r.LearningRateSource}) epochs {r.Epochs:0.##} loss {(r.Diverged ? "diverged" : r.TrainLoss.ToString("0.0000", CultureInfo.InvariantCulture))} test {SweepTable.Percent(r.TestAccuracy)} writes {r.RankOneWrites:N0} updates {SweepTable.Count(r.MatrixUpdates)} ({r.WallSeconds:0.0} s)"));
            });
            string others = summary.ClaimedElsewhere.Count == 0 ? "" : $", left {summary.ClaimedElsewhere.Count} cells another sweep process is computing";
            AnsiConsole.MarkupLineInterpolated($"Shard {index}/{count}: ran {summary.Ran.Count}, skipped {summary.Skipped.Count} finished cells{others}, {clock.Elapsed.TotalMinutes:0.0} min. Merge with: sbe sweep merge {dir}");
            return 0;
        }));
        return command;
    }
}

/// <summary>`sbe sweep merge DIR`: one table (CSV, JSON, markdown) from every finished cell in DIR/cells.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("folder") { Description = "Sweep folder (the --out of sbe sweep)" };
        var command = new Command("merge", "Gather the finished cells of a sweep folder into table.csv, table.json and table.md");
        command.Arguments.Add(dir);
        command.SetAction(parse => Cli.Guard(() =>
        {
            string folder = parse.GetValue(dir)!;
            string cellsDir = Path.Combine(folder, "cells");
            if (!Directory.Exists(cellsDir)) return Cli.Fail($"'{cellsDir}' does not exist; run sbe sweep --out {folder} first.");
            var results = new CellStore(cellsDir).LoadAll();
            AtomicFile.WriteAllText(Path.Combine(folder, "table.csv"), SweepTable.ToCsv(results));
            AtomicFile.WriteAllText(Path.Combine(folder, "table.json"), SweepTable.ToJson(results));
            AtomicFile.WriteAllText(Path.Combine(folder, "table.md"), SweepTable.ToMarkdown(results));
            AnsiConsole.MarkupLineInterpolated($"Merged {results.Count} finished cells into {Path.GetFullPath(folder)}/table.csv, table.json, table.md");
            return 0;
        }));
        return command;
    }
}

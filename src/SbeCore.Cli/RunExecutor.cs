using System.Diagnostics;
using SbeCore.Data;
using SbeCore.Training;
using Spectre.Console;

namespace SbeCore.Cli;

/// <summary>Runs specs with a Spectre.Console progress bar per run, up to <c>jobs</c> at a time (each run is deterministic on its own).</summary>
internal static class RunExecutor
{
    public static RunResult[] Execute(IReadOnlyList<RunSpec> specs, DataSplit data, int jobs)
    {
        var results = new RunResult[specs.Count];
        // Build every network first: construction errors (bad rank, device config) surface before any training.
        var networks = specs.Select(s => new Network(s.Network)).ToArray();
        var trainers = specs.Select((s, i) => NewTrainer(s, networks[i], data)).ToArray();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs) };
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Redirected output (CI, logs): no live bars, one line per finished run.
            Parallel.For(0, specs.Count, options, i =>
            {
                var sw = Stopwatch.StartNew();
                var history = trainers[i].Run();
                results[i] = new RunResult(specs[i], history, sw.Elapsed.TotalSeconds);
                lock (results) Console.WriteLine($"{specs[i].Label,-12} done in {sw.Elapsed.TotalSeconds:0.0} s: loss {history.Final.TrainLoss:0.0000}, test {100 * history.Final.TestAccuracy:0.00}%");
            });
            return results;
        }
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var tasks = specs.Select(s => ctx.AddTask(s.Label.PadRight(12), autoStart: false, maxValue: 1000)).ToArray();
                Parallel.For(0, specs.Count, options, i =>
                {
                    var task = tasks[i];
                    task.StartTask();
                    long last = 0;
                    var sw = Stopwatch.StartNew();
                    var history = trainers[i].Run(p =>
                    {
                        long now = sw.ElapsedMilliseconds;
                        if (now - last < 100 && p.Fraction < 1) return; // throttle: SGD reports 8,000 batches per epoch
                        last = now;
                        task.Value = 1000 * p.Fraction;
                        task.Description = $"{specs[i].Label,-12} epoch {p.Epoch,5:0.00} loss {p.LastTrainLoss:0.0000}";
                    });
                    task.Value = 1000;
                    task.Description = $"{specs[i].Label,-12} done: loss {history.Final.TrainLoss:0.0000}, test {100 * history.Final.TestAccuracy:0.00}%";
                    task.StopTask();
                    results[i] = new RunResult(specs[i], history, sw.Elapsed.TotalSeconds);
                });
            });
        return results;
    }

    private static Trainer NewTrainer(RunSpec spec, Network network, DataSplit data)
    {
        var schedule = spec.Schedule;
        if (spec.Resume is not null)
        {
            network.Restore(spec.Resume);
            if (network.CompletedEpochs >= schedule.Epochs)
                throw new InvalidOperationException($"the checkpoint '{spec.Resume}' has {network.CompletedEpochs} epochs of training already; --epochs {schedule.Epochs} leaves nothing to do.");
            schedule = schedule.ResumingAt(network.CompletedEpochs);
        }
        var trainer = new Trainer(network, data.Train, data.Test, schedule);
        if (spec.Checkpoint is { } path) trainer.EpochTrained = n => n.Save(path);
        return trainer;
    }
}

using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace SbeCore.Benchmarks.Kernels;

/// <summary>Short job (the machine is 2 shared cores): few, short iterations; medians; memory diagnoser.</summary>
public sealed class KernelBenchConfig : ManualConfig
{
    public KernelBenchConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(EnvInt("SBE_BENCH_ITERATIONS", 9))
            .WithIterationTime(TimeInterval.FromMilliseconds(EnvInt("SBE_BENCH_ITERATION_MS", 100)))
            .WithId("short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        AddColumn(MetricColumn.All().ToArray());
        AddExporter(MarkdownExporter.GitHub, CsvExporter.Default);
        HideColumns(Column.Error, Column.StdDev, Column.Job, "Gen0", "Gen1", "Gen2");
        WithOptions(ConfigOptions.DisableLogFile);
    }

    /// <summary>SBE_BENCH_ITERATIONS / SBE_BENCH_ITERATION_MS: many short iterations make the median robust on a busy machine.</summary>
    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int v) && v > 0 ? v : fallback;
}

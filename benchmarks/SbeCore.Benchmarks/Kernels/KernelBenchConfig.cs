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
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(9)
            .WithIterationTime(TimeInterval.FromMilliseconds(100))
            .WithId("short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median);
        AddColumn(MetricColumn.All().ToArray());
        AddExporter(MarkdownExporter.GitHub, CsvExporter.Default);
        HideColumns(Column.Error, Column.StdDev, Column.Job, "Gen0", "Gen1", "Gen2");
        WithOptions(ConfigOptions.DisableLogFile);
    }
}

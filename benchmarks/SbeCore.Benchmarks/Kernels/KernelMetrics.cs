using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SbeCore.Benchmarks.Kernels;

/// <summary>Work per call of each benchmark method ("Kernel_Variant" or "Probe_X"), from its name and shape.</summary>
internal static class KernelMetrics
{
    public const int BatchSize = 64;
    public const int Rank = 4;

    public static (int Rows, int Cols) ParseShape(string shape)
    {
        int x = shape.IndexOf('x');
        return (int.Parse(shape.AsSpan(0, x)), int.Parse(shape.AsSpan(x + 1)));
    }

    public static string Kernel(BenchmarkCase c) => c.Descriptor.WorkloadMethod.Name.Split('_')[0];

    public static (double Flops, double Bytes) Work(BenchmarkCase c)
    {
        if (c.Parameters["Length"] is int length)
            return Kernel(c) switch
            {
                "Dot" => (2.0 * length, 8.0 * length),
                "Axpy" => (2.0 * length, 12.0 * length),
                "Scale" => (1.0 * length, 8.0 * length),
                "Nrm2" => (2.0 * length, 4.0 * length),
                _ => (double.NaN, double.NaN),
            };
        var (rows, cols) = ParseShape((string)c.Parameters["Shape"]);
        double rc = (double)rows * cols;
        string name = c.Descriptor.WorkloadMethod.Name;
        return Kernel(c) switch
        {
            "Probe" when name == "Probe_Fma" => (2.0 * Probes.FmaPeakChains * 16 * Probes.FmaPeakSteps, 0),
            "Probe" when name == "Probe_Stream" => (rc, 4 * rc),
            "Probe" => (rc, 8 * rc),
            "Gemv" or "GemvT" => (2 * rc, 4 * rc),
            "Ger" => (2 * rc, 8 * rc),
            "RankK1" or "RankK2" or "RankK3" or "RankK4" => (2 * (Kernel(c)[5] - '0') * rc, 8 * rc),
            "BatchRead64" or "BatchReadT64" => (2.0 * BatchSize * rc, 4 * rc),
            _ => (double.NaN, double.NaN),
        };
    }

    /// <summary>The statistic the derived columns use: the median (the measure), or the minimum when
    /// SBE_BENCH_STAT=min (robust against time-slicing on a shared machine; the columns are then suffixed "(min)").</summary>
    public static readonly bool UseMin = string.Equals(Environment.GetEnvironmentVariable("SBE_BENCH_STAT"), "min", StringComparison.OrdinalIgnoreCase);

    public static string Suffix => UseMin ? "(min)" : "";

    public static double Median(Summary s, BenchmarkCase c) =>
        (UseMin ? s[c]?.ResultStatistics?.Min : s[c]?.ResultStatistics?.Median) ?? double.NaN;

    /// <summary>The case of another method with the same parameters.</summary>
    public static BenchmarkCase? Sibling(Summary s, BenchmarkCase c, string method) =>
        s.BenchmarksCases.FirstOrDefault(o => o.Descriptor.WorkloadMethod.Name == method && o.Parameters.DisplayInfo == c.Parameters.DisplayInfo);
}

/// <summary>A numeric column computed from the summary (so it can compare against the probes of the same run).</summary>
internal sealed class MetricColumn(string name, string legend, Func<Summary, BenchmarkCase, double> value, string format) : IColumn
{
    public string Id => "SbeKernel." + name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double v = value(summary, benchmarkCase);
        return double.IsFinite(v) ? v.ToString(format) : "-";
    }

    public override string ToString() => ColumnName;

    public static IEnumerable<IColumn> All()
    {
        yield return new MetricColumn("GFLOP/s" + KernelMetrics.Suffix, "Floating-point operations per second from the median (an FMA counts 2)",
            (s, c) => KernelMetrics.Work(c).Flops / KernelMetrics.Median(s, c), "F1");
        yield return new MetricColumn("GB/s" + KernelMetrics.Suffix, "Bytes of W moved per second from the median (read once; Ger/RankK/scale read and write)",
            (s, c) => KernelMetrics.Work(c).Bytes is > 0 and var b ? b / KernelMetrics.Median(s, c) : double.NaN, "F1");
        yield return new MetricColumn("xProbe" + KernelMetrics.Suffix, "Median time over the probe's median on the same bytes: Gemv/GemvT vs Probe_Stream (read W once), Ger/RankK vs Probe_Scale (read+write W once)",
            (s, c) => KernelMetrics.Kernel(c) switch
            {
                "Gemv" or "GemvT" => Ratio(s, c, "Probe_Stream"),
                "Ger" or "RankK1" or "RankK2" or "RankK3" or "RankK4" => Ratio(s, c, "Probe_Scale"),
                _ => double.NaN,
            }, "F2");
        yield return new MetricColumn("%FmaPeak" + KernelMetrics.Suffix, "GFLOP/s as a percentage of Probe_Fma (16 Vector512 FMA chains on registers) in the same run",
            (s, c) => KernelMetrics.Kernel(c) is "BatchRead64" or "BatchReadT64" && KernelMetrics.Sibling(s, c, "Probe_Fma") is { } p
                ? 100 * (KernelMetrics.Work(c).Flops / KernelMetrics.Median(s, c)) / (KernelMetrics.Work(p).Flops / KernelMetrics.Median(s, p))
                : double.NaN, "F0");
        yield return new MetricColumn("SpeedupVsLoop" + KernelMetrics.Suffix, "Batched read speed-up over 64 single public Gemv (GemvT) calls on the same data",
            (s, c) => KernelMetrics.Kernel(c) switch
            {
                "BatchRead64" => InverseRatio(s, c, "BatchRead64_GemvLoop"),
                "BatchReadT64" => InverseRatio(s, c, "BatchReadT64_GemvTLoop"),
                _ => double.NaN,
            }, "F2");
    }

    private static double Ratio(Summary s, BenchmarkCase c, string probe) =>
        KernelMetrics.Sibling(s, c, probe) is { } p ? KernelMetrics.Median(s, c) / KernelMetrics.Median(s, p) : double.NaN;

    private static double InverseRatio(Summary s, BenchmarkCase c, string baseline) =>
        KernelMetrics.Sibling(s, c, baseline) is { } b ? KernelMetrics.Median(s, b) / KernelMetrics.Median(s, c) : double.NaN;
}

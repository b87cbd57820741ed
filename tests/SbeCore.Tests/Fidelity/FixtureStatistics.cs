namespace SbeCore.Tests.Fidelity;

/// <summary>
/// Compares a sample of SbeCore values with the statistics aihwkit recorded (count, mean, std, quantiles): see
/// VariationFidelityTests for the criteria. Z = 4.5 standard errors per comparison (Bonferroni over the few thousand
/// comparisons the fidelity suite makes).
/// </summary>
internal static class FixtureStatistics
{
    public const double Z = 4.5;

    public static void AssertSameDistribution(string label, System.Text.Json.JsonElement stats, double[] ours)
    {
        Array.Sort(ours);
        double n = stats.GetProperty("count").GetDouble(), m = ours.Length;
        double mean = stats.GetProperty("mean").GetDouble(), std = stats.GetProperty("std").GetDouble();
        double ourMean = ours.Average(), ourStd = Math.Sqrt(ours.Sum(v => (v - ourMean) * (v - ourMean)) / (m - 1));
        if (std == 0 || ourStd == 0)
        {
            // A parameter without spread must be the same constant, to float rounding.
            Assert.True(Math.Abs(ourMean - mean) <= 1e-6 * Math.Max(1e-12, Math.Abs(mean)) && ourStd == std,
                $"{label} aihwkit {mean:G9} +- {std:G3}, SbeCore {ourMean:G9} +- {ourStd:G3}");
            return;
        }
        double meanSe = Math.Sqrt(std * std / n + ourStd * ourStd / m);
        Assert.True(Math.Abs(ourMean - mean) <= Z * meanSe,
            $"{label} mean aihwkit {mean:G6}, SbeCore {ourMean:G6} ({Z} SE = {Z * meanSe:G3})");
        double kurtosis = ours.Sum(v => Math.Pow((v - ourMean) / ourStd, 4)) / m - 3;
        if (kurtosis <= 3)
        {
            double stdSe = Math.Sqrt(std * std / (2 * n) + ourStd * ourStd / (2 * m));
            Assert.True(Math.Abs(ourStd - std) <= Z * stdSe,
                $"{label} std aihwkit {std:G6}, SbeCore {ourStd:G6} ({Z} SE = {Z * stdSe:G3})");
        }
        foreach (var q in stats.GetProperty("quantiles").EnumerateObject())
        {
            double level = double.Parse(q.Name, System.Globalization.CultureInfo.InvariantCulture), value = q.Value.GetDouble();
            double below = LowerCount(ours, value), equal = LowerCount(ours, Math.BitIncrement(value)) - below;
            double cdf = (below + equal / 2) / m;
            double se = Math.Sqrt(level * (1 - level) * (1 / n + 1 / m));
            Assert.True(Math.Abs(cdf - level) <= Z * se + equal / (2 * m),
                $"{label} aihwkit's {level:P0} quantile {value:G6} is SbeCore's {cdf:P2} quantile ({Z} SE = {Z * se:P2})");
        }
    }

    // Number of sorted values strictly below v.
    private static int LowerCount(double[] sorted, double v)
    {
        int i = Array.BinarySearch(sorted, v);
        if (i < 0) return ~i;
        while (i > 0 && sorted[i - 1] == v) i--;
        return i;
    }
}

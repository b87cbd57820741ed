using SbeCore.Crossbar;

namespace SbeCore.Tests.Fidelity;

// The expected weight change of one stochastic pulsed rank-1 write against aihwkit's (update_stats.json: an 8 x 12
// tile, zero variation, the same x, d and learning rate, k = lr max|x| max|d| / granularity in {0.3, 1, 3, 10} x BL,
// all four update-management settings, 4,000 writes from w = 0 per case). Per case: the regression slope of the
// mean dW on -lr d x^T agrees with aihwkit's within Z combined standard errors, and so does every element's mean dW.
// 80 cases x 97 comparisons: Z = 4.5 (Bonferroni over about 8,000 comparisons, correlated within a case: a chance
// failure anywhere has probability of a few per cent at most). The slopes are what the physics issue measured:
// saturated update management delivers 0.146 of the requested change at k = 10 (0.203 with equal clipping).
public class UpdateFidelityTests
{
    private const string File = "update_stats.json";
    private const int Rows = 8, Cols = 12, Repetitions = 4000;

    public static IEnumerable<object[]> Cases() => AihwkitDevices.CaseNames(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MeanWeightChangeIsAihwkits(string name)
    {
        float[] x = AihwkitDevices.Floats(AihwkitDevices.Root(File, "x")), d = AihwkitDevices.Floats(AihwkitDevices.Root(File, "d"));
        var c = AihwkitDevices.Case(File, name);
        var device = AihwkitDevices.Device(c.GetProperty("device").GetString()!, c.GetProperty("params"));
        Assert.Equal(c.GetProperty("granularity").GetSingle(), device.WeightGranularity);
        float lr = c.GetProperty("learning_rate").GetSingle();
        var tile = new CrossbarTile(Rows, Cols, new TileConfig { Device = device, Update = AihwkitDevices.Update(c.GetProperty("update")) }, 21);

        var sum = new double[Rows * Cols];
        var sumSq = new double[Rows * Cols];
        var zero = new float[Rows * Cols];
        for (int r = 0; r < Repetitions; r++)
        {
            tile.SetWeights(zero);
            tile.Update(lr, d, x);
            for (int k = 0; k < sum.Length; k++) { double w = tile.Weights[k]; sum[k] += w; sumSq[k] += w * w; }
        }
        var theirMean = AihwkitFixtures.Doubles(c.GetProperty("mean_dW"));
        var theirStd = AihwkitFixtures.Doubles(c.GetProperty("std_dW"));

        double gg = 0, ourProj = 0, ourVar = 0;
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++)
            {
                int k = i * Cols + j;
                double g = -(double)lr * d[i] * x[j];
                double m = sum[k] / Repetitions, s2 = Math.Max(0, sumSq[k] / Repetitions - m * m) * Repetitions / (Repetitions - 1);
                gg += g * g; ourProj += m * g; ourVar += g * g * s2 / Repetitions;
                double se = Math.Sqrt(s2 / Repetitions + theirStd[k] * theirStd[k] / Repetitions);
                // Plus float rounding: aihwkit adds up to BL (31) steps one by one, SbeCore's ConstantStep one n-fold step.
                double tolerance = Z * se + 64 * 1.2e-7 * Math.Abs(theirMean[k]);
                Assert.True(Math.Abs(m - theirMean[k]) <= tolerance,
                    $"{name}: E[dW] at ({i},{j}) aihwkit {theirMean[k]:G6}, SbeCore {m:G6} ({Z} SE = {tolerance:G3})");
            }
        double slope = ourProj / gg, slopeSe = Math.Sqrt(ourVar) / gg;
        double theirSlope = c.GetProperty("slope").GetDouble(), theirSe = c.GetProperty("slope_se").GetDouble();
        double combined = Math.Sqrt(slopeSe * slopeSe + theirSe * theirSe);
        Assert.True(Math.Abs(slope - theirSlope) <= Z * combined + 1e-9,
            $"{name}: slope of E[dW] on -lr d x^T aihwkit {theirSlope:G6}, SbeCore {slope:G6} ({Z} SE = {Z * combined:G3})");
    }

    private const double Z = FixtureStatistics.Z;
}

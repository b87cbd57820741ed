using SbeCore.Crossbar;

namespace SbeCore.Tests.Fidelity;

// The expected weight change of one stochastic pulsed rank-1 write against aihwkit's (update_stats.json: an 8 x 12
// tile, zero variation, the same x, d and learning rate, k = lr max|x| max|d| / granularity in {0.3, 1, 3, 10} x BL,
// all four update-management settings, 20,000 aihwkit writes and 4,000 here from w = 0 per case). Per case: the
// regression slope of the mean dW on -lr d x^T agrees with aihwkit's within Z combined standard errors, and so does
// every element's mean dW. The slope's standard error comes from the per-write slopes on both sides: the devices of
// one write share their row and column pulse trains, so an error summed over devices as if they were independent
// understates it 2-3x (with it the check failed on 1-16 of 80 cases at 11 of 12 tile seeds, main included).
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

        var g = new double[Rows * Cols];
        double gg = 0;
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++) { g[i * Cols + j] = -(double)lr * d[i] * x[j]; gg += g[i * Cols + j] * g[i * Cols + j]; }
        var sum = new double[Rows * Cols];
        var sumSq = new double[Rows * Cols];
        var zero = new float[Rows * Cols];
        double slopeSum = 0, slopeSumSq = 0;
        for (int r = 0; r < Repetitions; r++)
        {
            tile.SetWeights(zero);
            tile.Update(lr, d, x);
            double proj = 0;
            for (int k = 0; k < sum.Length; k++) { double w = tile.Weights[k]; sum[k] += w; sumSq[k] += w * w; proj += w * g[k]; }
            slopeSum += proj / gg; slopeSumSq += (proj / gg) * (proj / gg);
        }
        var theirMean = AihwkitFixtures.Doubles(c.GetProperty("mean_dW"));
        var theirStd = AihwkitFixtures.Doubles(c.GetProperty("std_dW"));
        int theirRepetitions = c.GetProperty("repetitions").GetInt32();

        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++)
            {
                int k = i * Cols + j;
                double m = sum[k] / Repetitions, s2 = Math.Max(0, sumSq[k] / Repetitions - m * m) * Repetitions / (Repetitions - 1);
                // Pooled variance (the two samples share it if the physics agree): an element that rarely gets a pulse
                // (d_i x_j near 0) may see a handful of events in 4,000 writes, and its own sample variance then
                // understates the error of its mean.
                double pooled = ((Repetitions - 1) * s2 + (theirRepetitions - 1) * theirStd[k] * theirStd[k]) / (Repetitions + theirRepetitions - 2);
                double se = Math.Sqrt(pooled * (1.0 / Repetitions + 1.0 / theirRepetitions));
                // Plus float rounding: aihwkit adds up to BL (31) steps one by one, SbeCore's ConstantStep one n-fold step.
                double tolerance = Z * se + 64 * 1.2e-7 * Math.Abs(theirMean[k]);
                Assert.True(Math.Abs(m - theirMean[k]) <= tolerance,
                    $"{name}: E[dW] at ({i},{j}) aihwkit {theirMean[k]:G6}, SbeCore {m:G6} ({Z} SE = {tolerance:G3})");
            }
        double slope = slopeSum / Repetitions;
        double slopeSe = Math.Sqrt(Math.Max(0, slopeSumSq / Repetitions - slope * slope) / (Repetitions - 1));
        double theirSlope = c.GetProperty("slope").GetDouble(), theirSe = c.GetProperty("slope_se_writes").GetDouble();
        double combined = Math.Sqrt(slopeSe * slopeSe + theirSe * theirSe);
        Assert.True(Math.Abs(slope - theirSlope) <= Z * combined + 1e-9,
            $"{name}: slope of E[dW] on -lr d x^T aihwkit {theirSlope:G6}, SbeCore {slope:G6} ({Z} SE = {Z * combined:G3})");
    }

    private const double Z = FixtureStatistics.Z;
}

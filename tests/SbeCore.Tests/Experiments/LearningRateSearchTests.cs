using SbeCore.Experiments;
using SbeCore.Updates;

namespace SbeCore.Tests.Experiments;

public class LearningRateSearchTests
{
    // A bowl in log10(lr) with its minimum at lr = 10^center.
    private static Func<float, double> Bowl(double center, List<float> calls)
        => lr => { calls.Add(lr); double d = Math.Log10(lr) - center; return 1 + d * d; };

    [Fact]
    public void FindsTheMinimumWithinAQuarterStepAndProbesEachRateOnce()
    {
        var calls = new List<float>();
        var (best, probes) = new LearningRateSearch { Min = 1e-3, Max = 1, StepDecades = 0.5 }.Run(Bowl(Math.Log10(0.05), calls));
        Assert.InRange(Math.Log10(best.LearningRate), Math.Log10(0.05) - 0.125 / 2 - 1e-6, Math.Log10(0.05) + 0.125 / 2 + 1e-6);
        Assert.Equal(calls.Count, calls.Distinct().Count());
        Assert.Equal(calls, probes.Select(p => p.LearningRate));
        Assert.Equal(7 + 4, calls.Count); // 7 coarse points, 2 per refinement round
    }

    [Fact]
    public void ExtendsTheGridWhenTheBestIsOnAnEdge()
    {
        var calls = new List<float>();
        var (best, _) = new LearningRateSearch { Min = 1e-3, Max = 1e-1, StepDecades = 0.5, MaxEdgeExtensions = 2 }.Run(Bowl(0, calls));
        Assert.InRange(best.LearningRate, 0.9f, 1.1f);
        Assert.Contains(calls, lr => lr > 0.9f && lr < 1.1f);
    }

    [Fact]
    public void DivergentProbesRankLast()
    {
        // Everything above 0.02 blows up; the best is the largest stable rate.
        var (best, probes) = new LearningRateSearch { Min = 1e-3, Max = 1 }.Run(lr => lr > 0.02f ? double.NaN : 1.0 / lr);
        Assert.True(best.LearningRate <= 0.02f);
        Assert.True(best.LearningRate > 0.01f);
        Assert.Contains(probes, p => double.IsPositiveInfinity(p.Loss));
    }

    [Fact]
    public void BadRangesThrow()
    {
        Assert.Throws<ArgumentException>(() => new LearningRateSearch { Min = 0 }.Run(_ => 1));
        Assert.Throws<ArgumentException>(() => new LearningRateSearch { Min = 1, Max = 0.5 }.Run(_ => 1));
        Assert.Throws<ArgumentException>(() => new LearningRateSearch { StepDecades = 0 }.Run(_ => 1));
    }

    [Fact]
    public void TunerCachesItsResultAndNeverSearchesTheSameKeyTwice()
    {
        string dir = TinyExperiment.TempDir();
        try
        {
            var search = new LearningRateSearch { Min = 0.01, Max = 1, StepDecades = 1, RefineRounds = 1 };
            var cell = new SweepCell(UpdateMethod.MiniBatch, 1, 16, "ideal", 5);
            int probes = 0;
            var tuner = new LearningRateTuner(new TuneCache(dir), TinyExperiment.Settings, TinyExperiment.Data, epochs: 1, search);
            var entry = tuner.Tune(cell, _ => probes++);
            Assert.Equal(probes, entry.Probes.Count);
            Assert.True(probes >= 5);
            Assert.Equal(entry.Probes.Min(p => p.Loss), entry.Loss);

            // A new tuner over the same folder (another process, another shard) reuses it; other seeds share it.
            int again = 0;
            var reused = new LearningRateTuner(new TuneCache(dir), TinyExperiment.Settings, TinyExperiment.Data, epochs: 1, search)
                .Tune(cell with { Seed = 99 }, _ => again++);
            Assert.Equal(0, again);
            Assert.Equal(entry.LearningRate, reused.LearningRate);
            // A different batch size is a different key.
            Assert.Null(tuner.TryCached(cell with { BatchSize = 4 }));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

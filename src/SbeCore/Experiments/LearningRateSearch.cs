namespace SbeCore.Experiments;

/// <summary>One probe of a learning-rate search.</summary>
public sealed record LearningRateProbe(float LearningRate, double Loss);

/// <summary>
/// The paper's tuning procedure as a pure search over an objective (training loss after a fixed number of epochs):
/// a log grid from <see cref="Min"/> to <see cref="Max"/> in steps of <see cref="StepDecades"/> decades, extended by up
/// to <see cref="MaxEdgeExtensions"/> steps while the best sits on an edge, then two refinements around the best at half
/// and a quarter of the step. Non-finite losses (divergence) rank last. Ties keep the smaller learning rate.
/// </summary>
public sealed class LearningRateSearch
{
    /// <summary>Smallest learning rate of the coarse grid (> 0).</summary>
    public double Min { get; init; } = 1e-3;
    /// <summary>Largest learning rate of the coarse grid (>= <see cref="Min"/>).</summary>
    public double Max { get; init; } = 3.2;
    /// <summary>Coarse grid spacing in decades (0.5 = factor sqrt(10)).</summary>
    public double StepDecades { get; init; } = 0.5;
    /// <summary>Extra coarse steps allowed beyond an edge when the best is on it.</summary>
    public int MaxEdgeExtensions { get; init; } = 2;
    /// <summary>Refinement rounds (each halves the spacing around the current best).</summary>
    public int RefineRounds { get; init; } = 2;

    /// <summary>Runs the search; <paramref name="objective"/> is called once per distinct learning rate, in order.</summary>
    /// <returns>The best probe and every probe made (in call order).</returns>
    /// <exception cref="ArgumentException">Invalid range or spacing.</exception>
    public (LearningRateProbe Best, IReadOnlyList<LearningRateProbe> Probes) Run(Func<float, double> objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (!(Min > 0) || !double.IsFinite(Max) || Max < Min) throw new ArgumentException($"need 0 < Min <= Max, got Min {Min}, Max {Max}.", nameof(Min));
        if (!(StepDecades > 0) || !double.IsFinite(StepDecades)) throw new ArgumentException($"StepDecades must be > 0, got {StepDecades}.", nameof(StepDecades));
        if (MaxEdgeExtensions < 0 || RefineRounds < 0) throw new ArgumentException("MaxEdgeExtensions and RefineRounds must be >= 0.", nameof(MaxEdgeExtensions));

        var probes = new List<LearningRateProbe>();
        var cache = new Dictionary<float, double>();
        double Probe(double logLr)
        {
            float lr = (float)Math.Pow(10, logLr);
            if (cache.TryGetValue(lr, out double known)) return known;
            double loss = objective(lr);
            if (!double.IsFinite(loss)) loss = double.PositiveInfinity;
            cache[lr] = loss;
            probes.Add(new LearningRateProbe(lr, loss));
            return loss;
        }

        double lo = Math.Log10(Min), hi = Math.Log10(Max), step = StepDecades;
        int count = (int)Math.Floor((hi - lo) / step + 1e-9) + 1;
        var grid = new List<double>();
        for (int i = 0; i < count; i++) grid.Add(lo + i * step);
        foreach (double g in grid) Probe(g);
        double best = ArgBest(grid, Probe);
        for (int e = 0; e < MaxEdgeExtensions; e++)
        {
            if (best == grid[0]) grid.Insert(0, grid[0] - step);
            else if (best == grid[^1]) grid.Add(grid[^1] + step);
            else break;
            Probe(best == grid[1] ? grid[0] : grid[^1]);
            best = ArgBest(grid, Probe);
        }
        double spacing = step;
        for (int r = 0; r < RefineRounds; r++)
        {
            spacing /= 2;
            best = ArgBest([best - spacing, best, best + spacing], Probe);
        }
        float bestLr = (float)Math.Pow(10, best);
        return (new LearningRateProbe(bestLr, cache[bestLr]), probes);
    }

    // Lowest loss; ties (and all-infinite) keep the smallest learning rate, the safe side.
    private static double ArgBest(IReadOnlyList<double> logs, Func<double, double> probe)
    {
        double best = logs[0], bestLoss = probe(logs[0]);
        foreach (double g in logs.OrderBy(v => v))
        {
            double loss = probe(g);
            if (loss < bestLoss || (loss == bestLoss && g < best)) { best = g; bestLoss = loss; }
        }
        return best;
    }
}

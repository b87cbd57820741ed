namespace SbeCore.Eigen;

/// <summary>Exact top-k singular triplets of a batch-mean gradient without forming the a*b matrix (docs/method.md section 4).</summary>
public static class BatchSvd
{
    private const int CacheSize = 4;
    [ThreadStatic] private static BatchSvdSolver?[]? s_solvers;
    [ThreadStatic] private static long[]? s_lastUse;
    [ThreadStatic] private static long s_clock;

    /// <summary>
    /// Top k = s.Length singular triplets of M = (1/n) sum_j delta_j x_j^T; deltas n x rows, inputs n x cols.
    /// Writes s (descending, >= 0), d (k x rows, unit rows) and x (k x cols, unit rows).
    /// Reuses a per-thread <see cref="BatchSvdSolver"/> for each of the four most recently used shapes, so repeated calls
    /// (e.g. one per layer and batch) allocate nothing in steady state. A convenience for callers outside the library:
    /// the library's rules and diagnostics own their solvers.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths, n &lt; 1, k outside 1..min(rows, cols), NaN/Inf.</exception>
    public static void TopK(ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, int rows, int cols,
        Span<float> s, Span<float> d, Span<float> x)
        => SolverFor(rows, cols).TopK(deltas, inputs, n, s, d, x);

    private static BatchSvdSolver SolverFor(int rows, int cols)
    {
        var cache = s_solvers ??= new BatchSvdSolver?[CacheSize];
        var lastUse = s_lastUse ??= new long[CacheSize];
        long now = ++s_clock;
        int victim = 0;
        for (int i = 0; i < CacheSize; i++)
        {
            var solver = cache[i];
            if (solver is not null && solver.Rows == rows && solver.Cols == cols) { lastUse[i] = now; return solver; }
            if (lastUse[i] < lastUse[victim]) victim = i; // least recently used (empty slots have 0)
        }
        var created = new BatchSvdSolver(rows, cols); // validates rows and cols
        cache[victim] = created;
        lastUse[victim] = now;
        return created;
    }

    /// <summary>An owner's solver for one of its layers (created on first use; the library's own callers keep their
    /// solvers this way rather than in the per-thread cache above).</summary>
    internal static BatchSvdSolver Solver(Dictionary<int, BatchSvdSolver> solvers, int layer, int rows, int cols)
    {
        if (!solvers.TryGetValue(layer, out var solver) || solver.Rows != rows || solver.Cols != cols)
            solvers[layer] = solver = new BatchSvdSolver(rows, cols);
        return solver;
    }
}

using System.Runtime.InteropServices;
using SbeCore.Eigen;

namespace SbeCore.Native;

// Estimator exports: the streaming top-k estimate of a batch-mean gradient. Not thread-safe per handle.
internal static unsafe partial class Exports
{
    /// <summary>sbe_estimator_create: builds an estimator from a config struct; *out receives the handle (NULL on failure).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_estimator_create")]
    public static int EstimatorCreate(EstimatorConfigV1* config, nint* outEstimator)
    {
        try
        {
            Args.NotNull(outEstimator, "out");
            *outEstimator = 0;
            StructHeader.Check(config, EstimatorConfigV1.CurrentVersion, "config");
            Args.Dim(config->Rows, "config->rows");
            Args.Dim(config->Cols, "config->cols");
            Args.Dim(config->Rank, "config->rank");
            Args.Dim(config->SubBatch, "config->sub_batch");
            *outEstimator = Estimators.Add(new SbeEstimator((int)config->Rows, (int)config->Cols, EstimatorOptionsFrom(config), config->Seed));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    // Every field is range-checked here (enums included) so a bad struct is rejected with a precise message.
    private static EstimatorOptions EstimatorOptionsFrom(EstimatorConfigV1* config)
    {
        int rows = (int)config->Rows, cols = (int)config->Cols, rank = (int)config->Rank;
        if (rank > Math.Min(rows, cols))
            throw new SbeException(SbeStatus.InvalidArgument, $"config->rank is {rank}; it must be at most min(rows, cols) = {Math.Min(rows, cols)}.");
        Args.Product(rank, rows + cols, "the estimator state");
        if (config->Initialization > (uint)InitialState.FirstSample)
            throw new SbeException(SbeStatus.InvalidArgument, $"config->initialization is {config->Initialization}; valid values are 0 (gaussian) and 1 (first sample).");
        if (config->Magnitude > (uint)MagnitudeEstimate.Rayleigh)
            throw new SbeException(SbeStatus.InvalidArgument, $"config->magnitude is {config->Magnitude}; valid values are 0 (running mean), 1 (right norm) and 2 (Rayleigh).");
        if (config->DivisionFree > 1)
            throw new SbeException(SbeStatus.InvalidArgument, $"config->division_free is {config->DivisionFree}; it must be 0 or 1.");
        if (config->StochasticRounding > 1)
            throw new SbeException(SbeStatus.InvalidArgument, $"config->stochastic_rounding is {config->StochasticRounding}; it must be 0 (round to nearest) or 1 (stochastic).");
        if (config->StochasticRounding == 1 && config->QuantizationBits == 0)
            throw new SbeException(SbeStatus.InvalidArgument, "config->stochastic_rounding is 1 but config->quantization_bits is 0; stochastic rounding applies to the quantised state only (set quantization_bits to 2..24).");
        Args.Finite(config->OjaRate, "config->oja_rate");
        var defaults = new EstimatorOptions();
        var options = new EstimatorOptions
        {
            Rank = rank,
            SubBatch = (int)config->SubBatch,
            Initialization = (InitialState)config->Initialization,
            Magnitude = (MagnitudeEstimate)config->Magnitude,
            DivisionFree = config->DivisionFree == 1,
            QuantizationBits = (int)Math.Min(config->QuantizationBits, int.MaxValue),
            OjaRate = config->OjaRate == 0 ? defaults.OjaRate : config->OjaRate,
            StochasticRounding = config->StochasticRounding == 1,
        };
        options.Validate(rows, cols);
        return options;
    }

    /// <summary>sbe_estimator_destroy: frees the estimator; NULL is a no-op.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_estimator_destroy")]
    public static int EstimatorDestroy(nint estimator)
    {
        try { Estimators.Remove(estimator, "estimator"); return 0; }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_estimator_observe: feeds one sample (delta: rows, x: cols).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_estimator_observe")]
    public static int EstimatorObserve(nint estimator, float* delta, nuint deltaLen, float* x, nuint xLen)
    {
        try
        {
            using var lease = Estimators.Use(estimator, "estimator", out var e);
            Args.Length(deltaLen, e.Rows, "delta_len", "rows");
            Args.Length(xLen, e.Cols, "x_len", "cols");
            var ds = Args.In(delta, e.Rows, "delta");
            var xs = Args.In(x, e.Cols, "x");
            Args.Finite(ds, "delta");
            Args.Finite(xs, "x");
            e.Observe(ds, xs);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_estimator_observe_batch: feeds n samples (deltas: n x rows, xs: n x cols, row-major).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_estimator_observe_batch")]
    public static int EstimatorObserveBatch(nint estimator, float* deltas, nuint deltasLen, float* xs, nuint xsLen, nuint n)
    {
        try
        {
            using var lease = Estimators.Use(estimator, "estimator", out var e);
            int count = Args.Dim(n, "n");
            int dCount = Args.Product(count, e.Rows, "deltas"), xCount = Args.Product(count, e.Cols, "xs");
            Args.Length(deltasLen, dCount, "deltas_len", "n * rows");
            Args.Length(xsLen, xCount, "xs_len", "n * cols");
            var ds = Args.In(deltas, dCount, "deltas");
            var xv = Args.In(xs, xCount, "xs");
            // Checked for the whole batch first: a NaN in sample 50 must not leave samples 0..49 applied.
            Args.Finite(ds, "deltas");
            Args.Finite(xv, "xs");
            e.ObserveBatch(ds, xv, count);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_estimator_estimate: closes the batch and writes s (k), d (k x rows), x (k x cols); the state is the next batch's warm start.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_estimator_estimate")]
    public static int EstimatorEstimate(nint estimator, float* s, nuint sLen, float* d, nuint dLen, float* x, nuint xLen)
    {
        try
        {
            using var lease = Estimators.Use(estimator, "estimator", out var e);
            int k = e.Rank;
            Args.Length(sLen, k, "s_len", "rank");
            Args.Length(dLen, (long)k * e.Rows, "d_len", "rank * rows");
            Args.Length(xLen, (long)k * e.Cols, "x_len", "rank * cols");
            var ss = Args.Out(s, k, "s");
            var ds = Args.Out(d, k * e.Rows, "d");
            var xs = Args.Out(x, k * e.Cols, "x");
            e.Estimate(ss, ds, xs);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_estimator_replay_magnitudes: second pass for SBE_MAGNITUDE_RAYLEIGH, s_c = d_c^T M x_c over the same batch
    /// with the directions of the last estimate; the state is not changed.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_estimator_replay_magnitudes")]
    public static int EstimatorReplayMagnitudes(nint estimator, float* deltas, nuint deltasLen, float* xs, nuint xsLen, nuint n, float* s, nuint sLen)
    {
        try
        {
            using var lease = Estimators.Use(estimator, "estimator", out var e);
            int count = Args.Dim(n, "n");
            int dCount = Args.Product(count, e.Rows, "deltas"), xCount = Args.Product(count, e.Cols, "xs");
            Args.Length(deltasLen, dCount, "deltas_len", "n * rows");
            Args.Length(xsLen, xCount, "xs_len", "n * cols");
            Args.Length(sLen, e.Rank, "s_len", "rank");
            var ds = Args.In(deltas, dCount, "deltas");
            var xv = Args.In(xs, xCount, "xs");
            var ss = Args.Out(s, e.Rank, "s");
            Args.Finite(ds, "deltas");
            Args.Finite(xv, "xs");
            e.ReplayMagnitudes(ds, xv, count, ss);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_batch_svd: exact top-k singular triplets of M = (1/n) sum_j delta_j x_j^T without forming M (k = s_len).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_batch_svd")]
    public static int BatchSvdTopK(float* deltas, nuint deltasLen, float* xs, nuint xsLen, nuint n, nuint rows, nuint cols,
        float* s, nuint k, float* d, nuint dLen, float* x, nuint xLen)
    {
        try
        {
            int count = Args.Dim(n, "n"), r = Args.Dim(rows, "rows"), c = Args.Dim(cols, "cols"), rank = Args.Dim(k, "k");
            if (rank > Math.Min(r, c)) throw new SbeException(SbeStatus.InvalidArgument, $"k is {rank}; it must be at most min(rows, cols) = {Math.Min(r, c)}.");
            int dCount = Args.Product(count, r, "deltas"), xCount = Args.Product(count, c, "xs");
            Args.Length(deltasLen, dCount, "deltas_len", "n * rows");
            Args.Length(xsLen, xCount, "xs_len", "n * cols");
            Args.Length(dLen, (long)rank * r, "d_len", "k * rows");
            Args.Length(xLen, (long)rank * c, "x_len", "k * cols");
            var ds = Args.In(deltas, dCount, "deltas");
            var xv = Args.In(xs, xCount, "xs");
            Args.Finite(ds, "deltas");
            Args.Finite(xv, "xs");
            BatchSvd.TopK(ds, xv, count, r, c, Args.Out(s, rank, "s"), Args.Out(d, rank * r, "d"), Args.Out(x, rank * c, "x"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_estimator_reset: back to the initial state drawn from the seed.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_estimator_reset")]
    public static int EstimatorReset(nint estimator)
    {
        try { using var lease = Estimators.Use(estimator, "estimator", out var e); e.Reset(); return 0; }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_estimator_shape: rows, cols and rank.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_estimator_shape")]
    public static int EstimatorShape(nint estimator, nuint* rows, nuint* cols, nuint* rank)
    {
        try
        {
            using var lease = Estimators.Use(estimator, "estimator", out var e);
            Args.NotNull(rows, "rows");
            Args.NotNull(cols, "cols");
            Args.NotNull(rank, "rank");
            *rows = (nuint)e.Rows; *cols = (nuint)e.Cols; *rank = (nuint)e.Rank;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }
}

namespace SbeCore.Eigen;

/// <summary>Estimator options (docs/estimator.md). A record: derive variants with <c>with</c>
/// (<c>options with { Rank = 4 }</c>) so that no option is dropped by a hand-written copy.</summary>
public sealed record EstimatorOptions
{
    /// <summary>k, number of singular triplets.</summary>
    public int Rank { get; init; } = 1;
    /// <summary>m, samples per bi-iteration step for rank k (1 = fully streaming).</summary>
    public int SubBatch { get; init; } = 1;

    /// <summary>Use the paper's division-free (Oja/Hebbian) form with rate <see cref="OjaRate"/> instead of running means.
    /// Supported for Rank = 1 and SubBatch = 1 only.</summary>
    public bool DivisionFree { get; init; }

    /// <summary>xi, the constant rate of the division-free form (0 &lt; xi &lt; 1).</summary>
    public float OjaRate { get; init; } = 0.01f;

    /// <summary>Bits for the stored vectors and scalars (0 = full float32; otherwise 2..24). Vectors use per-vector
    /// max-abs scaling onto 2^(bits-1)-1 signed levels; scalars keep <c>bits</c> significant bits.</summary>
    public int QuantizationBits { get; init; }

    /// <summary>With quantisation on: round stochastically (from the estimator's seeded generator) instead of to nearest.
    /// Round-to-nearest stalls a running mean once its 1/(j+1) increments drop below one step.</summary>
    public bool StochasticRounding { get; init; }

    /// <summary>How <see cref="SbeEstimator.Estimate"/> reports the singular values.</summary>
    public MagnitudeEstimate Magnitude { get; init; } = MagnitudeEstimate.RunningMean;

    /// <summary>How the state is initialised at construction and <see cref="SbeEstimator.Reset"/>.</summary>
    public InitialState Initialization { get; init; } = InitialState.Gaussian;

    /// <summary>Carry the estimator's state from one batch to the next (the paper's warm start, default). When false, the
    /// SBE update rule resets the estimator after every batch, so each batch is estimated from
    /// <see cref="Initialization"/> alone (an experiment knob: it isolates what the warm start contributes).</summary>
    public bool WarmStart { get; init; } = true;

    /// <summary>Cap on the floats of state, k (a + b), and of sub-batch buffer, m (a + b): sizes are checked in 64-bit
    /// arithmetic against it here, at creation, so no later product can overflow or allocate without bound.</summary>
    public const long MaxBufferFloats = 1L << 26;

    /// <summary>Throws an <see cref="ArgumentException"/> if the options cannot be used for a rows x cols gradient.</summary>
    public void Validate(int rows, int cols)
    {
        if (rows < 1) throw new ArgumentException($"rows must be >= 1 (got {rows}).", nameof(rows));
        if (cols < 1) throw new ArgumentException($"cols must be >= 1 (got {cols}).", nameof(cols));
        if (Rank < 1 || Rank > Math.Min(rows, cols))
            throw new ArgumentException($"Rank must be in 1..min(rows, cols) = 1..{Math.Min(rows, cols)} (got {Rank}).", nameof(Rank));
        if (SubBatch < 1) throw new ArgumentException($"SubBatch must be >= 1 (got {SubBatch}).", nameof(SubBatch));
        long perVector = (long)rows + cols;
        if (Rank * perVector > MaxBufferFloats)
            throw new ArgumentException($"Rank x (rows + cols) = {Rank} x {perVector} = {Rank * perVector} floats of state, more than {MaxBufferFloats}.", nameof(Rank));
        if (SubBatch * perVector > MaxBufferFloats)
            throw new ArgumentException($"SubBatch x (rows + cols) = {SubBatch} x {perVector} = {SubBatch * perVector} floats of sub-batch buffer, more than {MaxBufferFloats}.", nameof(SubBatch));
        if (QuantizationBits != 0 && (QuantizationBits < 2 || QuantizationBits > 24))
            throw new ArgumentException($"QuantizationBits must be 0 (off) or 2..24 (got {QuantizationBits}).", nameof(QuantizationBits));
        if (!Enum.IsDefined(Magnitude)) throw new ArgumentException($"Unknown magnitude mode {Magnitude}.", nameof(Magnitude));
        if (!Enum.IsDefined(Initialization)) throw new ArgumentException($"Unknown initial state {Initialization}.", nameof(Initialization));
        if (DivisionFree)
        {
            if (Rank != 1 || SubBatch != 1)
                throw new ArgumentException($"The division-free form supports Rank = 1 and SubBatch = 1 only (got Rank {Rank}, SubBatch {SubBatch}).", nameof(DivisionFree));
            if (!(OjaRate > 0f && OjaRate < 1f))
                throw new ArgumentException($"OjaRate must be in (0, 1) (got {OjaRate}).", nameof(OjaRate));
            if (Magnitude == MagnitudeEstimate.RightNorm)
                throw new ArgumentException("RightNorm magnitudes need the running-mean form (the division-free form keeps |X| near 1).", nameof(Magnitude));
        }
    }
}

/// <summary>Which singular-value estimate <see cref="SbeEstimator.Estimate"/> reports.</summary>
public enum MagnitudeEstimate
{
    /// <summary>The paper's running mean of the per-sample products q*r (default; biased high when the batch is mostly noise).</summary>
    RunningMean,
    /// <summary>|X_c|, the norm of the unnormalised right vector (a running mean of M^T d_c).</summary>
    RightNorm,
    /// <summary>Rayleigh quotient d_c^T M x_c from a second pass over the batch: Estimate reports the running mean and the
    /// caller replays the batch through <see cref="SbeEstimator.ReplayMagnitudes"/> (the Sbe update rule does).</summary>
    Rayleigh,
    /// <summary>Single pass: the Sbe update rule writes along the batch's start vectors (the warm start, i.e. the previous
    /// batch's estimate) with their exact Rayleigh quotients s_c = d0_c^T M x0_c, accumulated as the batch streams by;
    /// the estimator's new vectors become the next batch's start. Such a write never leaves the batch gradient further
    /// away than no write (||M - sum_c s_c d0_c x0_c^T||^2 = ||M||^2 - sum_c s_c^2); it costs a copy of the start
    /// vectors, k(a + b) floats. The estimator itself reports running means.</summary>
    StartRayleigh,
}

/// <summary>The estimator's initial X, D (s starts at 0).</summary>
public enum InitialState
{
    /// <summary>X, D drawn from N(0, I) with the seed (the paper's choice), in units of the first sample with nonzero
    /// delta and x (2^(ilogb max|delta| + ilogb max|x|)), so the estimate does not depend on the data's scale.</summary>
    Gaussian,
    /// <summary>X = x 2^ilogb(max|delta|), D = delta 2^ilogb(max|x|) of the first observed sample (extra columns for rank
    /// k stay Gaussian); a sample with a zero delta or x keeps the Gaussian draw.</summary>
    FirstSample,
}

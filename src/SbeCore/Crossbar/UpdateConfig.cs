namespace SbeCore.Crossbar;

/// <summary>aihwkit: PulseType. How a rank-1 write W -= lr d x^T is turned into device pulses.</summary>
public enum PulseType
{
    /// <summary>aihwkit: NONE. Exact float update, then clip to each device's bounds.</summary>
    None = 0,
    /// <summary>aihwkit: STOCHASTIC_COMPRESSED. Stochastic pulse trains; a coincidence is one pulse.</summary>
    StochasticCompressed = 1,
    /// <summary>aihwkit: DETERMINISTIC_IMPLICIT. round(BL p_x p_d) pulses per device, no randomness.</summary>
    DeterministicImplicit = 2,
    /// <summary>Not in aihwkit: DeterministicImplicit's coincidence count BL p_x p_d rounded stochastically (floor plus
    /// one with the fractional part's probability) instead of to nearest, so the expected pulses equal
    /// |lr d_i x_j| / dw_min (up to BL) with the least rounding noise; a count below 1/2 is not lost. Dense writes
    /// round stochastically as under StochasticCompressed.</summary>
    ImplicitStochasticRound = 3,
}

/// <summary>aihwkit: UpdateParameters. The pulsed-update settings (defaults are aihwkit's).</summary>
public sealed record UpdateConfig
{
    /// <summary>Largest pulse-train length accepted (bit masks of up to 16 words).</summary>
    public const int MaxBl = 1024;

    /// <summary>aihwkit: pulse_type.</summary>
    public PulseType PulseType { get; init; } = PulseType.StochasticCompressed;

    /// <summary>aihwkit: desired_bl. Pulse-train length (time slots per update), 1..<see cref="MaxBl"/>.</summary>
    public int DesiredBl { get; init; } = 31;

    /// <summary>aihwkit: fixed_bl. True: BL never exceeds <see cref="DesiredBl"/>. False: with
    /// <see cref="UpdateBlManagement"/> the train grows as needed (up to <see cref="MaxBl"/>) so no probability exceeds 1.</summary>
    public bool FixedBl { get; init; } = true;

    /// <summary>aihwkit: update_bl_management. BL = min(ceil(|lr| max|x| max|d| / dw_min), desired_bl), at least 1.</summary>
    public bool UpdateBlManagement { get; init; } = true;

    /// <summary>aihwkit: update_management. Rescale the row and column probabilities so the largest entries of
    /// x and d (times <see cref="UmGradScale"/>) reach the same probability.</summary>
    public bool UpdateManagement { get; init; } = true;

    /// <summary>aihwkit: um_grad_scale. Multiplies max|d| in the update-management balance.</summary>
    public float UmGradScale { get; init; } = 1f;

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending parameter.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(PulseType)) throw new ArgumentException($"PulseType (pulse_type) {(int)PulseType} is not defined.", nameof(PulseType));
        if (DesiredBl < 1 || DesiredBl > MaxBl) throw new ArgumentException($"DesiredBl (desired_bl) must be in 1..{MaxBl}, got {DesiredBl}.", nameof(DesiredBl));
        if (!(UmGradScale > 0) || !float.IsFinite(UmGradScale)) throw new ArgumentException($"UmGradScale (um_grad_scale) must be positive and finite, got {UmGradScale}.", nameof(UmGradScale));
    }
}

namespace SbeCore.Crossbar;

/// <summary>aihwkit: NoiseManagementType.</summary>
public enum NoiseManagement
{
    /// <summary>aihwkit: NONE. The input goes to the DAC unscaled.</summary>
    None = 0,
    /// <summary>aihwkit: ABS_MAX. Each input vector is divided by its largest magnitude before the DAC, the output multiplied back.</summary>
    AbsMax = 1,
}

/// <summary>aihwkit: BoundManagementType.</summary>
public enum BoundManagement
{
    /// <summary>aihwkit: NONE. Outputs beyond out_bound are clipped.</summary>
    None = 0,
    /// <summary>aihwkit: ITERATIVE. If an output clips, halve the input and read again (up to max_bm_factor).</summary>
    Iterative = 1,
}

/// <summary>
/// aihwkit: IOParameters. One read direction's peripheral non-idealities. A converter with resolution res and
/// bound b has quantisation step res (2 b): res = 1/(2^k - 2) is a k-bit converter. A value &lt;= 0 switches it off.
/// </summary>
public sealed record IOConfig
{
    /// <summary>An exact read (aihwkit: is_perfect = True): a plain matrix product.</summary>
    public static IOConfig Perfect { get; } = new() { IsPerfect = true };

    /// <summary>aihwkit: is_perfect. True: ignore every other setting, read exactly.</summary>
    public bool IsPerfect { get; init; }

    /// <summary>aihwkit: inp_res. DAC resolution (1/126: 7 bits).</summary>
    public float InpRes { get; init; } = 1f / 126f;

    /// <summary>aihwkit: inp_bound. DAC range (+-).</summary>
    public float InpBound { get; init; } = 1f;

    /// <summary>aihwkit: out_res. ADC resolution (1/510: 9 bits).</summary>
    public float OutRes { get; init; } = 1f / 510f;

    /// <summary>aihwkit: out_bound. ADC range (+-), in units of a full-scale input through unit weights.</summary>
    public float OutBound { get; init; } = 12f;

    /// <summary>aihwkit: out_noise. Std of Gaussian noise added to each output before the ADC.</summary>
    public float OutNoise { get; init; } = 0.06f;

    /// <summary>aihwkit: w_noise. Std of Gaussian weight noise per read (drawn fresh for every read; applied as
    /// its exact output-space equivalent w_noise ||x|| xi per output).</summary>
    public float WNoise { get; init; }

    /// <summary>aihwkit: noise_management.</summary>
    public NoiseManagement NoiseManagement { get; init; } = NoiseManagement.AbsMax;

    /// <summary>aihwkit: bound_management.</summary>
    public BoundManagement BoundManagement { get; init; } = BoundManagement.Iterative;

    /// <summary>aihwkit: max_bm_factor. Iterative bound management stops once the input down-scaling factor (1, 2, 4, ...)
    /// exceeds this, so the last factor tried is the first power of 2 above it (1024 for 1000).</summary>
    public float MaxBmFactor { get; init; } = 1000f;

    /// <summary>aihwkit: max_bm_res. Iterative bound management also stops once the factor exceeds max_bm_res / Δin
    /// (Δin = the DAC step inp_res · 2 inp_bound), i.e. when the scaled input would have only a few DAC levels left.
    /// Ignored without input quantisation. Default 0.25: with inp_res = 1/126 the last factor tried is 16.</summary>
    public float MaxBmRes { get; init; } = 0.25f;

    /// <summary>aihwkit: bm_test_negative_bound. True: an output clipped at -out_bound also triggers another bound
    /// management round; false: only +out_bound does.</summary>
    public bool BmTestNegativeBound { get; init; } = true;

    /// <summary>aihwkit: nm_thres. With AbsMax noise management, caps the scale max|x| at this value (0: no cap).</summary>
    public float NmThres { get; init; }

    /// <summary>aihwkit: inp_noise. Std of Gaussian noise added to each DAC output (after quantisation and clipping), in
    /// the DAC's normalised units (so it is multiplied back by the noise-management scale).</summary>
    public float InpNoise { get; init; }

    /// <summary>Not in aihwkit (default false = aihwkit). aihwkit silently turns bound management off for the backward
    /// pass (IOMetaParameter::initializeForBackward), and SbeCore does the same by default, so a backward read with this
    /// config clips at ±out_bound. True applies <see cref="BoundManagement"/> to backward reads too (SbeCore's behaviour
    /// before it was checked against aihwkit): useful to study whether ADC saturation of the error signal matters, at the
    /// cost of diverging from aihwkit.</summary>
    public bool BackwardBoundManagement { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending parameter.</summary>
    public void Validate()
    {
        if (IsPerfect) return;
        Check(!float.IsNaN(InpRes) && float.IsFinite(InpRes), InpRes, nameof(InpRes), "inp_res", "finite (<= 0 disables)");
        Check(InpBound > 0 && float.IsFinite(InpBound), InpBound, nameof(InpBound), "inp_bound", "positive and finite");
        Check(!float.IsNaN(OutRes) && float.IsFinite(OutRes), OutRes, nameof(OutRes), "out_res", "finite (<= 0 disables)");
        Check(OutBound > 0, OutBound, nameof(OutBound), "out_bound", "positive (may be infinite)");
        Check(OutNoise >= 0 && float.IsFinite(OutNoise), OutNoise, nameof(OutNoise), "out_noise", "finite and >= 0");
        Check(WNoise >= 0 && float.IsFinite(WNoise), WNoise, nameof(WNoise), "w_noise", "finite and >= 0");
        Check(MaxBmFactor >= 1 && float.IsFinite(MaxBmFactor), MaxBmFactor, nameof(MaxBmFactor), "max_bm_factor", "finite and >= 1");
        Check(MaxBmRes > 0 && float.IsFinite(MaxBmRes), MaxBmRes, nameof(MaxBmRes), "max_bm_res", "positive and finite");
        Check(NmThres >= 0 && float.IsFinite(NmThres), NmThres, nameof(NmThres), "nm_thres", "finite and >= 0 (0: no cap)");
        Check(InpNoise >= 0 && float.IsFinite(InpNoise), InpNoise, nameof(InpNoise), "inp_noise", "finite and >= 0");
        if (!Enum.IsDefined(NoiseManagement)) throw new ArgumentException($"NoiseManagement {(int)NoiseManagement} is not defined.", nameof(NoiseManagement));
        if (!Enum.IsDefined(BoundManagement)) throw new ArgumentException($"BoundManagement {(int)BoundManagement} is not defined.", nameof(BoundManagement));
    }

    private static void Check(bool ok, float value, string name, string aihwkitName, string rule)
    {
        if (!ok) throw new ArgumentException($"{name} ({aihwkitName}) must be {rule}, got {value}.", name);
    }
}

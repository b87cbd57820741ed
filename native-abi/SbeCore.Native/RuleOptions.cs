using SbeCore.Eigen;
using SbeCore.Updates;

namespace SbeCore.Native;

/// <summary>Maps sbe_rule_options_t onto a rule's <see cref="EstimatorOptions"/> and SBPCA's schedule, and back; every
/// field is range-checked so a bad struct is refused with a message naming it.</summary>
internal static unsafe class RuleOptions
{
    /// <summary>The estimator options (null: NULL options, the defaults at rank and sub-batch) and the SBPCA schedule flag.</summary>
    public static (EstimatorOptions? Estimator, bool PublishedSchedule) From(RuleOptionsV1* o, UpdateMethod method, int rank, int subBatch, string name)
    {
        if (o == null) return (null, false);
        StructHeader.Check(o, RuleOptionsV1.CurrentVersion, name);
        if (o->Initialization > (uint)InitialState.FirstSample)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}->initialization is {o->Initialization}; valid values are 0 (gaussian) and 1 (first sample).");
        if (o->Magnitude > (uint)MagnitudeEstimate.StartRayleigh)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}->magnitude is {o->Magnitude}; valid values are 0 (running mean), 1 (right norm), 2 (Rayleigh) and 3 (start Rayleigh).");
        Flag(o->DivisionFree, name, "division_free");
        Flag(o->StochasticRounding, name, "stochastic_rounding");
        Flag(o->ColdStart, name, "cold_start");
        Flag(o->PublishedSchedule, name, "published_schedule");
        Args.Finite(o->OjaRate, $"{name}->oja_rate");
        if (o->StochasticRounding == 1 && o->QuantizationBits == 0)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}->stochastic_rounding is 1 but quantization_bits is 0; stochastic rounding applies to the quantised state only.");
        var defaults = new EstimatorOptions();
        var estimator = new EstimatorOptions
        {
            Rank = rank, SubBatch = subBatch,
            Initialization = (InitialState)o->Initialization,
            Magnitude = (MagnitudeEstimate)o->Magnitude,
            DivisionFree = o->DivisionFree == 1,
            QuantizationBits = (int)Math.Min(o->QuantizationBits, int.MaxValue),
            OjaRate = o->OjaRate == 0 ? defaults.OjaRate : o->OjaRate,
            StochasticRounding = o->StochasticRounding == 1,
            WarmStart = o->ColdStart == 0,
        };
        if (method != UpdateMethod.Sbe && estimator != (defaults with { Rank = rank, SubBatch = subBatch }))
            throw new SbeException(SbeStatus.InvalidArgument, $"{name} sets estimator options, which only the sbe method reads (method is {UpdateRules.Get(method).Name}).");
        if (o->PublishedSchedule == 1 && method != UpdateMethod.Sbpca)
            throw new SbeException(SbeStatus.InvalidArgument, $"{name}->published_schedule is 1, which only the sbpca method reads (method is {UpdateRules.Get(method).Name}).");
        return (estimator, o->PublishedSchedule == 1);
    }

    /// <summary>Fills a caller's struct (header checked) from the options a network or layer was built with.</summary>
    public static void Fill(RuleOptionsV1* o, EstimatorOptions? estimator, bool publishedSchedule, string name)
    {
        StructHeader.Check(o, RuleOptionsV1.CurrentVersion, name);
        var e = estimator ?? new EstimatorOptions();
        o->Initialization = (uint)e.Initialization;
        o->Magnitude = (uint)e.Magnitude;
        o->DivisionFree = e.DivisionFree ? 1u : 0u;
        o->QuantizationBits = (uint)e.QuantizationBits;
        o->OjaRate = e.OjaRate;
        o->StochasticRounding = e.StochasticRounding ? 1u : 0u;
        o->ColdStart = e.WarmStart ? 0u : 1u;
        o->PublishedSchedule = publishedSchedule ? 1u : 0u;
    }

    private static void Flag(uint value, string name, string field)
    {
        if (value > 1) throw new SbeException(SbeStatus.InvalidArgument, $"{name}->{field} is {value}; it must be 0 or 1.");
    }
}

using System.Text.Json;
using SbeCore.Crossbar;
using SbeCore.Devices;

namespace SbeCore.Tests.Fidelity;

/// <summary>
/// Reads the device fixtures recorded from aihwkit (tests/fixtures/aihwkit, see its README) and builds the SbeCore device
/// that carries the same aihwkit parameters. A parameter SbeCore does not model, set to anything but aihwkit's
/// default, throws <see cref="NotSupportedException"/> naming it, so no case is silently misread.
/// </summary>
internal static class AihwkitDevices
{
    private static readonly Dictionary<string, JsonDocument> s_documents = new();

    /// <summary>The "cases" array of a fixture file (parsed once per test run).</summary>
    public static JsonElement Cases(string file)
    {
        lock (s_documents)
        {
            if (!s_documents.TryGetValue(file, out var document)) s_documents[file] = document = AihwkitFixtures.Load(file);
            return document.RootElement.GetProperty("cases");
        }
    }

    /// <summary>A top-level field of a fixture file.</summary>
    public static JsonElement Root(string file, string name)
    {
        Cases(file);
        lock (s_documents) return s_documents[file].RootElement.GetProperty(name);
    }

    public static JsonElement Case(string file, string name)
    {
        foreach (var c in Cases(file).EnumerateArray()) if (c.GetProperty("name").GetString() == name) return c;
        throw new KeyNotFoundException($"{file} has no case '{name}'.");
    }

    public static IEnumerable<object[]> CaseNames(string file, Func<JsonElement, bool>? where = null) =>
        Cases(file).EnumerateArray().Where(c => where is null || where(c)).Select(c => new object[] { c.GetProperty("name").GetString()! }).ToList();

    public static float[] Floats(JsonElement array) => AihwkitFixtures.Floats(array);

    // aihwkit preset classes -> the model they extend.
    private static readonly Dictionary<string, string> s_presetBase = new()
    {
        ["IdealizedPresetDevice"] = "ConstantStepDevice", ["GokmenVlasovPresetDevice"] = "ConstantStepDevice",
        ["CapacitorPresetDevice"] = "LinearStepDevice", ["EcRamPresetDevice"] = "LinearStepDevice", ["EcRamMOPresetDevice"] = "LinearStepDevice",
        ["ReRamESPresetDevice"] = "ExpStepDevice", ["PCMPresetDevice"] = "ExpStepDevice",
        ["ReRamSBPresetDevice"] = "SoftBoundsReferenceDevice", ["ReRamArrayOMPresetDevice"] = "SoftBoundsReferenceDevice",
        ["ReRamArrayHfO2PresetDevice"] = "SoftBoundsReferenceDevice",
    };

    /// <summary>True when SbeCore models this aihwkit class (PowStepReference and SoftBoundsPmax are not modelled).</summary>
    public static bool Modelled(string aihwkitClass) =>
        s_presetBase.ContainsKey(aihwkitClass) || aihwkitClass is "ConstantStepDevice" or "LinearStepDevice" or "SoftBoundsDevice"
            or "ExpStepDevice" or "PowStepDevice" or "SoftBoundsReferenceDevice" or "PCMPresetUnitCell" or "OneSidedUnitCell" or "TransferCompound";

    public static PulsedDevice Device(string aihwkitClass, JsonElement p)
    {
        string model = s_presetBase.GetValueOrDefault(aihwkitClass, aihwkitClass);
        Unsupported(p, "enforce_consistency", true);
        Unsupported(p, "perfect_bias", false);
        Unsupported(p, "corrupt_devices_prob", 0.0);
        Unsupported(p, "adjust_bounds_with_up_down", false);
        Unsupported(p, "reverse_up", false);
        Unsupported(p, "reverse_down", false);
        if (model != "SoftBoundsReferenceDevice") Unsupported(p, "subtract_symmetry_point", false);
        if (p.TryGetProperty("drift", out var drift)) Unsupported(drift, "nu", 0.0);
        PulsedDevice d = model switch
        {
            "ConstantStepDevice" => new ConstantStepDevice(),
            "LinearStepDevice" => new LinearStepDevice
            {
                GammaUp = F(p, "gamma_up"), GammaDown = F(p, "gamma_down"), GammaUpDtod = F(p, "gamma_up_dtod"), GammaDownDtod = F(p, "gamma_down_dtod"),
                AllowIncreasing = B(p, "allow_increasing"), MeanBoundReference = B(p, "mean_bound_reference"), MultNoise = B(p, "mult_noise"),
            },
            "SoftBoundsDevice" => new SoftBoundsDevice { MultNoise = B(p, "mult_noise") },
            "ExpStepDevice" => new ExpStepDevice
            {
                AUp = F(p, "A_up"), ADown = F(p, "A_down"), GammaUp = F(p, "gamma_up"), GammaDown = F(p, "gamma_down"), A = F(p, "a"), B = F(p, "b"),
                DwMinStdAdd = F(p, "dw_min_std_add"), DwMinStdSlope = F(p, "dw_min_std_slope"),
            },
            "PowStepDevice" => new PowStepDevice
            {
                PowGamma = F(p, "pow_gamma"), PowGammaDtod = F(p, "pow_gamma_dtod"), PowUpDown = F(p, "pow_up_down"), PowUpDownDtod = F(p, "pow_up_down_dtod"),
            },
            "SoftBoundsReferenceDevice" => new SoftBoundsReferenceDevice
            {
                SlopeUpDtod = F(p, "slope_up_dtod"), SlopeDownDtod = F(p, "slope_down_dtod"), ReferenceMean = F(p, "reference_mean"),
                ReferenceStd = F(p, "reference_std"), MultNoise = B(p, "mult_noise"), SubtractSymmetryPoint = B(p, "subtract_symmetry_point"),
            },
            _ => throw new NotSupportedException($"aihwkit device {aihwkitClass} is not modelled."),
        };
        return d with
        {
            DwMin = F(p, "dw_min"), DwMinDtod = F(p, "dw_min_dtod"), DwMinStd = F(p, "dw_min_std"), UpDown = F(p, "up_down"), UpDownDtod = F(p, "up_down_dtod"),
            WMax = F(p, "w_max"), WMin = F(p, "w_min"), WMaxDtod = F(p, "w_max_dtod"), WMinDtod = F(p, "w_min_dtod"),
            Reset = F(p, "reset"), ResetDtod = F(p, "reset_dtod"), ResetStd = F(p, "reset_std"), Lifetime = F(p, "lifetime"), LifetimeDtod = F(p, "lifetime_dtod"),
            DwMinDtodLogNormal = B(p, "dw_min_dtod_log_normal"), Diffusion = F(p, "diffusion"), DiffusionDtod = F(p, "diffusion_dtod"), WriteNoiseStd = p.TryGetProperty("write_noise_std", out _) ? F(p, "write_noise_std") : 0f,
        };
    }

    /// <summary>aihwkit's UpdateParameters as an <see cref="UpdateConfig"/>.</summary>
    public static UpdateConfig Update(JsonElement u)
    {
        Unsupported(u, "res", 0.0);
        Unsupported(u, "sto_round", false);
        Unsupported(u, "d_sparsity", false);
        var type = u.GetProperty("pulse_type").GetString() switch
        {
            "STOCHASTIC_COMPRESSED" => PulseType.StochasticCompressed,
            "DETERMINISTIC_IMPLICIT" => PulseType.DeterministicImplicit,
            "NONE" => PulseType.None,
            var other => throw new NotSupportedException($"pulse_type {other} is not modelled."),
        };
        return new UpdateConfig
        {
            PulseType = type, DesiredBl = u.GetProperty("desired_bl").GetInt32(), FixedBl = B(u, "fixed_bl"),
            UpdateBlManagement = B(u, "update_bl_management"), UpdateManagement = B(u, "update_management"), UmGradScale = F(u, "um_grad_scale"),
        };
    }

    public static float F(JsonElement e, string name) => e.GetProperty(name).GetSingle();
    private static bool B(JsonElement e, string name) => e.GetProperty(name).GetBoolean();

    private static void Unsupported(JsonElement e, string name, object aihwkitDefault)
    {
        if (!e.TryGetProperty(name, out var v)) return;
        bool same = aihwkitDefault switch
        {
            bool b => v.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
            double d => v.ValueKind == JsonValueKind.Number && v.GetDouble() == d,
            _ => false,
        };
        if (!same) throw new NotSupportedException($"aihwkit parameter {name} = {v} is not modelled by SbeCore.");
    }
}

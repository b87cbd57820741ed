using System.Globalization;
using System.Text.Json;
using SbeCore.Crossbar;

namespace SbeCore.Tests.Fidelity;

/// <summary>
/// Reads the fixtures recorded from IBM aihwkit's C++ simulator (tests/fixtures/aihwkit, copied to
/// fixtures/aihwkit/ in the test output directory by SbeCore.Tests.csproj). See that folder's README.md for the
/// format. Float32 values are written exactly in the JSON, so <see cref="Floats(JsonElement)"/> round-trips them.
/// </summary>
public static class AihwkitFixtures
{
    /// <summary>The directory holding the copied fixture files.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures", "aihwkit");

    /// <summary>Parses fixtures/aihwkit/<paramref name="fileName"/> (e.g. "io.json"). The caller disposes it.</summary>
    public static JsonDocument Load(string fileName)
    {
        string path = Path.Combine(Directory, fileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"aihwkit fixture {fileName} was not copied to the test output ({path}).", path);
        return JsonDocument.Parse(File.ReadAllBytes(path));
    }

    /// <summary>The entries of the top-level "cases" array.</summary>
    public static IEnumerable<JsonElement> Cases(JsonDocument document) => document.RootElement.GetProperty("cases").EnumerateArray();

    /// <summary>The case whose "name" is <paramref name="name"/>.</summary>
    public static JsonElement Case(JsonDocument document, string name) =>
        Cases(document).FirstOrDefault(c => c.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } c
            ? c : throw new KeyNotFoundException($"No case named {name}.");

    /// <summary>A (possibly nested) numeric array flattened row-major to float32.</summary>
    public static float[] Floats(JsonElement element)
    {
        var list = new List<float>();
        Flatten(element, list, e => (float)e.GetDouble());
        return [.. list];
    }

    /// <summary>A (possibly nested) numeric array flattened row-major to float64 (for statistics).</summary>
    public static double[] Doubles(JsonElement element)
    {
        var list = new List<double>();
        Flatten(element, list, e => e.GetDouble());
        return [.. list];
    }

    /// <summary>(rows, cols) of a 2-D array.</summary>
    public static (int Rows, int Cols) Shape(JsonElement element) => (element.GetArrayLength(), element[0].GetArrayLength());

    private static void Flatten<T>(JsonElement element, List<T> list, Func<JsonElement, T> read)
    {
        if (element.ValueKind == JsonValueKind.Array) foreach (var e in element.EnumerateArray()) Flatten(e, list, read);
        else list.Add(read(element));
    }

    // aihwkit IOParameters fields SbeCore does not model, with the value at which they have no effect. A fixture that
    // sets one of them to anything else cannot be reproduced, so the mapper refuses it.
    private static readonly Dictionary<string, object> Inert = new()
    {
        ["mv_type"] = "ONE_PASS",
        ["inp_sto_round"] = false,
        ["inp_asymmetry"] = 0.0,
        ["out_noise_std"] = 0.0,
        ["out_sto_round"] = false,
        ["out_scale"] = 1.0,
        ["out_asymmetry"] = 0.0,
        ["ir_drop"] = 0.0,
        ["out_nonlinearity"] = 0.0,
        ["out_nonlinearity_std"] = 0.0,
        ["slope_calibration"] = 0.0,
        ["v_offset_std"] = 0.0,
        ["r_series"] = 0.0,
        ["w_read_asymmetry_dtod"] = 0.0,
    };

    // Fields that only matter when an unmodelled feature above is on (ir_drop, v_offset_std); any value is accepted.
    private static readonly HashSet<string> Irrelevant = ["ir_drop_g_ratio", "v_offset_w_min"];

    private static readonly HashSet<string> Modelled =
    [
        "is_perfect", "inp_res", "inp_bound", "inp_noise", "out_res", "out_bound", "out_noise", "w_noise", "w_noise_type",
        "noise_management", "bound_management", "max_bm_factor", "max_bm_res", "bm_test_negative_bound", "nm_thres",
    ];

    /// <summary>
    /// Maps an aihwkit IOParameters dict (as written in the fixtures: Python names, enums by name) to an
    /// <see cref="IOConfig"/>. Throws <see cref="NotSupportedException"/> naming the field when the dict sets something
    /// SbeCore does not model to a value that has an effect, or has a field this mapper does not know.
    /// </summary>
    public static IOConfig ToIOConfig(JsonElement io)
    {
        foreach (var p in io.EnumerateObject())
        {
            if (Modelled.Contains(p.Name) || Irrelevant.Contains(p.Name)) continue;
            if (!Inert.TryGetValue(p.Name, out var inert))
                throw new NotSupportedException($"aihwkit IOParameters.{p.Name} = {p.Value} is not known to the SbeCore mapper.");
            bool ok = inert switch
            {
                string s => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() == s,
                bool b => p.Value.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
                double d => p.Value.ValueKind == JsonValueKind.Number && p.Value.GetDouble() == d,
                _ => false,
            };
            if (!ok) throw new NotSupportedException($"aihwkit IOParameters.{p.Name} = {p.Value} is not modelled by SbeCore (only {Format(inert)} is).");
        }
        if (io.GetProperty("is_perfect").GetBoolean()) return IOConfig.Perfect; // aihwkit ignores every other field

        string wType = io.GetProperty("w_noise_type").GetString()!;
        float wNoise = (float)io.GetProperty("w_noise").GetDouble();
        wNoise = wType switch
        {
            "NONE" => 0f, // aihwkit ignores w_noise without a type
            "ADDITIVE_CONSTANT" => wNoise,
            _ => throw new NotSupportedException($"aihwkit IOParameters.w_noise_type = {wType} is not modelled by SbeCore (only NONE and ADDITIVE_CONSTANT)."),
        };
        var nm = io.GetProperty("noise_management").GetString() switch
        {
            "NONE" => NoiseManagement.None,
            "ABS_MAX" => NoiseManagement.AbsMax,
            var other => throw new NotSupportedException($"aihwkit IOParameters.noise_management = {other} is not modelled by SbeCore (only NONE and ABS_MAX)."),
        };
        var bm = io.GetProperty("bound_management").GetString() switch
        {
            "NONE" => BoundManagement.None,
            "ITERATIVE" => BoundManagement.Iterative,
            var other => throw new NotSupportedException($"aihwkit IOParameters.bound_management = {other} is not modelled by SbeCore (only NONE and ITERATIVE)."),
        };
        return new IOConfig
        {
            IsPerfect = false,
            InpRes = F(io, "inp_res"),
            InpBound = F(io, "inp_bound"),
            InpNoise = F(io, "inp_noise"),
            OutRes = F(io, "out_res"),
            OutBound = F(io, "out_bound"),
            OutNoise = F(io, "out_noise"),
            WNoise = wNoise,
            NoiseManagement = nm,
            BoundManagement = bm,
            MaxBmFactor = F(io, "max_bm_factor"),
            MaxBmRes = F(io, "max_bm_res"),
            BmTestNegativeBound = io.GetProperty("bm_test_negative_bound").GetBoolean(),
            NmThres = F(io, "nm_thres"),
        };
    }

    private static float F(JsonElement io, string name) => (float)io.GetProperty(name).GetDouble();

    private static string Format(object o) => o switch
    {
        bool b => b ? "True" : "False",
        double d => d.ToString(CultureInfo.InvariantCulture),
        _ => o.ToString()!,
    };
}

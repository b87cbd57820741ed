using System.Text.Json;
using System.Text.Json.Serialization;

namespace SbeCore.Experiments;

/// <summary>Source-generated JSON (trimming- and AOT-safe) for cell results and the learning-rate cache.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(CellResult))]
[JsonSerializable(typeof(TuneEntry))]
[JsonSerializable(typeof(List<CellResult>))]
internal sealed partial class ExperimentsJson : JsonSerializerContext
{
    /// <summary>Parses a cell file; null if the text is not a valid, complete cell. Matrix updates are (re)derived, so a
    /// file written before they existed loads with them (see <see cref="CellResult.WithMatrixUpdates"/>).</summary>
    public static CellResult? ParseCell(string text)
    {
        try { return JsonSerializer.Deserialize(text, Default.CellResult)?.WithMatrixUpdates(); }
        catch (JsonException) { return null; }
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SbeCore.Data;
using SbeCore.Experiments;

namespace SbeCore.Cli;

/// <summary>Writes results.json (settings, final figures, threshold crossings, history) and history.csv (one row per evaluation point).</summary>
internal static class ResultWriter
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void WriteJson(string path, string command, DataSplit data, IReadOnlyList<RunResult> results)
    {
        var doc = new
        {
            command,
            data = new { train = data.Train.Name, trainCount = data.Train.Count, test = data.Test.Name, testCount = data.Test.Count },
            machine = new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, runtime = Environment.Version.ToString() },
            runs = results.Select(r => new
            {
                label = r.Spec.Label,
                method = r.Spec.Network.Method,
                rank = r.Spec.Network.Rank,
                layerRanks = r.Spec.Network.LayerRanks,
                subBatch = r.Spec.Network.SubBatch,
                layers = r.Spec.Network.LayerSizes,
                architecture = r.Spec.Network.Architecture,
                activation = r.Spec.Network.Activation,
                seed = r.Spec.Network.Seed,
                device = r.Spec.Device,
                deviceModel = DeviceOptions.Describe(r.Spec.Network.TileConfig),
                deviceConfig = DeviceConfigJson(r.Spec.Network.TileConfig),
                batchSize = r.Spec.Schedule.BatchSize,
                learningRate = r.Spec.Schedule.LearningRate,
                epochs = r.Spec.Schedule.Epochs,
                shuffleSeed = r.Spec.Schedule.ShuffleSeed,
                final = r.History.Final,
                peripheralMemoryBytes = r.History.PeripheralMemoryBytes,
                wallSeconds = r.WallSeconds,
                lossBelow0_1 = r.History.Crossing(0.1),
                lossBelow0_01 = r.History.Crossing(0.01),
                history = r.History.Records,
                diagnostics = r.History.Diagnostics.Count == 0 ? null : r.History.Diagnostics,
            }),
        };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(doc, s_json));
    }

    // The whole config (aihwkit names, every parameter): a results.json entry can be fed back as --device-file.
    private static JsonElement? DeviceConfigJson(Crossbar.TileConfig? config)
    {
        if (config is null) return null;
        try { using var doc = JsonDocument.Parse(Devices.TileConfigJson.Write(config, indented: false)); return doc.RootElement.Clone(); }
        catch (NotSupportedException) { return null; } // a custom device model has no data form
    }

    public static void WriteCsv(string path, IReadOnlyList<RunResult> results)
    {
        var sb = new StringBuilder("method,epoch,updates,rank_one_writes,pulses,train_loss,train_accuracy,test_loss,test_accuracy,train_seconds\n");
        foreach (var r in results)
            foreach (var h in r.History.Records)
                sb.Append(CultureInfo.InvariantCulture,
                    $"{r.Spec.Label},{h.Epoch:R},{h.Updates},{h.RankOneWrites},{h.Pulses},{h.TrainLoss:R},{h.TrainAccuracy:R},{h.TestLoss:R},{h.TestAccuracy:R},{h.TrainSeconds:R}\n");
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    public static void WriteDiagnosticsCsv(string path, IReadOnlyList<RunResult> results)
    {
        var sb = new StringBuilder("method,update,layer,right_vector_error,left_vector_error,value_error\n");
        foreach (var r in results)
            foreach (var d in r.History.Diagnostics)
                sb.Append(CultureInfo.InvariantCulture, $"{r.Spec.Label},{d.Update},{d.Layer},{d.RightVectorError:R},{d.LeftVectorError:R},{d.ValueError:R}\n");
        AtomicFile.WriteAllText(path, sb.ToString());
    }
}

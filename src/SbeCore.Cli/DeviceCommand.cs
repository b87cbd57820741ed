using System.CommandLine;
using SbeCore.Devices;

namespace SbeCore.Cli;

/// <summary>`sbe device`: prints the tile config that --device/--device-file/--device-param give (JSON, every parameter
/// with aihwkit's names: a file for --device-file), one value (--get), every name (--names) or the schema (--schema).</summary>
internal static class DeviceCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = $"Device preset: {DeviceOptions.AcceptedDevices}", DefaultValueFactory = _ => "ideal" };
        var pulseType = new Option<string?>("--pulse-type") { Description = $"Pulsed update type: {DeviceOptions.AcceptedPulseTypes}" };
        var file = new Option<string?>("--device-file") { Description = "A device config as JSON, used instead of --device" };
        var parameters = new Option<string[]>("--device-param") { Description = "Set one parameter, name=value (repeatable)", AllowMultipleArgumentsPerToken = false };
        var get = new Option<string?>("--get") { Description = "Print only this parameter's value (e.g. device.dw_min)" };
        var names = new Option<bool>("--names") { Description = "Print every parameter path of the config, one per line" };
        var schema = new Option<bool>("--schema") { Description = "Print the parameter schema of every model (name, C# property, kind, default, range)" };
        var command = new Command("device", "Print a device configuration as JSON (for --device-file), one of its values, its parameter names, or the schema");
        foreach (Option o in new Option[] { device, pulseType, file, parameters, get, names, schema }) command.Options.Add(o);
        command.SetAction(parse => Cli.Guard(() =>
        {
            if (parse.GetValue(schema)) { Console.WriteLine(TileConfigJson.WriteSchema()); return 0; }
            if (parse.GetValue(file) is not null && parse.GetResult(device) is { Implicit: false }) return Cli.Fail("give --device or --device-file, not both.");
            if (!DeviceOptions.TryCreate(parse.GetValue(device)!, parse.GetValue(pulseType), parse.GetValue(file), parse.GetValue(parameters), out var config, out string error))
                return Cli.Fail(error);
            if (parse.GetValue(get) is { } path) Console.WriteLine(TileConfigPaths.Get(config!, path));
            else if (parse.GetValue(names)) foreach (string n in TileConfigPaths.Names(config!)) Console.WriteLine(n);
            else Console.WriteLine(TileConfigJson.Write(config!));
            return 0;
        }));
        return command;
    }
}

using System.Runtime.InteropServices;
using SbeCore.Updates;

namespace SbeCore.Native;

// Name-list exports: the rule registry (UpdateRules) and the preset catalog (TilePresets) seen from C, so hosts list and
// resolve methods and devices by name instead of keeping their own copy of the sbe_method and sbe_device values.
internal static unsafe partial class Exports
{
    /// <summary>sbe_method_names: the canonical names of the methods reachable from C, one per line in ascending
    /// sbe_method order (text out-parameter, see CopyOut).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_method_names")]
    public static int MethodNames(byte* buffer, nuint capacity, nuint* length)
    {
        try { return CopyOut(string.Join('\n', AbiRules().Select(r => r.Name)), buffer, capacity, length); }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_method_by_name: the sbe_method value of a name or alias (case-insensitive); *method unchanged on failure.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_method_by_name")]
    public static int MethodByName(byte* name, uint* method)
    {
        try
        {
            string text = Utf8(name, "name");
            Args.NotNull(method, "method");
            if (!UpdateRules.TryFind(text, out var rule) || rule.AbiId is not { } id)
                throw new SbeException(SbeStatus.InvalidArgument, $"name is '{text}'; methods are {string.Join(", ", AbiRules().Select(r => r.Name))}.");
            *method = id;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_method_label: the label of a method at rank k ("sgd", "sbe-4"), as the CLI and sweeps write it.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_method_label")]
    public static int MethodLabel(uint method, uint rank, byte* buffer, nuint capacity, nuint* length)
    {
        try
        {
            if (!UpdateRules.TryGetByAbiId(method, out var rule))
                throw new SbeException(SbeStatus.InvalidArgument, $"method is {method}; valid values are {MethodValues()}.");
            int k = Args.Dim(rank, "rank");
            return CopyOut(rule.Label(k), buffer, capacity, length);
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_device_names: the preset names, one per line in ascending sbe_device order (text out-parameter).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_device_names")]
    public static int DeviceNames(byte* buffer, nuint capacity, nuint* length)
    {
        try { return CopyOut(string.Join('\n', TileConfigs.DeviceNames), buffer, capacity, length); }
        catch (Exception e) { return LastError.Fail(e); }
    }

    private static IEnumerable<UpdateRuleInfo> AbiRules() => UpdateRules.All.Where(r => r.AbiId is not null).OrderBy(r => r.AbiId);

    // "0 (sgd), 1 (minibatch), ..." for error messages.
    private static string MethodValues() => string.Join(", ", AbiRules().Select(r => $"{r.AbiId} ({r.Name})"));
}

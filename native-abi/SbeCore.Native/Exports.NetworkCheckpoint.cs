using System.Runtime.InteropServices;
using SbeCore.Training;

namespace SbeCore.Native;

// Whole-network checkpoints (Network.Save / Load): every tile with its device state and random streams, every rule's
// state and the completed epochs, so a host can stop training and continue it bit-identically.
internal static unsafe partial class Exports
{
    /// <summary>sbe_network_save: writes the whole network to <paramref name="path"/> (UTF-8), atomically.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_save")]
    public static int NetworkSave(nint network, byte* path)
    {
        try
        {
            using var lease = Networks.Use(network, "network", out var n);
            n.Save(Args.Path(path, "path"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_network_load: a new network from a file written by sbe_network_save.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_load")]
    public static int NetworkLoad(byte* path, nint* outNetwork)
    {
        try
        {
            Args.NotNull(outNetwork, "out");
            *outNetwork = 0;
            var n = Network.Load(Args.Path(path, "path"));
            *outNetwork = Networks.Add(n);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_network_completed_epochs: epochs trained by sbe_network_train_epoch (kept by checkpoints), so a host
    /// resumes its shuffle-seed sequence where it stopped.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_network_completed_epochs")]
    public static int NetworkCompletedEpochs(nint network, ulong* epochs)
    {
        try
        {
            using var lease = Networks.Use(network, "network", out var n);
            Args.NotNull(epochs, "epochs");
            *epochs = (ulong)n.CompletedEpochs;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }
}

using SbeCore.Data;

namespace SbeCore.Cli;

/// <summary>Loads the data named by --data (or the embedded default) and checks it against the network input.</summary>
internal static class DataOption
{
    /// <summary>"mnist-10k" from "mnist-10k/train".</summary>
    public static string SetName(DataSplit data) => data.Train.Name.EndsWith("/train", StringComparison.Ordinal) ? data.Train.Name[..^6] : data.Train.Name;

    public static DataSplit Load(string? dir) => dir is null ? DataLoader.LoadDefault() : DataLoader.LoadDirectory(dir);
}

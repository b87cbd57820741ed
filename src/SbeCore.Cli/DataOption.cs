using SbeCore.Data;

namespace SbeCore.Cli;

/// <summary>Loads the data named by --data (or the embedded default) and checks it against the network input.</summary>
internal static class DataOption
{
    public static DataSplit Load(string? dir) => dir is null ? DataLoader.LoadDefault() : DataLoader.LoadDirectory(dir);
}

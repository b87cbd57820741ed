using SbeCore.Data;

namespace SbeCore.Tests.Training.Conv;

/// <summary>The embedded MNIST-10k, loaded once for the conv tests.</summary>
internal static class ConvData
{
    public static readonly Lazy<DataSplit> Split = new(DataLoader.LoadDefault);
    public static readonly Lazy<Dataset> Train = new(() => Split.Value.Train);
}

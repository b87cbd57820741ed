using System.Runtime.InteropServices;

namespace SbeCore.Native;

// Blittable mirrors of the config structs in sbecore.h. Each starts with struct_size and version so the
// library can reject a caller compiled against another layout instead of reading past its struct.

/// <summary>sbe_tile_config_t, version 1.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TileConfigV1
{
    public const uint CurrentVersion = 1;
    public uint StructSize;
    public uint Version;
    public uint Rows;
    public uint Cols;
    public ulong Seed;
    public uint Device;
    public uint PulseType;
    public uint DesiredBl;
    public uint Io;
}

/// <summary>sbe_tile_counters_t, version 1 (filled by the library; the caller sets struct_size and version).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TileCountersV1
{
    public const uint CurrentVersion = 1;
    public uint StructSize;
    public uint Version;
    public long RankOneWrites;
    public long TotalPulses;
    public long ClippedPulses;
    public long MaxPulsesPerDevice;
}

/// <summary>sbe_network_config_t, version 1.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NetworkConfigV1
{
    public const uint CurrentVersion = 1;
    public uint StructSize;
    public uint Version;
    public uint* LayerSizes;
    public uint LayerCount;
    public uint Activation;
    public uint Method;
    public uint Rank;
    public uint SubBatch;
    public uint Reserved;
    public ulong Seed;
    public TileConfigV1 Tile;
}

/// <summary>sbe_epoch_metrics_t, version 1 (filled by the library; the caller sets struct_size and version).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct EpochMetricsV1
{
    public const uint CurrentVersion = 1;
    public uint StructSize;
    public uint Version;
    public long Samples;
    public long Batches;
    public long RankOneWrites;
    public double MeanTrainingLoss;
    public double Seconds;
}

/// <summary>sbe_evaluation_t, version 1 (filled by the library; the caller sets struct_size and version).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct EvaluationV1
{
    public const uint CurrentVersion = 1;
    public uint StructSize;
    public uint Version;
    public long Samples;
    public double Loss;
    public double Accuracy;
}

/// <summary>sbe_estimator_config_t, version 1 (stochastic_rounding since ABI 1.1).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct EstimatorConfigV1
{
    public const uint CurrentVersion = 1;
    public uint StructSize;
    public uint Version;
    public uint Rows;
    public uint Cols;
    public uint Rank;
    public uint SubBatch;
    public ulong Seed;
    public uint Initialization;
    public uint Magnitude;
    public uint DivisionFree;
    public uint QuantizationBits;
    public float OjaRate;
    /// <summary>0 or 1 (ABI 1.1; was reserved-must-be-0 in 1.0, so the layout and version are unchanged).</summary>
    public uint StochasticRounding;
}

/// <summary>Checks the size/version header that every ABI struct starts with.</summary>
internal static unsafe class StructHeader
{
    public static void Check<T>(T* value, uint expectedVersion, string name) where T : unmanaged
    {
        Args.NotNull(value, name);
        uint size = *(uint*)value, version = ((uint*)value)[1];
        if (size != (uint)sizeof(T))
            throw new SbeException(SbeStatus.BadStruct, $"{name}->struct_size is {size}; this library expects {sizeof(T)} (set it to sizeof the struct).");
        if (version != expectedVersion)
            throw new SbeException(SbeStatus.BadStruct, $"{name}->version is {version}; this library expects {expectedVersion}.");
    }
}

/// <summary>sbe_rule_options_t, version 1 (ABI 1.7): the update rule's options beyond method, rank and sub-batch.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RuleOptionsV1
{
    public const uint CurrentVersion = 1;
    public uint StructSize;
    public uint Version;
    public uint Initialization;
    public uint Magnitude;
    public uint DivisionFree;
    public uint QuantizationBits;
    public float OjaRate;
    public uint StochasticRounding;
    public uint ColdStart;
    public uint PublishedSchedule;
}

/// <summary>sbe_layer_config_t, version 1 (ABI 1.7).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LayerConfigV1
{
    public const uint CurrentVersion = 1;
    public uint StructSize;
    public uint Version;
    public uint Kind;
    public uint Inputs;
    public uint Outputs;
    public uint Height;
    public uint Width;
    public uint Kernel;
    public uint Stride;
    public uint Padding;
    public uint Method;
    public uint Rank;
    public uint SubBatch;
    public uint Reserved;
    public ulong Seed;
    public TileConfigV1 Tile;
}

/// <summary>sbe_layer_counters_t, version 1 (ABI 1.7; filled by the library, the caller sets struct_size and version).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LayerCountersV1
{
    public const uint CurrentVersion = 1;
    public uint StructSize;
    public uint Version;
    public long RankOneWrites;
    public long TotalPulses;
    public long ClippedPulses;
    public long MaxPulsesPerDevice;
    public long PendingPairs;
    public long PeripheralMemoryBytes;
}

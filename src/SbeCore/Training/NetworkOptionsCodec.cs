using SbeCore.Eigen;
using SbeCore.Updates;

namespace SbeCore.Training;

/// <summary>
/// The <see cref="NetworkOptions"/> a checkpoint rebuilds its network from (all but TileConfig, which each saved tile
/// carries). Enum and range checks are left to the Network constructor, whose ArgumentException the loader reports as
/// invalid data.
/// </summary>
internal static class NetworkOptionsCodec
{
    public static void Write(BinaryWriter w, NetworkOptions o)
    {
        w.Write(o.LayerSizes.Length);
        foreach (int size in o.LayerSizes) w.Write(size);
        w.Write((int)o.Activation); w.Write((int)o.Method); w.Write(o.Rank); w.Write(o.SubBatch); w.Write(o.PublishedSchedule);
        w.Write(o.Seed);
        w.Write(o.Architecture is not null);
        if (o.Architecture is not null) w.Write(o.Architecture);
        w.Write(o.Estimator is not null);
        if (o.Estimator is { } e)
        {
            w.Write(e.Rank); w.Write(e.SubBatch); w.Write(e.DivisionFree); w.Write(e.OjaRate); w.Write(e.QuantizationBits);
            w.Write(e.StochasticRounding); w.Write((int)e.Magnitude); w.Write((int)e.Initialization); w.Write(e.WarmStart);
        }
    }

    public static NetworkOptions Read(BinaryReader r)
    {
        int count = r.ReadInt32();
        if (count < 2 || count > 1 << 16) throw new InvalidDataException($"Network checkpoint has {count} layer sizes.");
        var sizes = new int[count];
        for (int i = 0; i < count; i++) sizes[i] = r.ReadInt32();
        var activation = (Activation)r.ReadInt32();
        var method = (UpdateMethod)r.ReadInt32();
        int rank = r.ReadInt32(), subBatch = r.ReadInt32();
        bool published = r.ReadBoolean();
        ulong seed = r.ReadUInt64();
        string? architecture = r.ReadBoolean() ? r.ReadString() : null;
        EstimatorOptions? estimator = null;
        if (r.ReadBoolean())
        {
            estimator = new EstimatorOptions
            {
                Rank = r.ReadInt32(), SubBatch = r.ReadInt32(), DivisionFree = r.ReadBoolean(), OjaRate = r.ReadSingle(),
                QuantizationBits = r.ReadInt32(), StochasticRounding = r.ReadBoolean(), Magnitude = (MagnitudeEstimate)r.ReadInt32(),
                Initialization = (InitialState)r.ReadInt32(), WarmStart = r.ReadBoolean(),
            };
        }
        return new NetworkOptions
        {
            LayerSizes = sizes, Activation = activation, Method = method, Rank = rank, SubBatch = subBatch,
            PublishedSchedule = published, Seed = seed, Architecture = architecture, Estimator = estimator,
        };
    }
}

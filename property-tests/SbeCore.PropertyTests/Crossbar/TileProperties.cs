using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;

namespace SbeCore.PropertyTests.Crossbar;

public class TileProperties
{
    private static TileConfig ConfigFor(int kind, int pulse)
    {
        var update = new UpdateConfig { PulseType = (PulseType)(pulse % 3), FixedBl = pulse % 2 == 0, UpdateManagement = pulse % 4 < 2 };
        IDeviceModel device = (kind % 9) switch
        {
            0 => new ConstantStepDevice(),
            1 => DevicePresets.GokmenVlasov(),
            2 => DevicePresets.Capacitor(),
            3 => DevicePresets.EcRam(),
            4 => DevicePresets.ReRamSB(),
            5 => DevicePresets.ReRamES(),
            6 => DevicePresets.Pcm(),
            7 => new PowStepDevice { PowGamma = 2f, DwMinStd = 2f },
            _ => new LinearStepDevice { GammaUp = 3f, GammaDown = -0.5f, MultNoise = false, DwMinStd = 4f },
        };
        return new TileConfig { Device = device, Update = update };
    }

    // Any sequence of rank-1, rank-k and dense writes, with any finite rates and magnitudes, keeps every
    // weight finite and every device state inside its own bounds (with write noise, the hidden state: what reads
    // see is that plus noise, as in aihwkit, and may stand beyond a bound). 37 columns are two full 16-column blocks of
    // the vector ConstantStep path and a scalar tail; every block width (512, 256, 128, scalar) is drawn.
    [Property(MaxTest = 60)]
    public bool WeightsNeverLeaveTheirBounds(byte kind, byte pulse, ulong seed, NormalFloat[] rates)
    {
        const int Rows = 5, Cols = 37;
        var tile = new CrossbarTile(Rows, Cols, ConfigFor(kind, pulse), seed);
        var widths = SbeCore.Kernels.SimdDispatch.Available;
        using var width = SbeCore.Kernels.SimdDispatch.Force(widths[((pulse >> 4) & 3) % widths.Count]);
        var rng = new Xoshiro256(seed ^ 0xABCDEF);
        foreach (var rate in rates.Take(25))
        {
            float lr = (float)Math.Clamp(rate.Get, -1e3, 1e3);
            float scale = (float)Math.Pow(10, 4 * rng.NextDouble() - 2);
            var d = Vector(ref rng, Rows, scale); var x = Vector(ref rng, Cols, 1 / scale);
            switch (rng.NextInt(3))
            {
                case 0: tile.Update(lr, d, x); break;
                case 1: tile.UpdateRankK(lr, [1f, -0.5f], [.. d, .. d], [.. x, .. Vector(ref rng, Cols, 1)]); break;
                default: tile.UpdateDense(lr, Vector(ref rng, Rows * Cols, scale), 2); break;
            }
        }
        var state = tile.PersistentWeights.IsEmpty ? tile.Weights : tile.PersistentWeights;
        for (int k = 0; k < Rows * Cols; k++)
        {
            float w = state[k];
            if (!float.IsFinite(w) || !float.IsFinite(tile.Weights[k]) || w < tile.MinBounds[k] || w > tile.MaxBounds[k]) return false;
        }
        return true;
    }

    // Saving and loading gives a tile that continues bit-identically.
    [Property(MaxTest = 20)]
    public bool SaveLoadRoundTripsAnyConfig(byte kind, byte pulse, ulong seed)
    {
        var tile = new CrossbarTile(4, 6, ConfigFor(kind, pulse) with { Forward = new IOConfig { WNoise = 0.01f } }, seed);
        var rng = new Xoshiro256(seed);
        tile.Update(0.1f, Vector(ref rng, 4, 1), Vector(ref rng, 6, 1));
        using var stream = new MemoryStream();
        tile.Save(stream);
        var loaded = CrossbarTile.Load(stream.ToArray());
        var d = Vector(ref rng, 4, 1); var x = Vector(ref rng, 6, 1);
        tile.Update(0.1f, d, x); loaded.Update(0.1f, d, x);
        var ya = new float[4]; var yb = new float[4];
        tile.Read(x, 1, ya); loaded.Read(x, 1, yb);
        return tile.Weights.SequenceEqual(loaded.Weights) && ya.AsSpan().SequenceEqual(yb)
            && tile.Counters.PulsesPerDevice.SequenceEqual(loaded.Counters.PulsesPerDevice);
    }

    private static float[] Vector(ref Xoshiro256 rng, int n, float scale)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)((2 * rng.NextDouble() - 1) * scale);
        return v;
    }
}

using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Numerics;

namespace SbeCore.Tests.Crossbar;

internal static class TileTestHelpers
{
    /// <summary>A noise-free, variation-free ConstantStep device with wide bounds (every device identical).</summary>
    public static ConstantStepDevice CleanConstantStep(float dwMin = 1f / 1024, float bound = 1000f) => new()
    {
        DwMin = dwMin, DwMinDtod = 0, DwMinStd = 0, UpDown = 0, UpDownDtod = 0,
        WMax = bound, WMin = -bound, WMaxDtod = 0, WMinDtod = 0,
    };

    public static TileConfig Pulsed(IDeviceModel device, PulseType type = PulseType.StochasticCompressed, int bl = 31,
        bool blManagement = true, bool updateManagement = true) => new()
    {
        Device = device,
        Update = new UpdateConfig { PulseType = type, DesiredBl = bl, UpdateBlManagement = blManagement, UpdateManagement = updateManagement },
    };

    public static float[] Uniform(ref Xoshiro256 rng, int n, float scale = 1f)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)((2 * rng.NextDouble() - 1) * scale);
        return v;
    }

    /// <summary>A scripted run touching every write and read path.</summary>
    public static void ScriptedRun(CrossbarTile tile, ulong dataSeed, int steps = 20)
    {
        var rng = new Xoshiro256(dataSeed);
        var outF = new float[4 * tile.Rows];
        var outB = new float[4 * tile.Cols];
        for (int s = 0; s < steps; s++)
        {
            tile.Update(0.05f, Uniform(ref rng, tile.Rows), Uniform(ref rng, tile.Cols));
            tile.UpdateRankK(0.02f, [1f, 0.5f], Uniform(ref rng, 2 * tile.Rows), Uniform(ref rng, 2 * tile.Cols));
            tile.UpdateDense(0.01f, Uniform(ref rng, tile.Rows * tile.Cols), 3);
            tile.PostUpdateStep();
            tile.Read(Uniform(ref rng, 4 * tile.Cols), 4, outF);
            tile.ReadTransposed(Uniform(ref rng, 4 * tile.Rows), 4, outB);
        }
    }

    public static TileConfig NoisyPreset() => TileConfig.GokmenVlasov() with
    {
        Forward = TileConfig.PresetIO() with { WNoise = 0.01f },
    };
}

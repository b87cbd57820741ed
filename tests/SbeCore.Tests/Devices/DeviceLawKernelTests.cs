using SbeCore.Crossbar;
using SbeCore.Devices;
using SbeCore.Devices.Arrays;
using SbeCore.Kernels;
using SbeCore.Numerics;
using static SbeCore.Tests.Crossbar.TileTestHelpers;

namespace SbeCore.Tests.Devices;

/// <summary>A built-in model behind the plain <see cref="IDeviceModel"/> interface: the tile gives it the
/// pulse-by-pulse adapter, so it is the reference the SIMD laws are held to.</summary>
internal sealed class PulseByPulseModel(IDeviceModel inner) : IDeviceModel
{
    public string Name => "PulseByPulse" + inner.Name;
    public float DwMin => inner.DwMin;
    public float WeightGranularity => inner.WeightGranularity;
    public int ParametersPerDevice => inner.ParametersPerDevice;
    public void Validate() => inner.Validate();
    public void SampleDevice(ref Xoshiro256 rng, Span<float> parameters, out float wMin, out float wMax) => inner.SampleDevice(ref rng, parameters, out wMin, out wMax);
    public float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random) => inner.Pulse(w, direction, wMin, wMax, parameters, random);
}

/// <summary>A LinearStep device that is not the built-in type (it keeps write noise, which needs a PulsedDevice), so
/// it too gets the pulse-by-pulse adapter.</summary>
internal sealed record PulseByPulseLinearStep : LinearStepDevice
{
    public override float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random)
        => base.Pulse(w, direction, wMin, wMax, parameters, random);
}

/// <summary>
/// Each device law's SIMD kernel against its <see cref="IDeviceModel.Pulse"/> definition applied pulse by pulse with
/// the same Gaussians (bit for bit, clipped-pulse counts included), and at every width against the scalar width.
/// </summary>
public class DeviceLawKernelTests
{
    public static TheoryData<string> Laws => new()
    {
        "LinearStepMult", "LinearStepAdd", "LinearStepNoiseless", "LinearStepZeroShift", "SoftBounds", "EcRam", "LinearStepWriteNoise",
        "ExpStep", "ExpStepAdditive", "ExpStepNoiseless", "Pcm", "PowStep", "PowStepNoiseless", "ReRamSB", "SoftBoundsReferenceAdd", "SoftBoundsReferenceNoiseless",
    };

    private static IDeviceModel ModelFor(string name) => name switch
    {
        "LinearStepMult" => new LinearStepDevice { GammaUp = 0.4f, GammaDown = 0.7f, DwMin = 0.02f },
        "LinearStepAdd" => new LinearStepDevice { GammaUp = 0.4f, GammaDown = 0.7f, MultNoise = false, DwMin = 0.02f },
        "LinearStepNoiseless" => new LinearStepDevice { GammaUp = 0.4f, GammaDown = 0.7f, DwMinStd = 0, DwMin = 0.02f },
        "LinearStepZeroShift" => new LinearStepDevice { GammaUp = 0.5f, GammaDown = 0.3f, UpDown = 0.2f, ZeroShift = true, DwMin = 0.02f },
        "SoftBounds" => new SoftBoundsDevice { DwMin = 0.02f },
        "EcRam" => DevicePresets.EcRam(),
        "LinearStepWriteNoise" => new LinearStepDevice { WriteNoiseStd = 0.5f, DwMin = 0.02f },
        "ExpStep" => new ExpStepDevice { DwMin = 0.02f },
        "ExpStepAdditive" => new ExpStepDevice { DwMin = 0.02f, DwMinStdAdd = 0.01f, DwMinStdSlope = 0.2f },
        "ExpStepNoiseless" => new ExpStepDevice { DwMin = 0.02f, DwMinStd = 0 },
        "Pcm" => DevicePresets.Pcm(),
        "PowStep" => new PowStepDevice { DwMin = 0.02f, PowGamma = 1.5f, PowUpDown = 0.2f, PowUpDownDtod = 0.1f },
        "PowStepNoiseless" => new PowStepDevice { DwMin = 0.02f, DwMinStd = 0 },
        "ReRamSB" => DevicePresets.ReRamSB() with { SubtractSymmetryPoint = true },
        "SoftBoundsReferenceAdd" => new SoftBoundsReferenceDevice { DwMin = 0.02f, SlopeUpDtod = 0.1f, ReferenceStd = 0.05f },
        "SoftBoundsReferenceNoiseless" => new SoftBoundsReferenceDevice { DwMin = 0.02f, DwMinStd = 0, MultNoise = true },
        _ => throw new ArgumentException(name),
    };

    // Laws whose steps do not vanish at the bounds, so long trains clip (soft bounds only approach them).
    private static bool HardBounded(string name) => name is "LinearStepMult" or "LinearStepAdd" or "LinearStepNoiseless" or "LinearStepZeroShift"
        or "LinearStepWriteNoise" or "ExpStep" or "ExpStepAdditive" or "ExpStepNoiseless" or "Pcm";

    private const int Devices = 2 * 37; // two rows of 37: whole vectors at every width plus a tail

    // A device array and its copy of the state, sampled from a fixed seed, with weights spread over the range.
    private static (DeviceArray Array, DeviceArrayState State) Build(IDeviceModel model)
    {
        int per = model.ParametersPerDevice;
        float[] parameters = new float[Devices * per], wMin = new float[Devices], wMax = new float[Devices], weights = new float[Devices];
        var rng = new Xoshiro256(11);
        for (int k = 0; k < Devices; k++)
        {
            model.SampleDevice(ref rng, parameters.AsSpan(k * per, per), out wMin[k], out wMax[k]);
            weights[k] = wMin[k] + (wMax[k] - wMin[k]) * (float)rng.NextDouble();
        }
        float[]? persistent = null;
        float writeNoise = 0;
        if (model is PulsedDevice { UsesPersistentWeight: true } pulsed)
        {
            persistent = (float[])weights.Clone();
            writeNoise = pulsed.WriteNoiseStd * pulsed.DwMin;
        }
        var state = new DeviceArrayState(weights, persistent, wMin, wMax, writeNoise, parameters, per);
        return (DeviceArray.Create(model, state), state);
    }

    // Signed counts: many zeros, single pulses and long trains (up to 60, which clip near a bound), both ways.
    private static float[] Counts(int row)
    {
        var rng = new Xoshiro256(5 + (ulong)row);
        float[] counts = new float[37];
        for (int j = 0; j < counts.Length; j++)
        {
            int kind = (int)(rng.NextDouble() * 4);
            int n = kind switch { 0 => 0, 1 => 1, 2 => 1 + (int)(rng.NextDouble() * 6), _ => 20 + (int)(rng.NextDouble() * 40) };
            counts[j] = rng.NextDouble() < 0.5 ? n : -n;
        }
        return counts;
    }

    private static RandomStream Stream()
    {
        var random = RandomStream.Keyed(77, 78);
        random.Seek(3, 9, 64, 0);
        return random;
    }

    // Both rows through the array's kernel at one width; returns the clipped pulses.
    private static long RunKernel(DeviceArray array, SimdWidth width)
    {
        var scratch = new PulseRowScratch();
        scratch.EnsureColumns(37);
        var random = Stream();
        long clipped = 0;
        using (SimdDispatch.Force(width))
        {
            for (int row = 0; row < 2; row++)
            {
                float[] counts = Counts(row);
                for (int j = 0; j < counts.Length; j++)
                    if (counts[j] != 0) array.Count(scratch, j, (int)MathF.Abs(counts[j]), counts[j] > 0 ? 1 : -1);
                clipped += array.ApplyRow(row * 37, 37, scratch, random);
                Assert.All(scratch.Counts.Take(37), c => Assert.Equal(0f, c)); // the kernel consumes the counts
            }
        }
        return clipped;
    }

    // The definition: Pulse once per pulse, clip, count; with write noise the visible weight is redrawn after.
    private static long RunDefinition(IDeviceModel model, DeviceArrayState s)
    {
        var random = Stream();
        int per = s.ParametersPerDevice;
        long clipped = 0;
        for (int row = 0; row < 2; row++)
        {
            float[] counts = Counts(row);
            for (int j = 0; j < 37; j++)
            {
                int k = row * 37 + j, n = (int)MathF.Abs(counts[j]), direction = counts[j] > 0 ? 1 : -1;
                if (n == 0) continue;
                float w = s.Pulsed[k];
                for (int t = 0; t < n; t++)
                {
                    float next = model.Pulse(w, direction, s.MinBounds[k], s.MaxBounds[k], s.Parameters.AsSpan(k * per, per), random);
                    if (next > s.MaxBounds[k]) { next = s.MaxBounds[k]; clipped++; }
                    else if (next < s.MinBounds[k]) { next = s.MinBounds[k]; clipped++; }
                    w = next;
                }
                s.Pulsed[k] = w;
                if (s.Persistent is not null) s.Weights[k] = w + s.WriteNoise * random.NextGaussian();
            }
        }
        return clipped;
    }

    [Theory, MemberData(nameof(Laws))]
    public void KernelMatchesThePulseDefinitionAtEveryWidth(string name)
    {
        IDeviceModel model = ModelFor(name);
        var (_, expected) = Build(model);
        long expectedClipped = RunDefinition(model, expected);
        if (HardBounded(name)) Assert.True(expectedClipped > 0, "the trains clip");
        foreach (var width in SimdDispatch.Available)
        {
            var (array, actual) = Build(model);
            Assert.IsNotType<ModelArray>(array);
            long clipped = RunKernel(array, width);
            Assert.Equal(expectedClipped, clipped);
            Assert.Equal(expected.Weights, actual.Weights);
            Assert.Equal(expected.Persistent, actual.Persistent);
        }
    }

    [Theory, MemberData(nameof(Laws))]
    public void EveryWidthGivesTheScalarBits(string name)
    {
        IDeviceModel model = ModelFor(name);
        var (scalar, expected) = Build(model);
        long expectedClipped = RunKernel(scalar, SimdWidth.Scalar);
        Assert.NotEqual(Build(model).State.Weights, expected.Weights); // the pulses moved the devices
        foreach (var width in SimdDispatch.Available)
        {
            var (array, actual) = Build(model);
            Assert.Equal(expectedClipped, RunKernel(array, width));
            Assert.True(expected.Weights.AsSpan().SequenceEqual(actual.Weights), $"{width}: weights");
            Assert.True(expected.Pulsed.AsSpan().SequenceEqual(actual.Pulsed), $"{width}: pulsed state");
        }
    }

    // A sparse write's devices and a unit cell's take their pulses at once (ApplyNow), the Gaussians straight from the
    // stream in device order: the row kernel's bits.
    [Theory, MemberData(nameof(Laws))]
    public void ApplyingDeviceByDeviceGivesTheRowKernelBits(string name)
    {
        IDeviceModel model = ModelFor(name);
        var (rowArray, expected) = Build(model);
        long expectedClipped = RunKernel(rowArray, SimdDispatch.Hardware);
        var (array, actual) = Build(model);
        var random = Stream();
        long clipped = 0;
        for (int row = 0; row < 2; row++)
        {
            float[] counts = Counts(row);
            for (int j = 0; j < 37; j++)
                if (counts[j] != 0) clipped += array.ApplyNow(row * 37 + j, (int)MathF.Abs(counts[j]), counts[j] > 0 ? 1 : -1, random);
        }
        Assert.Equal(expectedClipped, clipped);
        Assert.True(expected.Weights.AsSpan().SequenceEqual(actual.Weights), "weights");
        Assert.True(expected.Pulsed.AsSpan().SequenceEqual(actual.Pulsed), "pulsed state");
    }

    [Fact]
    public void OnlyTheBuiltInTypesGetALaw()
    {
        Assert.IsType<ModelArray>(Build(new PulseByPulseModel(new LinearStepDevice())).Array);
        Assert.IsType<ModelArray>(Build(new PulseByPulseLinearStep()).Array);
        Assert.IsType<LawArray<LinearStepLaw>>(Build(new SoftBoundsDevice()).Array);
    }

    public static TheoryData<string> TileCases => new() { "EcRam", "SoftBounds", "LinearStepWriteNoise", "LinearStepZeroShift", "ExpStep", "Pcm", "PowStep", "ReRamSB" };

    private static CrossbarTile TrainTile(IDeviceModel model, UpdateConfig update, SimdWidth width)
    {
        var tile = new CrossbarTile(70, 45, TileConfig.FromPreset(model) with { Update = update }, seed: 8);
        var rng = new Xoshiro256(2);
        using (SimdDispatch.Force(width))
        {
            for (int t = 0; t < 6; t++)
            {
                float lr = t % 2 == 0 ? 0.3f : -0.3f;
                tile.Update(lr, Uniform(ref rng, 70), Uniform(ref rng, 45));
                float[] sparse = new float[45];
                sparse[3] = 0.9f; sparse[20] = -0.7f; sparse[44] = 0.5f; // few firing columns: the kernel visits only them
                tile.Update(lr, Uniform(ref rng, 70), sparse);
                tile.UpdateRankK(lr, [1f, -0.5f], Uniform(ref rng, 2 * 70), Uniform(ref rng, 2 * 45));
                tile.UpdateDense(lr, Uniform(ref rng, 70 * 45, 0.5f), 3);
            }
        }
        return tile;
    }

    // The whole write path (stochastic, long multi-word trains, implicit and dense counts) through the SIMD law gives
    // the bits of the same model through the pulse-by-pulse adapter: the same Gaussians in the same order.
    [Theory, MemberData(nameof(TileCases))]
    public void TileWritesMatchThePulseByPulseAdapter(string name)
    {
        IDeviceModel model = ModelFor(name);
        // The interface wrapper is not a PulsedDevice, so it has no write noise: compare ReRamSB without it (the
        // kernel tests above cover its write noise).
        if (model is SoftBoundsReferenceDevice sb) model = sb with { WriteNoiseStd = 0 };
        IDeviceModel reference = model is LinearStepDevice { WriteNoiseStd: > 0 } linear
            ? new PulseByPulseLinearStep { WriteNoiseStd = linear.WriteNoiseStd, DwMin = linear.DwMin }
            : new PulseByPulseModel(model);
        foreach (var update in new[]
        {
            new UpdateConfig(),
            new UpdateConfig { DesiredBl = 100, UpdateBlManagement = false },
            new UpdateConfig { PulseType = PulseType.ImplicitStochasticRound },
            new UpdateConfig { PulseType = PulseType.DeterministicImplicit },
        })
        {
            CrossbarTile expected = TrainTile(reference, update, SimdWidth.Scalar);
            if (HardBounded(name)) Assert.True(expected.Counters.ClippedPulses > 0, $"{name}: clipping ran");
            foreach (var width in SimdDispatch.Available)
            {
                CrossbarTile actual = TrainTile(model, update, width);
                string what = $"{name}, {update.PulseType}, BL {update.DesiredBl}, {width}";
                Assert.True(expected.Weights.SequenceEqual(actual.Weights), what + ": weights");
                Assert.True(expected.PersistentWeights.SequenceEqual(actual.PersistentWeights), what + ": persistent weights");
                Assert.True(expected.Counters.PulsesPerDevice.SequenceEqual(actual.Counters.PulsesPerDevice), what + ": pulses per device");
                Assert.Equal(expected.Counters.TotalPulses, actual.Counters.TotalPulses);
                Assert.Equal(expected.Counters.ClippedPulses, actual.Counters.ClippedPulses);
            }
        }
    }

    // ConstantStep's law sums a device's n pulses in one step, s (n + std sqrt(n) xi), with one Gaussian per device
    // with pulses (in column order) and the clipped pulses n - floor(room / s): the definition written out here.
    private static long RunAggregatedDefinition(ConstantStepDevice device, DeviceArrayState s)
    {
        var random = Stream();
        long clipped = 0;
        for (int row = 0; row < 2; row++)
        {
            float[] counts = Counts(row);
            for (int j = 0; j < 37; j++)
            {
                int k = row * 37 + j, n = (int)MathF.Abs(counts[j]), direction = counts[j] > 0 ? 1 : -1;
                if (n == 0) continue;
                float step = s.Parameters[2 * k + (direction > 0 ? 0 : 1)], std = device.DwMinStd;
                float sum = std > 0 ? step * (n + std * MathF.Sqrt(n) * random.NextGaussian()) : step * n;
                float before = s.Weights[k], next = before + direction * sum;
                float room = next > s.MaxBounds[k] ? s.MaxBounds[k] - before : before - s.MinBounds[k];
                if (next > s.MaxBounds[k] || next < s.MinBounds[k])
                {
                    clipped += (long)Math.Clamp(n - Math.Floor(Math.Max(room, 0f) / (double)step), 0, n);
                    next = next > s.MaxBounds[k] ? s.MaxBounds[k] : s.MinBounds[k];
                }
                s.Weights[k] = next;
            }
        }
        return clipped;
    }

    [Theory]
    [InlineData(0.3f)]
    [InlineData(0f)]
    public void ConstantStepKernelMatchesTheAggregatedStepAtEveryWidth(float std)
    {
        var device = new ConstantStepDevice { DwMin = 0.02f, DwMinStd = std };
        var (_, expected) = Build(device);
        long expectedClipped = RunAggregatedDefinition(device, expected);
        Assert.True(expectedClipped > 0, "the trains clip");
        foreach (var width in SimdDispatch.Available)
        {
            var (array, actual) = Build(device);
            Assert.IsType<ConstantStepArray>(array);
            Assert.Equal(expectedClipped, RunKernel(array, width));
            Assert.True(expected.Weights.AsSpan().SequenceEqual(actual.Weights), $"{width}: weights");
        }
    }

    // Without noise the aggregated step is the pulse-by-pulse definition up to float rounding (n additions of s
    // against one product s n), clipped pulses included.
    [Fact]
    public void NoiselessConstantStepKernelMatchesPulseByPulseWithinRounding()
    {
        var device = new ConstantStepDevice { DwMin = 0.02f, DwMinStd = 0 };
        var (_, expected) = Build(device);
        long expectedClipped = RunDefinition(device, expected);
        var (array, actual) = Build(device);
        Assert.Equal(expectedClipped, RunKernel(array, SimdDispatch.Hardware));
        for (int k = 0; k < Devices; k++) Assert.Equal(expected.Weights[k], actual.Weights[k], 1e-5f);
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using SbeCore.Crossbar;
using SbeCore.Training;

namespace SbeCore.Cli;

/// <summary>Options shared by `sbe compare` and `sbe train`, with validators that give one-line errors.</summary>
internal sealed class CommonOptions
{
    public Option<int> Epochs { get; }
    public Option<string> Hidden { get; } = new("--hidden")
    {
        Description = "Hidden layer sizes, comma-separated (e.g. 100 or 256,128)",
        DefaultValueFactory = _ => "100",
    };
    public Option<string?> Arch { get; } = new("--arch")
    {
        Description = "Layers instead of the MLP of --hidden: lenet5, or e.g. conv6k5p2-pool2-conv16k5-pool2-fc120-fc84 (convCkK[sS][pP], maxpoolK, avgpoolK, fcN; the output fc is appended; see docs/cnn.md)",
    };
    public Option<string> Activation { get; } = new("--activation")
    {
        Description = "Hidden activation: relu or sigmoid",
        DefaultValueFactory = _ => "relu",
    };
    public Option<string?> Data { get; } = new("--data")
    {
        Description = "Data directory: train-/t10k-images-idx3-ubyte[.gz] and labels (full MNIST, Fashion-MNIST) or the MNIST-10k layout. Default: the embedded MNIST-10k",
    };
    public Option<string?> Subset { get; } = DataOption.CreateSubset();
    public Option<ulong> Seed { get; } = new("--seed")
    {
        Description = "Seed of the initial weights, device draws, estimators and data order",
        DefaultValueFactory = _ => 1UL,
    };
    public Option<string> Out { get; }
    public Option<string> Device { get; } = new("--device")
    {
        Description = $"Device preset of every tile: {DeviceOptions.AcceptedDevices}",
        DefaultValueFactory = _ => "ideal",
    };
    public Option<string?> PulseType { get; } = new("--pulse-type")
    {
        Description = $"Pulsed update type: {DeviceOptions.AcceptedPulseTypes}",
    };
    public Option<string?> DeviceFile { get; } = new("--device-file")
    {
        Description = "A device config as JSON (aihwkit names; `sbe device` prints one), used instead of --device",
    };
    public Option<string[]> DeviceParam { get; } = new("--device-param")
    {
        Description = "Set one device parameter, name=value (repeatable; applied after --device/--device-file): dw_min=0.002, w_max=0.8, update.desired_bl=15, forward.out_noise=0",
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "Threads each tile's reads, gradient and pulsed writes may use (1-64); results are bit-identical for every value",
        DefaultValueFactory = _ => 1,
    };
    public Option<int> EvalsPerEpoch { get; } = new("--evals-per-epoch")
    {
        Description = "Evaluation points per epoch; 0 = auto: clamp(batch / 64, 1, 8), so large batches are recorded more often",
        DefaultValueFactory = _ => 0,
    };

    public CommonOptions(int defaultEpochs, string defaultOut, string outDescription = "Output folder for results.json, history.csv and the PNG plots")
    {
        Epochs = new Option<int>("--epochs") { Description = "Epochs per run", DefaultValueFactory = _ => defaultEpochs };
        Out = new Option<string>("--out", "-o") { Description = outDescription, DefaultValueFactory = _ => defaultOut };
        AtLeast(Epochs, 1);
        Activation.Validators.Add(r =>
        {
            if (TryValue<string>(r, out var v) && !TryParseActivation(v, out _)) r.AddError($"--activation must be relu or sigmoid (got '{v}').");
        });
        AtLeast(EvalsPerEpoch, 0);
        Threads.Validators.Add(r =>
        {
            if (TryValue<int>(r, out int v) && (v < 1 || v > 64)) r.AddError($"--threads must be 1 to 64 (got {v}).");
        });
        Device.Validators.Add(r =>
        {
            if (TryValue<string>(r, out var v) && !DeviceOptions.TryCreate(v ?? "", null, out _, out string error)) r.AddError(error);
        });
        PulseType.Validators.Add(r =>
        {
            if (TryValue<string?>(r, out var v) && v is not null && !DeviceOptions.TryCreate("ideal", v, out _, out string error)) r.AddError(error);
        });
        Arch.Validators.Add(r =>
        {
            if (!TryValue<string?>(r, out var v) || v is null) return;
            try { SbeCore.Training.Layers.ArchitectureSpec.Parse(v); }
            catch (ArgumentException e) { r.AddError($"--arch: {e.Message.Split(" (Parameter")[0]}"); }
        });
        Hidden.Validators.Add(r =>
        {
            if (TryValue<string>(r, out var v) && !TryParseHidden(v ?? "", out _, out string error)) r.AddError(error);
        });
    }

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Epochs, Hidden, Arch, Activation, Data, Subset, Seed, Out, Device, PulseType, DeviceFile, DeviceParam, EvalsPerEpoch, Threads }) command.Options.Add(o);
    }

    /// <summary>The tile config of --device, --pulse-type, --device-file and --device-param, or a one-line error.</summary>
    public bool TryDevice(ParseResult parse, out TileConfig? config, out string error)
    {
        if (parse.GetValue(DeviceFile) is not null && parse.GetResult(Device) is { Implicit: false })
        {
            config = null; error = "give --device or --device-file, not both.";
            return false;
        }
        return DeviceOptions.TryCreate(parse.GetValue(Device)!, parse.GetValue(PulseType), parse.GetValue(DeviceFile), parse.GetValue(DeviceParam), out config, out error);
    }

    /// <summary>The device label of results.json.</summary>
    public string DeviceLabel(ParseResult parse) => DeviceOptions.Label(parse.GetValue(Device)!, parse.GetValue(DeviceFile), parse.GetValue(DeviceParam));

    /// <summary>LayerSizes for the network: [features, hidden..., classes], or [features, classes] under --arch.</summary>
    public static int[] Sizes(string? arch, int[] hidden, int features, int classes) => arch is null ? [features, .. hidden, classes] : [features, classes];

    /// <summary>How a run's network is named in titles: the layer sizes, or the architecture text.</summary>
    public static string NetName(string? arch, int[] sizes) => arch ?? string.Join('-', sizes);

    public static void AtLeast(Option<int> option, int min)
        => option.Validators.Add(r =>
        {
            if (TryValue<int>(r, out int v) && v < min) r.AddError($"{option.Name} must be >= {min} (got {v}).");
        });

    public static void Positive(Option<float?> option)
        => option.Validators.Add(r =>
        {
            if (TryValue<float?>(r, out float? v) && v is { } f && (!float.IsFinite(f) || f <= 0)) r.AddError($"{option.Name} must be a finite number > 0 (got {f}).");
        });

    /// <summary>The option's value, or false if its token did not convert (the parser reports that error itself).</summary>
    public static bool TryValue<T>(OptionResult r, out T value)
    {
        try { value = r.GetValueOrDefault<T>(); return true; }
        catch (InvalidOperationException) { value = default!; return false; }
    }

    /// <summary>relu or sigmoid, case-insensitive.</summary>
    public static bool TryParseActivation(string? text, out Activation activation)
    {
        activation = Training.Activation.Relu;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "relu": return true;
            case "sigmoid": activation = Training.Activation.Sigmoid; return true;
            default: return false;
        }
    }

    /// <summary>--evals-per-epoch with 0 meaning auto: one per epoch up to batch 127, then more as batches grow (at most 8).</summary>
    public static int EvaluationsPerEpoch(int flag, int batchSize) => flag > 0 ? flag : Math.Clamp(batchSize / 64, 1, 8);

    /// <summary>Parses "100" or "256,128" (an empty string means no hidden layer).</summary>
    public static bool TryParseHidden(string text, out int[] sizes, out string error)
    {
        error = "";
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                error = $"--hidden expects positive integers separated by commas, e.g. 100 or 256,128 (got '{text}').";
                return false;
            }
        }
        return true;
    }
}

using System.Runtime.InteropServices;
using SbeCore.Crossbar;

namespace SbeCore.Native;

// Tile exports: one crossbar array behind an opaque handle. Not thread-safe per handle.
internal static unsafe partial class Exports
{
    /// <summary>sbe_tile_create: builds a tile from a config struct; *out receives the handle (NULL on failure).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_create")]
    public static int TileCreate(TileConfigV1* config, nint* outTile)
    {
        try
        {
            Args.NotNull(outTile, "out");
            *outTile = 0;
            StructHeader.Check(config, TileConfigV1.CurrentVersion, "config");
            int rows = Args.Dim(config->Rows, "config->rows"), cols = Args.Dim(config->Cols, "config->cols");
            Args.Product(rows, cols, "the tile");
            *outTile = Tiles.Add(new CrossbarTile(rows, cols, TileConfigs.From(config, "config"), config->Seed));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_config_preset: sets config->device to the preset named (UTF-8, resolved by TileConfig.TryPreset:
    /// case, '-' and '_' ignored) and pulse_type, desired_bl and io to 0 (the preset's own); struct_size and version must be
    /// set by the caller, rows, cols and seed are left alone. On failure *config is unchanged.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_config_preset")]
    public static int TileConfigPreset(byte* name, TileConfigV1* config)
    {
        try
        {
            Args.NotNull(name, "name");
            StructHeader.Check(config, TileConfigV1.CurrentVersion, "config");
            string preset = Marshal.PtrToStringUTF8((nint)name) ?? "";
            uint device = TileConfigs.DeviceOf(preset, "name");
            config->Device = device;
            config->PulseType = 0;
            config->DesiredBl = 0;
            config->Io = 0;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_destroy: frees the tile; NULL is a no-op; a stale or foreign handle gives SBE_E_BAD_HANDLE.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_destroy")]
    public static int TileDestroy(nint tile)
    {
        try { Tiles.Remove(tile, "tile"); return 0; }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_shape: rows (outputs) and cols (inputs).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_shape")]
    public static int TileShape(nint tile, nuint* rows, nuint* cols)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            Args.NotNull(rows, "rows");
            Args.NotNull(cols, "cols");
            *rows = (nuint)t.Rows; *cols = (nuint)t.Cols;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_read: outputs (n x rows) = inputs (n x cols) W^T.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_read")]
    public static int TileRead(nint tile, float* inputs, nuint inputsLen, nuint n, float* outputs, nuint outputsLen)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            int count = Args.Dim(n, "n");
            int inLen = Args.Product(count, t.Cols, "inputs"), outLen = Args.Product(count, t.Rows, "outputs");
            Args.Length(inputsLen, inLen, "inputs_len", "n * cols");
            Args.Length(outputsLen, outLen, "outputs_len", "n * rows");
            var xs = Args.In(inputs, inLen, "inputs");
            Args.Finite(xs, "inputs");
            t.Read(xs, count, Args.Out(outputs, outLen, "outputs"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_read_t: outputs (n x cols) = errors (n x rows) W.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_read_t")]
    public static int TileReadT(nint tile, float* errors, nuint errorsLen, nuint n, float* outputs, nuint outputsLen)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            int count = Args.Dim(n, "n");
            int inLen = Args.Product(count, t.Rows, "errors"), outLen = Args.Product(count, t.Cols, "outputs");
            Args.Length(errorsLen, inLen, "errors_len", "n * rows");
            Args.Length(outputsLen, outLen, "outputs_len", "n * cols");
            var ds = Args.In(errors, inLen, "errors");
            Args.Finite(ds, "errors");
            t.ReadTransposed(ds, count, Args.Out(outputs, outLen, "outputs"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_read_columns: n samples of `positions` input vectors each, stored as columns (inputs n x cols x
    /// positions, outputs n x rows x positions: a convolution's unfolded input and channel-major output).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_read_columns")]
    public static int TileReadColumns(nint tile, float* inputs, nuint inputsLen, nuint n, nuint positions, float* outputs, nuint outputsLen)
        => ReadColumns(tile, inputs, inputsLen, n, positions, outputs, outputsLen, transposed: false);

    /// <summary>sbe_tile_read_t_columns: errors n x rows x positions, outputs n x cols x positions.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_read_t_columns")]
    public static int TileReadTColumns(nint tile, float* errors, nuint errorsLen, nuint n, nuint positions, float* outputs, nuint outputsLen)
        => ReadColumns(tile, errors, errorsLen, n, positions, outputs, outputsLen, transposed: true);

    private static int ReadColumns(nint tile, float* inputs, nuint inputsLen, nuint n, nuint positions, float* outputs, nuint outputsLen, bool transposed)
    {
        string name = transposed ? "errors" : "inputs";
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            int count = Args.Dim(n, "n"), p = Args.Dim(positions, "positions");
            if (p == 0) throw new ArgumentException("positions must be at least 1.", "positions");
            int vectors = Args.Product(count, p, "n * positions");
            int inLen = Args.Product(vectors, transposed ? t.Rows : t.Cols, name), outLen = Args.Product(vectors, transposed ? t.Cols : t.Rows, "outputs");
            Args.Length(inputsLen, inLen, name + "_len", transposed ? "n * rows * positions" : "n * cols * positions");
            Args.Length(outputsLen, outLen, "outputs_len", transposed ? "n * cols * positions" : "n * rows * positions");
            var xs = Args.In(inputs, inLen, name);
            Args.Finite(xs, name);
            var ys = Args.Out(outputs, outLen, "outputs");
            if (transposed) t.ReadTransposedColumns(xs, count, p, ys);
            else t.ReadColumns(xs, count, p, ys);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_write: one rank-1 write, W -= learning_rate * d x^T (d: rows, x: cols).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_write")]
    public static int TileWrite(nint tile, float learningRate, float* d, nuint dLen, float* x, nuint xLen)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            Args.Finite(learningRate, "learning_rate");
            Args.Length(dLen, t.Rows, "d_len", "rows");
            Args.Length(xLen, t.Cols, "x_len", "cols");
            var ds = Args.In(d, t.Rows, "d");
            var xs = Args.In(x, t.Cols, "x");
            Args.Finite(ds, "d");
            Args.Finite(xs, "x");
            t.Update(learningRate, ds, xs);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_write_rank_k: k rank-1 writes, W -= learning_rate * sum_c s[c] d_c x_c^T (d: k x rows, x: k x cols).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_write_rank_k")]
    public static int TileWriteRankK(nint tile, float learningRate, float* s, nuint k, float* d, nuint dLen, float* x, nuint xLen)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            Args.Finite(learningRate, "learning_rate");
            int rank = Args.Dim(k, "k");
            int dCount = Args.Product(rank, t.Rows, "d"), xCount = Args.Product(rank, t.Cols, "x");
            Args.Length(dLen, dCount, "d_len", "k * rows");
            Args.Length(xLen, xCount, "x_len", "k * cols");
            var ss = Args.In(s, rank, "s");
            var ds = Args.In(d, dCount, "d");
            var xs = Args.In(x, xCount, "x");
            Args.Finite(ss, "s");
            Args.Finite(ds, "d");
            Args.Finite(xs, "x");
            t.UpdateRankK(learningRate, ss, ds, xs);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_get_weights: copies the rows x cols row-major weights.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_get_weights")]
    public static int TileGetWeights(nint tile, float* weights, nuint weightsLen)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            int count = t.Rows * t.Cols;
            Args.Length(weightsLen, count, "weights_len", "rows * cols");
            t.GetWeights(Args.Out(weights, count, "weights"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_set_weights: programs the weights (not counted as training writes).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_set_weights")]
    public static int TileSetWeights(nint tile, float* weights, nuint weightsLen)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            int count = t.Rows * t.Cols;
            Args.Length(weightsLen, count, "weights_len", "rows * cols");
            var ws = Args.In(weights, count, "weights");
            Args.Finite(ws, "weights");
            t.SetWeights(ws);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_get_counters: fills *counters (the caller sets struct_size and version).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_get_counters")]
    public static int TileGetCounters(nint tile, TileCountersV1* counters)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            StructHeader.Check(counters, TileCountersV1.CurrentVersion, "counters");
            counters->RankOneWrites = t.Counters.RankOneWrites;
            counters->TotalPulses = t.Counters.TotalPulses;
            counters->ClippedPulses = t.Counters.ClippedPulses;
            counters->MaxPulsesPerDevice = t.Counters.MaxPulsesPerDevice;
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_get_pulses: pulses per device so far, row-major rows x cols (endurance).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_get_pulses")]
    public static int TileGetPulses(nint tile, long* pulses, nuint pulsesLen)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            int count = t.Rows * t.Cols;
            Args.Length(pulsesLen, count, "pulses_len", "rows * cols");
            Args.NotNull(pulses, "pulses");
            var source = t.Counters.PulsesPerDevice;
            var destination = new Span<long>(pulses, count);
            if (source.Length == count) source.CopyTo(destination);
            else destination.Clear(); // an ideal device counts no pulses
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_save: writes the tile's complete state to a file (UTF-8 path).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_save")]
    public static int TileSave(nint tile, byte* path)
    {
        try
        {
            using var lease = Tiles.Use(tile, "tile", out var t);
            t.Save(Args.Path(path, "path"));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_tile_load: creates a tile from a file written by sbe_tile_save.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_tile_load")]
    public static int TileLoad(byte* path, nint* outTile)
    {
        try
        {
            Args.NotNull(outTile, "out");
            *outTile = 0;
            var t = CrossbarTile.Load(Args.Path(path, "path"));
            *outTile = Tiles.Add(t);
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }
}

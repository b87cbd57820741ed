using System.CommandLine;
using SbeCore.Data;

namespace SbeCore.Cli;

/// <summary>Loads the data named by --data (or the embedded default), optionally cut to a --subset.</summary>
internal static class DataOption
{
    /// <summary>The --subset option every data-loading command carries.</summary>
    public static Option<string?> CreateSubset()
    {
        var option = new Option<string?>("--subset")
        {
            Description = "TRAIN,TEST: use only the first TRAIN training and first TEST test images (e.g. 8000,2000: Fashion-MNIST at the size of the embedded MNIST-10k)",
        };
        option.Validators.Add(r =>
        {
            if (CommonOptions.TryValue<string?>(r, out var v) && v is not null && !TryParseSubset(v, out _, out _, out string error)) r.AddError(error);
        });
        return option;
    }

    public static bool TryParseSubset(string text, out int train, out int test, out string error)
    {
        train = test = 0;
        error = "";
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && int.TryParse(parts[0], out train) && int.TryParse(parts[1], out test) && train >= 1 && test >= 1) return true;
        error = $"--subset must be TRAIN,TEST with two positive counts, e.g. 8000,2000 (got '{text}').";
        return false;
    }

    /// <exception cref="ArgumentException">The subset is larger than the data set.</exception>
    public static DataSplit Load(string? dir, string? subset)
    {
        DataSplit data = dir is null ? DataLoader.LoadDefault() : DataLoader.LoadDirectory(dir);
        if (subset is null) return data;
        if (!TryParseSubset(subset, out int train, out int test, out string error)) throw new ArgumentException(error, nameof(subset));
        return data.Subset(train, test);
    }
}

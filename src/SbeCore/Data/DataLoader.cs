using SbeCore.IO;

namespace SbeCore.Data;

/// <summary>A train/test pair of data sets.</summary>
/// <param name="Train">Training set.</param>
/// <param name="Test">Held-out test set.</param>
public sealed record DataSplit(Dataset Train, Dataset Test)
{
    /// <summary>The set's name: "mnist-10k" for a training set named "mnist-10k/train".</summary>
    public string Name => Train.Name.EndsWith("/train", StringComparison.Ordinal) ? Train.Name[..^6] : Train.Name;

    /// <summary>
    /// The first <paramref name="trainCount"/> training and the first <paramref name="testCount"/> test images, named
    /// "{set}-{trainCount}-{testCount}/train" and ".../test" so tuned learning rates and results never mix with the whole set's.
    /// </summary>
    /// <exception cref="ArgumentException">A count is below 1 or above what the set holds.</exception>
    public DataSplit Subset(int trainCount, int testCount)
    {
        if (trainCount < 1 || trainCount > Train.Count) throw new ArgumentException($"training subset must be 1..{Train.Count} images (got {trainCount}).", nameof(trainCount));
        if (testCount < 1 || testCount > Test.Count) throw new ArgumentException($"test subset must be 1..{Test.Count} images (got {testCount}).", nameof(testCount));
        string name = $"{Name}-{trainCount}-{testCount}";
        return new DataSplit(Train.Slice(0, trainCount, name + "/train"), Test.Slice(0, testCount, name + "/test"));
    }
}

/// <summary>
/// Loads MNIST-format data: the embedded MNIST-10k default (first 8,000 digits train, last 2,000 test) or a
/// directory holding the standard four files of full MNIST or Fashion-MNIST (train-images-idx3-ubyte[.gz], ...).
/// </summary>
public static class DataLoader
{
    /// <summary>Folder name of the embedded default set, relative to the repository or the executable.</summary>
    public const string DefaultFolder = "data/mnist-10k";
    /// <summary>Training images of the default set; the rest are the test set.</summary>
    public const int DefaultTrainCount = 8000;

    /// <summary>
    /// Loads the MNIST-10k set embedded in this assembly (first 8,000 digits train, last 2,000 test): no file, no
    /// folder, no download, so it works from the NuGet package, a published executable or the NativeAOT library.
    /// </summary>
    /// <exception cref="InvalidDataException">The embedded resources are missing or corrupt (a broken build).</exception>
    public static DataSplit LoadDefault()
    {
        using var imagesStream = OpenEmbedded(ImagesResource);
        using var labelsStream = OpenEmbedded(LabelsResource);
        var (count, rows, cols, pixels) = IdxReader.ReadImages(imagesStream, "embedded " + ImagesResource);
        byte[] labels = IdxReader.ReadLabels(labelsStream, "embedded " + LabelsResource);
        return Split(Dataset.FromIdx("mnist-10k", count, rows, cols, pixels, labels));
    }

    // The two gzipped IDX files of data/mnist-10k, embedded by SbeCore.csproj under these names.
    internal const string ImagesResource = "SbeCore.Data.mnist-10k.images-idx3-ubyte.gz";
    internal const string LabelsResource = "SbeCore.Data.mnist-10k.labels-idx1-ubyte.gz";

    private static Stream OpenEmbedded(string name)
    {
        var raw = typeof(DataLoader).Assembly.GetManifestResourceStream(name)
                  ?? throw new InvalidDataException($"the embedded MNIST-10k resource '{name}' is missing from {typeof(DataLoader).Assembly.GetName().Name}.");
        return new System.IO.Compression.GZipStream(raw, System.IO.Compression.CompressionMode.Decompress);
    }

    private static DataSplit Split(Dataset all)
    {
        int train = Math.Min(DefaultTrainCount, all.Count * 4 / 5);
        return new DataSplit(all.Slice(0, train, "mnist-10k/train"), all.Slice(train, all.Count - train, "mnist-10k/test"));
    }

    /// <summary>Loads a folder in the MNIST-10k layout (images-idx3-ubyte[.gz], labels-idx1-ubyte[.gz]) and splits 8,000/2,000.</summary>
    public static DataSplit LoadMnist10k(string dir)
    {
        string images = FindFile(dir, "images-idx3-ubyte"), labels = FindFile(dir, "labels-idx1-ubyte");
        var (count, rows, cols, pixels) = IdxReader.ReadImages(images);
        return Split(Dataset.FromIdx("mnist-10k", count, rows, cols, pixels, IdxReader.ReadLabels(labels)));
    }

    /// <summary>
    /// Loads a data directory: the standard four files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
    /// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally .gz) or, failing that, the MNIST-10k layout.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="IOException">The path is not a directory, or a data file is not a regular file.</exception>
    /// <exception cref="FileNotFoundException">A required file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static DataSplit LoadDirectory(string dir)
    {
        if (!Directory.Exists(dir))
        {
            var kind = SafeFile.KindOf(dir);
            if (kind != FileKind.Missing) throw new IOException($"'{dir}' is {kind.Describe()}, not a data directory.");
            throw new DirectoryNotFoundException($"data directory '{dir}' does not exist.");
        }
        if (TryFind(dir, "images-idx3-ubyte") is not null && TryFind(dir, "train-images-idx3-ubyte") is null) return LoadMnist10k(dir);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));
        return new DataSplit(
            LoadPair(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", name + "/train"),
            LoadPair(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", name + "/test"));
    }

    /// <summary>
    /// Looks for <see cref="DefaultFolder"/> beside the executable, then in the working
    /// directory and its parents (running from a checkout). Returns null if none holds the two files.
    /// </summary>
    public static string? FindDefaultFolder()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, DefaultFolder);
                if (TryFind(candidate, "images-idx3-ubyte") is not null && TryFind(candidate, "labels-idx1-ubyte") is not null) return candidate;
            }
        }
        return null;
    }

    private static Dataset LoadPair(string dir, string imagesName, string labelsName, string name)
    {
        var (count, rows, cols, pixels) = IdxReader.ReadImages(FindFile(dir, imagesName));
        return Dataset.FromIdx(name, count, rows, cols, pixels, IdxReader.ReadLabels(FindFile(dir, labelsName)));
    }

    private static string FindFile(string dir, string stem)
        => TryFind(dir, stem) ?? throw new FileNotFoundException($"'{Path.Combine(dir, stem)}[.gz]' not found.", Path.Combine(dir, stem));

    private static string? TryFind(string dir, string stem)
    {
        foreach (string name in new[] { stem + ".gz", stem })
        {
            string p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }
}

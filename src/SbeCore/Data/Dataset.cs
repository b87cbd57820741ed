namespace SbeCore.Data;

/// <summary>
/// A labelled image set in the layout the trainer reads: <see cref="Images"/> is Count x <see cref="Features"/>
/// floats in [0, 1] (row-major, one image per row), <see cref="Labels"/> holds one class index per image.
/// </summary>
public sealed class Dataset
{
    /// <summary>Wraps arrays (not copied). Labels must lie in [0, classCount).</summary>
    /// <exception cref="ArgumentException">Lengths disagree or a label is out of range.</exception>
    public Dataset(string name, float[] images, int[] labels, int features, int classCount)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        Check.AtLeast(features, 1);
        Check.AtLeast(classCount, 2);
        if ((long)labels.Length * features != images.Length)
            throw new ArgumentException($"images has {images.Length} floats, expected labels ({labels.Length}) x features ({features}).", nameof(images));
        foreach (int y in labels)
            if ((uint)y >= (uint)classCount)
                throw new ArgumentException($"label {y} is outside [0, {classCount}).", nameof(labels));
        Name = name; Images = images; Labels = labels; Features = features; ClassCount = classCount;
    }

    /// <summary>A short name for reports, e.g. "mnist-10k/train".</summary>
    public string Name { get; }
    /// <summary>Count x Features pixel intensities in [0, 1].</summary>
    public float[] Images { get; }
    /// <summary>Class index per image.</summary>
    public int[] Labels { get; }
    /// <summary>Floats per image (784 for 28x28).</summary>
    public int Features { get; }
    /// <summary>Number of classes (10 for MNIST).</summary>
    public int ClassCount { get; }
    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>A copy of images [start, start + count) as a new data set.</summary>
    public Dataset Slice(int start, int count, string name)
    {
        Check.AtLeast(start, 0);
        Check.AtLeast(count, 0);
        if (start + count > Count) throw new ArgumentException($"slice [{start}, {start + count}) exceeds the {Count} images.", nameof(count));
        return new Dataset(name, Images.AsSpan(start * Features, count * Features).ToArray(), Labels.AsSpan(start, count).ToArray(), Features, ClassCount);
    }

    /// <summary>Builds a data set from IDX bytes: pixels scaled by 1/255, labels widened to int.</summary>
    /// <exception cref="InvalidDataException">Image and label counts differ.</exception>
    public static Dataset FromIdx(string name, int count, int rows, int cols, byte[] pixels, byte[] labels, int classCount = 10)
    {
        if (labels.Length != count)
            throw new InvalidDataException($"{name}: {count} images but {labels.Length} labels.");
        var images = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) images[i] = pixels[i] * (1f / 255f);
        var y = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classCount) throw new InvalidDataException($"{name}: label {labels[i]} at index {i} is outside [0, {classCount}).");
            y[i] = labels[i];
        }
        return new Dataset(name, images, y, rows * cols, classCount);
    }
}

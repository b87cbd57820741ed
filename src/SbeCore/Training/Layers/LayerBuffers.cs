namespace SbeCore.Training.Layers;

/// <summary>Sizes of per-batch scratch, refused (not wrapped) when a buffer would exceed an array.</summary>
internal static class LayerBuffers
{
    public static float[] Floats(int n, long perSample, string layer)
    {
        long count = n * perSample;
        if (count > Array.MaxLength)
            throw new ArgumentException($"A batch of {n} samples needs {count} floats in layer {layer}'s buffer, more than an array holds; use smaller batches.", "images");
        return new float[count];
    }
}

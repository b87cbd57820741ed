using Microsoft.Extensions.ObjectPool;

namespace SbeCore.Training;

/// <summary>
/// Per-batch scratch of one network shape: layer inputs (bias column included), pre-activations, deltas and the
/// backward-read buffer. Sized for a batch capacity that grows on demand, so steady-state steps allocate nothing.
/// </summary>
internal sealed class NetworkWorkspace
{
    private readonly int[] _sizes;

    public NetworkWorkspace(int[] sizes) { _sizes = sizes; Allocate(0); }

    public int Capacity { get; private set; }
    /// <summary>Layer l input, n x (sizes[l] + 1), last column = 1.</summary>
    public float[][] Inputs { get; private set; } = [];
    /// <summary>Layer l pre-activation (for the last layer: logits, then probabilities), n x sizes[l + 1].</summary>
    public float[][] Outputs { get; private set; } = [];
    /// <summary>Layer l error at the pre-activation, n x sizes[l + 1].</summary>
    public float[][] Deltas { get; private set; } = [];
    /// <summary>Backward-read result, n x max cols.</summary>
    public float[] Back { get; private set; } = [];
    /// <summary>Labels of the gathered batch.</summary>
    public int[] Labels { get; private set; } = [];

    public void EnsureCapacity(int n)
    {
        if (n > Capacity) Allocate(n);
    }

    private void Allocate(int n)
    {
        int layers = _sizes.Length - 1, maxCols = 0;
        foreach (int size in _sizes) Elements(n, size + 1); // every product checked before the first allocation
        Inputs = new float[layers][]; Outputs = new float[layers][]; Deltas = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            int cols = _sizes[l] + 1;
            maxCols = Math.Max(maxCols, cols);
            Inputs[l] = new float[n * cols];
            for (int j = 0; j < n; j++) Inputs[l][j * cols + cols - 1] = 1f; // the bias input never changes
            Outputs[l] = new float[n * _sizes[l + 1]];
            Deltas[l] = new float[n * _sizes[l + 1]];
        }
        Back = new float[n * maxCols];
        Labels = new int[n];
        Capacity = n;
    }

    // n x width floats of one activation buffer, refused (not wrapped) when it exceeds an array.
    private static int Elements(int n, int width)
    {
        long count = (long)n * width;
        if (count > Array.MaxLength)
            throw new ArgumentException($"A batch of {n} samples needs {n} x {width} = {count} floats for one layer's buffer, more than an array holds; use smaller batches.", "images");
        return (int)count;
    }

    /// <summary>Pool policy: new workspaces for the shape, every one returned is kept.</summary>
    internal sealed class Policy(int[] sizes) : PooledObjectPolicy<NetworkWorkspace>
    {
        public override NetworkWorkspace Create() => new(sizes);
        public override bool Return(NetworkWorkspace obj) => true;
    }
}

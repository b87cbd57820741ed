using SbeCore.Crossbar;
using SbeCore.Updates;

namespace SbeCore.Training.Layers;

/// <summary>
/// One stage of a <see cref="LayerStack"/>: maps n samples of <see cref="Input"/> to n samples of <see cref="Output"/>
/// (sample-major, each sample channel-major) and back. Layers own their per-batch scratch, grown by
/// <see cref="EnsureCapacity"/>, so steady-state steps allocate nothing. Not thread-safe, like the network.
/// </summary>
public interface ILayer
{
    /// <summary>Spec token, e.g. "conv6k5p2", "maxpool2", "fc120", "relu".</summary>
    string Name { get; }
    /// <summary>Shape of one input sample.</summary>
    TensorShape Input { get; }
    /// <summary>Shape of one output sample.</summary>
    TensorShape Output { get; }
    /// <summary>Makes room for batches of up to <paramref name="n"/> samples.</summary>
    void EnsureCapacity(int n);
    /// <summary>output (n x Output.Size) from input (n x Input.Size).</summary>
    void Forward(ReadOnlySpan<float> input, int n, Span<float> output);
    /// <summary>
    /// Gradient at the input from the gradient at the output, after the Forward of the same batch (input and output are
    /// what it saw and wrote). <paramref name="gradInput"/> is empty when no earlier layer needs it (the first layer);
    /// tile layers still record their update pairs then.
    /// </summary>
    void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, int n, Span<float> gradInput);
}

/// <summary>
/// A layer whose weights live on one crossbar tile. Its batch gradient is the sum of n x <see cref="Positions"/> rank-1
/// terms delta_{j,p} x_{j,p}^T (one per sample for a dense layer, one per output position for a convolution); after
/// Backward it exposes those pairs so the stack streams them into the layer's <see cref="IUpdateRule"/> unchanged.
/// </summary>
public interface ITileLayer : ILayer
{
    /// <summary>The tile: rows = outputs (output channels), cols = inputs (+ 1 bias column fed a constant 1).</summary>
    CrossbarTile Tile { get; }
    /// <summary>The layer's update rule.</summary>
    IUpdateRule Rule { get; }
    /// <summary>Rank-1 terms each sample contributes (1 for dense, output height x width for a convolution).</summary>
    int Positions { get; }
    /// <summary>The last batch's deltas, (n x Positions) x Tile.Rows, sample-major. <paramref name="gradOutput"/> is
    /// what Backward was given (a dense layer's deltas are that very buffer).</summary>
    ReadOnlySpan<float> PairDeltas(ReadOnlySpan<float> gradOutput, int n);
    /// <summary>The last batch's tile inputs, (n x Positions) x Tile.Cols (bias column included).</summary>
    ReadOnlySpan<float> PairInputs(int n);
    /// <summary>Whether the layer keeps its pairs as columns (<see cref="PairDeltaColumns"/>, <see cref="PairInputColumns"/>)
    /// rather than position-major (<see cref="PairDeltas"/>, <see cref="PairInputs"/>); the other layout is made on request.</summary>
    bool PairsAsColumns { get; }
    /// <summary>The same deltas with each sample's pairs as columns: n x Tile.Rows x Positions (a convolution's
    /// channel-major output gradient; for Positions = 1 the same as <see cref="PairDeltas"/>).</summary>
    ReadOnlySpan<float> PairDeltaColumns(ReadOnlySpan<float> gradOutput, int n);
    /// <summary>The same inputs with each sample's pairs as columns: n x Tile.Cols x Positions (a convolution's unfolded
    /// input; for Positions = 1 the same as <see cref="PairInputs"/>).</summary>
    ReadOnlySpan<float> PairInputColumns(int n);
}

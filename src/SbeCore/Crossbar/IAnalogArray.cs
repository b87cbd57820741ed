namespace SbeCore.Crossbar;

/// <summary>
/// What an update rule needs from an analog array: its shape, its thread budget, its reads and its writes through the
/// device. A <see cref="CrossbarTile"/> is one, whatever it holds (one device per weight or a unit cell: a rule writes
/// the tile and the cell routes the pulses); a mapping of one logical matrix onto several physical tiles would be
/// another, implementing these members by splitting rows and columns over its tiles.
/// </summary>
public interface IAnalogArray
{
    /// <summary>Rows of the logical matrix (a layer's outputs).</summary>
    int Rows { get; }

    /// <summary>Columns of the logical matrix (a layer's inputs, bias column included).</summary>
    int Cols { get; }

    /// <summary>Threads the array's work may use; a rule sizes its own dense work (a mini-batch gradient) by it.</summary>
    int Threads { get; }

    /// <summary>Forward read of a batch: outputs (n x Rows) = inputs (n x Cols) W^T, through the forward I/O model.</summary>
    void Read(ReadOnlySpan<float> inputs, int n, Span<float> outputs);

    /// <summary>Backward read of a batch: outputs (n x Cols) = errors (n x Rows) W, through the backward I/O model.</summary>
    void ReadTransposed(ReadOnlySpan<float> errors, int n, Span<float> outputs);

    /// <summary>One rank-1 write W -= learningRate d x^T through the device.</summary>
    void Update(float learningRate, ReadOnlySpan<float> d, ReadOnlySpan<float> x);

    /// <summary>k rank-1 writes W -= learningRate sum_c s[c] d_c x_c^T (d k x Rows, x k x Cols) through the device.</summary>
    void UpdateRankK(float learningRate, ReadOnlySpan<float> s, ReadOnlySpan<float> d, ReadOnlySpan<float> x);

    /// <summary>A dense write W -= learningRate g (g exactly Rows x Cols) counted as <paramref name="rankOneEquivalent"/>
    /// rank-1 writes.</summary>
    void UpdateDense(float learningRate, ReadOnlySpan<float> g, long rankOneEquivalent);

    /// <summary>A dense write W -= learningRate g (row r of g at g[r * stride]) counted as
    /// <paramref name="rankOneEquivalent"/> rank-1 writes.</summary>
    void UpdateDense(float learningRate, ReadOnlySpan<float> g, int stride, long rankOneEquivalent);
}

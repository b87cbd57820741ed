namespace SbeCore.Training;

/// <summary>
/// Sees every layer's batch just before its update rule is applied (diagnostics such as SBE's singular-vector error).
/// The spans are only valid during the call.
/// </summary>
public interface IBatchObserver
{
    /// <summary>Called once per layer per batch: deltas n x rows, inputs n x cols (bias column included).</summary>
    void OnBatch(int layer, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, int rows, int cols);
}

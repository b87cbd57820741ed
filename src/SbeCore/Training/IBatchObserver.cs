using SbeCore.Updates;

namespace SbeCore.Training;

/// <summary>
/// Sees every layer's batch around its weight update (diagnostics such as SBE's singular-vector error).
/// The spans are only valid during the call.
/// </summary>
public interface IBatchObserver
{
    /// <summary>Called once per layer per batch, before the update: deltas n x rows, inputs n x cols (bias column included).</summary>
    void OnBatch(int layer, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, int rows, int cols);

    /// <summary>Called right after <paramref name="rule"/> has applied the batch to layer <paramref name="layer"/>.</summary>
    void AfterUpdate(int layer, IUpdateRule rule);
}

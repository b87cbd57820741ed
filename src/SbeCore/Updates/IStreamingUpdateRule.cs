using SbeCore.Crossbar;

namespace SbeCore.Updates;

/// <summary>
/// A rule that can take a batch's pairs as they are produced, in several calls, and write once at the end without
/// keeping the batch (SBE: the pairs stream into its estimator, k (a + b) floats of state and nothing of size a x b).
/// <see cref="Training.Layers.StepwiseLayer"/> streams into such a rule and buffers the pairs for every other rule.
/// </summary>
public interface IStreamingUpdateRule : IUpdateRule
{
    /// <summary>Whether this instance streams (an option may need the batch twice, e.g. Rayleigh magnitudes).</summary>
    bool CanStream { get; }

    /// <summary>Takes n more pairs of the current batch: deltas n x Rows, inputs n x Cols (checked by the caller: finite,
    /// exact lengths).</summary>
    void Observe(ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n);

    /// <summary>Closes the batch observed so far and writes it as <see cref="IUpdateRule.Apply"/> would have written the
    /// same pairs at <paramref name="learningRate"/> (the same bits when they came in one call).</summary>
    void WriteObserved(IAnalogArray tile, float learningRate);
}

namespace SbeCore.Updates;

/// <summary>
/// A built-in rule's promise that its state is its layer's own (nothing shared with another layer's rule), so a network
/// may run several layers' updates side by side, and its estimate of the part of one batch's update that runs as a
/// serial chain the tile cannot split over threads (an estimator streaming the pairs one by one), in multiply-adds.
/// Rules outside SbeCore do not implement it: a network with one of them updates its layers in order.
/// </summary>
internal interface ILayerLocalRule
{
    /// <summary>Serial multiply-adds of one batch of <paramref name="pairs"/> rank-1 terms (0: the tile splits the work).</summary>
    long SerialWork(int pairs);
}

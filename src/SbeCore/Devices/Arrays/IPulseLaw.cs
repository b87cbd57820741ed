using SbeCore.Kernels;

namespace SbeCore.Devices.Arrays;

/// <summary>
/// A device law: what one pulse does to a vector of devices, with the law's per-device state held as one array per
/// field (scale_up[], scale_down[], slope_up[], ...). Written once over <see cref="ISimdLawOps{TVec}"/>, so the
/// Vector512, Vector256, Vector128 and one-lane scalar paths run the same operations lane by lane and give the same bits.
/// </summary>
internal interface IPulseLaw
{
    /// <summary>Whether each pulse takes one standard Gaussian (cycle-to-cycle noise).</summary>
    bool Noisy { get; }

    /// <summary>Copies the law's fields out of the tile's interleaved hidden parameters (device k at k * perDevice).</summary>
    void Load(ReadOnlySpan<float> parameters, int perDevice);

    /// <summary>
    /// The weights after one pulse on the devices k .. k + Count - 1 from <paramref name="w"/>, before clipping:
    /// <paramref name="up"/> is set in the lanes pulsed up, [<paramref name="lo"/>, <paramref name="hi"/>] are the
    /// devices' bounds and <paramref name="xi"/> their Gaussians (0 when the law is not noisy). Lanes without a pulse
    /// are computed too and discarded by the caller.
    /// </summary>
    TVec Pulse<TOps, TVec>(TVec w, TVec up, TVec lo, TVec hi, nuint k, TVec xi) where TOps : struct, ISimdLawOps<TVec> where TVec : struct;

    /// <summary>One pulse on device k alone (a sparse row's devices, a unit cell's): the same operations as one lane of
    /// <see cref="Pulse"/>, so the same bits; a law may read its fields from a per-device record here, since one device's
    /// fields scattered over several arrays cost a cache line each.</summary>
    float PulseOne(float w, bool up, float lo, float hi, int k, float xi);
}

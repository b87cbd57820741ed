using System.Runtime.InteropServices;

namespace SbeCore.Native;

// Checkpointing an estimator (ABI 1.3): its evolving state as an opaque byte blob (SbeEstimator.SaveState).
internal static unsafe partial class Exports
{
    /// <summary>sbe_estimator_get_state: *length gets the blob's size; buffer NULL with capacity 0 only asks for it;
    /// a smaller capacity is refused with nothing written.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_estimator_get_state")]
    public static int EstimatorGetState(nint estimator, byte* buffer, nuint capacity, nuint* length)
    {
        try
        {
            using var lease = Estimators.Use(estimator, "estimator", out var e);
            return CopyOut(e.SaveState(), terminate: false, "the state", buffer, capacity, length);
        }
        catch (Exception e) { return LastError.Fail(e); }
    }

    /// <summary>sbe_estimator_set_state: restores a blob from sbe_estimator_get_state of an estimator with the same shape,
    /// options and seed; anything else is refused (SBE_E_INVALID_ARGUMENT) and the estimator is unchanged.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_estimator_set_state")]
    public static int EstimatorSetState(nint estimator, byte* state, nuint length)
    {
        try
        {
            using var lease = Estimators.Use(estimator, "estimator", out var e);
            Args.NotNull(state, "state");
            if (length > (nuint)Args.MaxElements * 16) throw new SbeException(SbeStatus.InvalidArgument, $"length is {length}, larger than any estimator state.");
            e.LoadState(new ReadOnlySpan<byte>(state, (int)length));
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }
}

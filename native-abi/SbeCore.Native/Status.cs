namespace SbeCore.Native;

/// <summary>Status codes returned by every export; the values are part of the ABI (sbecore.h, enum sbe_status).</summary>
public enum SbeStatus
{
    /// <summary>Success.</summary>
    Ok = 0,
    /// <summary>A required pointer was NULL.</summary>
    NullPointer = -1,
    /// <summary>A size, length, count or enum value is out of range or inconsistent with another.</summary>
    InvalidArgument = -2,
    /// <summary>Input data contains NaN or +-Inf.</summary>
    NonFinite = -3,
    /// <summary>NULL, stale, double-freed, foreign or wrong-kind handle.</summary>
    BadHandle = -4,
    /// <summary>A config struct has an unexpected struct_size or version.</summary>
    BadStruct = -5,
    /// <summary>Allocation failed.</summary>
    OutOfMemory = -6,
    /// <summary>File could not be read or written, or its contents are not valid.</summary>
    Io = -7,
    /// <summary>The operation is not available in this build.</summary>
    NotSupported = -8,
    /// <summary>The object is not in a state that allows the call.</summary>
    InvalidState = -9,
    /// <summary>The handle is in use by another thread (a handle must not be used by two threads at once); nothing was done.</summary>
    Busy = -10,
    /// <summary>Unexpected internal failure (a bug: please report the message).</summary>
    Internal = -99,
}

/// <summary>An error with its ABI status; thrown inside shims and turned into a return code at the boundary.</summary>
internal sealed class SbeException(SbeStatus status, string message) : Exception(message)
{
    public SbeStatus Status { get; } = status;
}

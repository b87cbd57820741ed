using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SbeCore.Crossbar;
using SbeCore.Eigen;

namespace SbeCore.Native;

/// <summary>
/// The C ABI (sbecore.h). Every export is a thin shim over the span API: it validates handles, sizes and
/// data up front (so a rejected call changes nothing), catches every exception (one reaching the host
/// would abort it) and returns an sbe_status; the message of a failure is in sbe_last_error.
/// </summary>
internal static unsafe partial class Exports
{
    /// <summary>ABI major version: bumped on any incompatible change.</summary>
    public const int AbiMajor = 1;
    /// <summary>ABI minor version: bumped on additions (history in sbecore.h; a test checks the two agree).</summary>
    public const int AbiMinor = 9;

    internal static readonly HandleTable<CrossbarTile> Tiles = new(0x5BE1, "tile");
    internal static readonly HandleTable<SbeEstimator> Estimators = new(0x5BE2, "estimator");

    /// <summary>sbe_abi_version: (major &lt;&lt; 16) | minor.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_abi_version")]
    public static int AbiVersion() => (AbiMajor << 16) | AbiMinor;

    /// <summary>sbe_isa: bit mask of the vector paths live in this process (SBE_ISA_* in sbecore.h).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_isa")]
    public static uint Isa()
    {
        uint mask = 0;
        if (Vector128.IsHardwareAccelerated) mask |= 1;
        if (Vector256.IsHardwareAccelerated) mask |= 2;
        if (Vector512.IsHardwareAccelerated) mask |= 4;
        if (Avx2.IsSupported) mask |= 8;
        if (Fma.IsSupported) mask |= 16;
        if (Avx512F.IsSupported) mask |= 32;
        if (System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported) mask |= 64;
        return mask;
    }

    /// <summary>sbe_last_error: copies this thread's last failure message (NUL-terminated, truncated to cap) and returns its full length in bytes.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_last_error")]
    public static nuint LastErrorMessage(byte* buffer, nuint capacity)
    {
        try { return (nuint)LastError.CopyTo(buffer, capacity); }
        catch { return 0; }
    }

    /// <summary>sbe_clear_error: empties this thread's last failure message.</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_clear_error")]
    public static void ClearError() => LastError.Clear();

    /// <summary>sbe_diag_allocated_bytes: managed bytes allocated so far on the calling thread (to check that hot calls allocate nothing).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_diag_allocated_bytes")]
    public static ulong DiagAllocatedBytes() => (ulong)GC.GetAllocatedBytesForCurrentThread();

    /// <summary>sbe_live_handles: the number of live tiles, estimators and networks (any pointer may be NULL).</summary>
    [UnmanagedCallersOnly(EntryPoint = "sbe_live_handles")]
    public static int LiveHandles(nuint* tiles, nuint* estimators, nuint* networks)
    {
        try
        {
            if (tiles != null) *tiles = (nuint)Tiles.Count;
            if (estimators != null) *estimators = (nuint)Estimators.Count;
            if (networks != null) *networks = (nuint)NetworkCount();
            return 0;
        }
        catch (Exception e) { return LastError.Fail(e); }
    }
}

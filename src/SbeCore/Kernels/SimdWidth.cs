using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SbeCore.Kernels;

/// <summary>The vector width a kernel runs at, in bits (0 = scalar).</summary>
internal enum SimdWidth
{
    Scalar = 0,
    V128 = 128,
    V256 = 256,
    V512 = 512,
}

/// <summary>
/// The one width choice. Kernels ask <see cref="For"/> (float lanes), <see cref="ForDouble"/> (64-bit lanes) or, for
/// <see cref="Blas"/>, the ConstantStep pulse block and the pulse-mask builder, <see cref="Widest"/>, and switch on the
/// answer once per call.
/// </summary>
/// <remarks>
/// Short-input policy: the widest width this process accelerates whose vector fits the length, so a 10-float vector
/// takes Vector256 on an AVX-512 machine rather than scalar; below one 128-bit vector, scalar. Elements past the last
/// whole vector are finished by the scalar form of the same operation.
/// Tests pin a width with <see cref="Force"/> (per thread, for the lifetime of the returned scope) and enumerate
/// <see cref="Available"/>, so every width runs on one machine; a forced width above the hardware's is not available.
/// </remarks>
internal static class SimdDispatch
{
    [ThreadStatic] private static SimdWidth? t_forced;
    // Set by the first Force: until then no thread-static is read, which in the NativeAOT library (a shared object,
    // general-dynamic TLS) is a __tls_get_addr call on every kernel call.
    private static volatile bool s_forcedEver;

    /// <summary>The widest width this process accelerates (a JIT-time constant).</summary>
    public static SimdWidth Hardware =>
        Vector512.IsHardwareAccelerated ? SimdWidth.V512
        : Vector256.IsHardwareAccelerated ? SimdWidth.V256
        : Vector128.IsHardwareAccelerated ? SimdWidth.V128
        : SimdWidth.Scalar;

    /// <summary>The widths this process can run, widest first, scalar last.</summary>
    public static IReadOnlyList<SimdWidth> Available { get; } =
        new[] { SimdWidth.V512, SimdWidth.V256, SimdWidth.V128, SimdWidth.Scalar }.Where(w => w <= Hardware).ToArray();

    /// <summary>The widest width in force on this thread: the hardware's, or the one a test forced.</summary>
    public static SimdWidth Widest
    {
        // Inlined into every kernel's dispatch: a flag read; the thread-static lookup only once a width was ever forced.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_forcedEver ? ForcedOrHardware() : Hardware;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SimdWidth ForcedOrHardware() => t_forced ?? Hardware;

    /// <summary>The width for a loop over <paramref name="length"/> floats (the short-input policy above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdWidth For(int length) => Fit(Widest, length, 32);

    /// <summary>The width for a loop over <paramref name="length"/> doubles (half the lanes of <see cref="For"/>).</summary>
    public static SimdWidth ForDouble(int length) => Fit(Widest, length, 64);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SimdWidth Fit(SimdWidth widest, int length, int laneBits)
    {
        long bits = (long)length * laneBits;
        if (widest >= SimdWidth.V512 && bits >= 512) return SimdWidth.V512;
        if (widest >= SimdWidth.V256 && bits >= 256) return SimdWidth.V256;
        if (widest >= SimdWidth.V128 && bits >= 128) return SimdWidth.V128;
        return SimdWidth.Scalar;
    }

    /// <summary>Runs this thread's kernels at most at <paramref name="width"/> until the scope is disposed (tests and benchmarks).</summary>
    /// <exception cref="ArgumentException">The process does not accelerate <paramref name="width"/>.</exception>
    public static Scope Force(SimdWidth width)
    {
        if (!Available.Contains(width)) throw new ArgumentException($"width is {width}; this process runs at most {Hardware}.", nameof(width));
        var scope = new Scope(t_forced);
        t_forced = width;
        s_forcedEver = true;
        return scope;
    }

    /// <summary>This thread's forced width (null: none), for a worker thread to run under its caller's.</summary>
    internal static SimdWidth? Forced => t_forced;

    /// <summary>Runs this thread's kernels under <paramref name="forced"/> (a caller's <see cref="Forced"/>, already
    /// checked when it was forced) until the scope is disposed.</summary>
    internal static Scope Adopt(SimdWidth? forced)
    {
        var scope = new Scope(t_forced);
        t_forced = forced;
        return scope;
    }

    /// <summary>Restores the width in force before <see cref="Force"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly SimdWidth? _previous;
        internal Scope(SimdWidth? previous) => _previous = previous;
        public void Dispose() => t_forced = _previous;
    }
}

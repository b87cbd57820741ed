using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace SbeCore.Tests.Platform;

/// <summary>
/// What .ci/arm64 promises: under qemu-aarch64 the process really is arm64, and NEON (AdvSimd) drives the Vector128
/// paths, or, with DOTNET_EnableHWIntrinsic=0, nothing is accelerated (the scalar paths run). SBECORE_EXPECT
/// (set by .ci/arm64) says which; without it the tests only report.
/// </summary>
public class PlatformTests(ITestOutputHelper output)
{
    private static readonly string? s_expect = Environment.GetEnvironmentVariable("SBECORE_EXPECT");

    [Fact]
    public void ArchitectureAndVectorPathsAreTheExpectedOnes()
    {
        output.WriteLine($"{RuntimeInformation.ProcessArchitecture}, AdvSimd {AdvSimd.IsSupported}, Vector128 {Vector128.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}");
        switch (s_expect)
        {
            case "arm64-neon":
                Assert.Equal(Architecture.Arm64, RuntimeInformation.ProcessArchitecture);
                Assert.True(AdvSimd.IsSupported);
                Assert.True(AdvSimd.Arm64.IsSupported);
                Assert.True(Vector128.IsHardwareAccelerated);
                Assert.False(Vector256.IsHardwareAccelerated);   // so every kernel takes its Vector128 (NEON) path
                break;
            case "arm64-scalar":
                Assert.Equal(Architecture.Arm64, RuntimeInformation.ProcessArchitecture);
                Assert.False(AdvSimd.IsSupported);
                Assert.False(Vector128.IsHardwareAccelerated);
                break;
        }
    }
}

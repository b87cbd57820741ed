// xunit v2 sources compiled against xunit v3: ITestOutputHelper moved from Xunit.Abstractions to Xunit.
namespace Xunit.Abstractions
{
    internal static class V3Compat { }
}

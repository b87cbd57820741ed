using SbeCore.IO;

namespace SbeCore.Tests.IO;

public class CheckedSizeTests
{
    [Fact]
    public void ProductsThatOverflowOrPassTheCapAreRefused()
    {
        // 2^31-1 cubed overflows 64 bits; (2^31-1)^2 wraps a 32-bit product to 1: neither may pass.
        Assert.False(CheckedSize.TryProduct([int.MaxValue, int.MaxValue, int.MaxValue], long.MaxValue, out _));
        Assert.False(CheckedSize.TryProduct([int.MaxValue, int.MaxValue], 1L << 40, out _));
        Assert.False(CheckedSize.TryProduct([1L << 32, 1L << 32], long.MaxValue, out _)); // exactly 2^64 wraps to 0
        Assert.False(CheckedSize.TryProduct([10, 11], 109, out _));
        Assert.False(CheckedSize.TryProduct([-1, -1], 100, out _));
        Assert.True(CheckedSize.TryProduct([10, 11], 110, out long p));
        Assert.Equal(110, p);
        Assert.True(CheckedSize.TryProduct([0, int.MaxValue, int.MaxValue], 1, out p));
        Assert.Equal(0, p);
        Assert.True(CheckedSize.TryProduct([], 1, out p));
        Assert.Equal(1, p);
    }

    [Fact]
    public void SumsThatOverflowOrPassTheCapAreRefused()
    {
        Assert.False(CheckedSize.TrySum(long.MaxValue, 1, long.MaxValue, out _));
        Assert.False(CheckedSize.TrySum(60, 41, 100, out _));
        Assert.True(CheckedSize.TrySum(60, 40, 100, out long s));
        Assert.Equal(100, s);
    }
}

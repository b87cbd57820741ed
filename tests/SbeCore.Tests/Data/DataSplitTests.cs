using SbeCore.Data;

namespace SbeCore.Tests.Data;

public class DataSplitTests
{
    private static Dataset Numbered(string name, int count)
    {
        var images = new float[count * 3];
        for (int i = 0; i < images.Length; i++) images[i] = i;
        return new Dataset(name, images, Enumerable.Range(0, count).Select(i => i % 10).ToArray(), features: 3, classCount: 10);
    }

    [Fact]
    public void SubsetKeepsTheFirstImagesOfEachSideAndNamesThemApart()
    {
        var split = new DataSplit(Numbered("fashion-mnist/train", 7), Numbered("fashion-mnist/test", 5));
        var sub = split.Subset(4, 2);
        Assert.Equal(("fashion-mnist-4-2/train", "fashion-mnist-4-2/test"), (sub.Train.Name, sub.Test.Name));
        Assert.Equal(("fashion-mnist", "fashion-mnist-4-2"), (split.Name, sub.Name));
        Assert.Equal(split.Train.Images.AsSpan(0, 12).ToArray(), sub.Train.Images);
        Assert.Equal(split.Train.Labels.AsSpan(0, 4).ToArray(), sub.Train.Labels);
        Assert.Equal(split.Test.Images.AsSpan(0, 6).ToArray(), sub.Test.Images);
        Assert.Equal(2, sub.Test.Count);
    }

    [Theory]
    [InlineData(0, 1, "trainCount")]
    [InlineData(8, 1, "trainCount")]
    [InlineData(1, 0, "testCount")]
    [InlineData(1, 6, "testCount")]
    public void SubsetOutsideTheSetIsRejected(int train, int test, string parameter)
    {
        var split = new DataSplit(Numbered("a/train", 7), Numbered("a/test", 5));
        var e = Assert.Throws<ArgumentException>(() => split.Subset(train, test));
        Assert.Equal(parameter, e.ParamName);
    }
}

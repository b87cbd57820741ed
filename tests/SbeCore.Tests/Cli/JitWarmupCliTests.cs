namespace SbeCore.Tests.Cli;

/// <summary>The CLI's JIT warm-up (a throwaway network trained on another core while the data loads) leaves every
/// result unchanged: the same checkpoint bytes and history with and without it, for a pulsed device and for
/// `compare`'s four methods.</summary>
public sealed class JitWarmupCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-warmup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Dictionary<string, string> Off = new() { ["SBECORE_JIT_WARMUP"] = "0" };
    private static readonly Dictionary<string, string> On = new() { ["SBECORE_JIT_WARMUP"] = "1" };

    // history.csv without its last column (wall-clock seconds).
    private static string[] Rows(string dir) => [.. File.ReadAllLines(Path.Combine(dir, "history.csv")).Select(l => l[..l.LastIndexOf(',')])];

    [Theory]
    [InlineData("sbe", "ecram")]
    [InlineData("sgd", "constantstep")]
    [InlineData("minibatch", "ideal")]
    public void Train_gives_the_same_network_with_and_without_the_warm_up(string method, string device)
    {
        CliTests.WriteIdx(_dir, train: 48, test: 12);
        string[] Args(string name) => ["train", "--data", _dir, "-m", method, "--device", device, "--batch", "8", "--epochs", "2",
                                       "--out", Path.Combine(_dir, name), "--checkpoint", Path.Combine(_dir, name + ".sbenet")];
        var (code, _, stderr) = SbeCli.RunWith(Off, Args("off"));
        Assert.True(code == 0, stderr);
        (code, _, stderr) = SbeCli.RunWith(On, Args("on"));
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "off.sbenet")), File.ReadAllBytes(Path.Combine(_dir, "on.sbenet")));
        Assert.Equal(Rows(Path.Combine(_dir, "off")), Rows(Path.Combine(_dir, "on")));
    }

    [Fact]
    public void Compare_gives_the_same_histories_with_and_without_the_warm_up()
    {
        CliTests.WriteIdx(_dir, train: 48, test: 12);
        string[] Args(string name) => ["compare", "--data", _dir, "--epochs", "2", "--out", Path.Combine(_dir, name)];
        var (code, _, stderr) = SbeCli.RunWith(Off, Args("off"));
        Assert.True(code == 0, stderr);
        (code, _, stderr) = SbeCli.RunWith(On, Args("on"));
        Assert.True(code == 0, stderr);
        string[] off = Rows(Path.Combine(_dir, "off"));
        Assert.True(off.Length > 4, "every method's rows");
        Assert.Equal(off, Rows(Path.Combine(_dir, "on")));
    }
}

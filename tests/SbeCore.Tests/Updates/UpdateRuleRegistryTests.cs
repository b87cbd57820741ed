using SbeCore.Crossbar;
using SbeCore.Experiments;
using SbeCore.Numerics;
using SbeCore.Training;
using SbeCore.Updates;

namespace SbeCore.Tests.Updates;

/// <summary>The rule registry is the one declaration of a rule: a rule registered here is usable by name and id
/// everywhere the built-in ones are, and every rule's name, id and label round-trip (the C header and the Python
/// binding are checked against the registry in Native/RegistryListTests).</summary>
public class UpdateRuleRegistryTests
{
    /// <summary>A rule registered from outside the library: SGD's writes under another name (so its training must
    /// equal SGD's bit for bit), counting its instances.</summary>
    private sealed class SgdTwin(int rows, int cols) : IUpdateRule
    {
        private readonly SgdRule _inner = new(rows, cols);
        public string Name => "sgd-twin";
        public long RankOneWrites => _inner.RankOneWrites;
        public long PeripheralMemoryBytes => _inner.PeripheralMemoryBytes;
        public void Apply(IAnalogArray tile, ReadOnlySpan<float> deltas, ReadOnlySpan<float> inputs, int n, float learningRate) =>
            _inner.Apply(tile, deltas, inputs, n, learningRate);
    }

    private const UpdateMethod TwinId = (UpdateMethod)1000;

    private static readonly Lazy<UpdateRuleInfo> s_twin = new(() =>
    {
        var info = new UpdateRuleInfo(TwinId, "sgd-twin", ["twin"], HasRank: false, AbiId: null, WritesPerSample: true,
            "SGD under another name (a test rule)", r => new SgdTwin(r.Rows, r.Cols));
        UpdateRules.Register(info);
        return info;
    });

    [Fact]
    public void RuleRegisteredOutsideTheLibraryIsUsableByNameIdAndLabel()
    {
        var twin = s_twin.Value;
        Assert.IsType<SgdTwin>(UpdateRuleFactory.CreateByName("SGD-Twin", 3, 4));
        Assert.IsType<SgdTwin>(UpdateRuleFactory.CreateByName(" twin ", 3, 4));
        Assert.IsType<SgdTwin>(UpdateRuleFactory.Create(TwinId, 3, 4));
        Assert.Same(twin, UpdateRules.Get(TwinId));
        Assert.Equal("sgd-twin", SweepCell.LabelOf(TwinId, 7));
        Assert.True(SweepCell.TryParseLabel("sgd-twin", out var parsed));
        Assert.Equal(TwinId, parsed);
        Assert.False(SweepGrid.HasRank(TwinId));
        Assert.Contains("sgd-twin", UpdateRules.Names, StringComparison.Ordinal);

        // A network built by id trains with it, and SGD's writes under another name give SGD's weights bit for bit.
        int[] sizes = [12, 6, 3];
        var rng = new Xoshiro256(5);
        var x = new float[40 * 12];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextSingle();
        var y = new int[40];
        for (int i = 0; i < y.Length; i++) y[i] = rng.NextInt(3);
        var sgd = new Network(new NetworkOptions { LayerSizes = sizes, Method = UpdateMethod.Sgd, Seed = 3 });
        var viaTwin = new Network(new NetworkOptions { LayerSizes = sizes, Method = TwinId, Seed = 3 });
        sgd.TrainEpoch(x, y, batchSize: 1, learningRate: 0.05f, shuffleSeed: 2);
        viaTwin.TrainEpoch(x, y, batchSize: 1, learningRate: 0.05f, shuffleSeed: 2);
        for (int l = 0; l < 2; l++)
        {
            Assert.True(sgd.GetTile(l).Weights.SequenceEqual(viaTwin.GetTile(l).Weights));
            Assert.Equal(40, viaTwin.GetTile(l).Counters.RankOneWrites);
        }
    }

    [Fact]
    public void EveryRuleRoundTripsNameIdAndLabel()
    {
        _ = s_twin.Value;
        Assert.True(UpdateRules.All.Count >= 6);
        foreach (var rule in UpdateRules.All)
        {
            Assert.Same(rule, UpdateRules.Get(rule.Id));
            foreach (string spelling in rule.Spellings)
            {
                Assert.True(UpdateRules.TryFind(spelling.ToUpperInvariant(), out var found), spelling);
                Assert.Equal(rule.Id, found.Id);
            }
            foreach (int k in new[] { 1, 3, 128 })
            {
                string label = UpdateRules.Label(rule.Id, k);
                Assert.Equal(rule.HasRank ? $"{rule.Name}-{k}" : rule.Name, label);
                Assert.True(UpdateRules.TryParseLabel(label, out var id, out int rank), label);
                Assert.Equal((rule.Id, rule.HasRank ? k : 1), (id, rank));
            }
            if (rule.AbiId is { } abi)
            {
                Assert.True(UpdateRules.TryGetByAbiId(abi, out var byAbi));
                Assert.Same(rule, byAbi);
            }
        }
        Assert.Equal(UpdateRules.All.Count, UpdateRules.All.Select(r => r.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("svd-0")]
    [InlineData("svd")]
    [InlineData("sgd-1")]
    [InlineData("sbe-01x")]
    [InlineData("SBE-1")]
    [InlineData("truncated-svd-2")]
    [InlineData("")]
    public void MalformedLabelsAreRefused(string label) => Assert.False(UpdateRules.TryParseLabel(label, out _, out _));

    [Fact]
    public void BuiltInIdsAreTheCAbiValuesAndTheirNames()
    {
        string[] names = ["sgd", "minibatch", "svd", "sbe", "sbpca", "lrt"];
        UpdateMethod[] ids = [UpdateMethod.Sgd, UpdateMethod.MiniBatch, UpdateMethod.TruncatedSvd, UpdateMethod.Sbe, UpdateMethod.Sbpca, UpdateMethod.Lrt];
        for (int i = 0; i < ids.Length; i++)
        {
            var rule = UpdateRules.Get(ids[i]);
            Assert.Equal(names[i], rule.Name);
            Assert.Equal((uint)i, rule.AbiId);
            Assert.Equal(i, (int)rule.Id);
        }
    }

    [Fact]
    public void ClashesAndMalformedNamesAreRefusedAndChangeNothing()
    {
        _ = s_twin.Value;
        var before = UpdateRules.All;
        UpdateRuleInfo Rule(UpdateMethod id, string name, string[] aliases, uint? abi = null) =>
            new(id, name, aliases, HasRank: false, abi, WritesPerSample: false, "test", r => new SgdRule(r.Rows, r.Cols));
        Assert.Contains("already registered", Assert.Throws<ArgumentException>(() => UpdateRules.Register(Rule(UpdateMethod.Sbe, "fresh", []))).Message);
        Assert.Contains("already registered", Assert.Throws<ArgumentException>(() => UpdateRules.Register(Rule((UpdateMethod)2001, "sbe", []))).Message);
        Assert.Contains("already registered", Assert.Throws<ArgumentException>(() => UpdateRules.Register(Rule((UpdateMethod)2002, "fresh", ["mbgd"]))).Message);
        Assert.Contains("already registered", Assert.Throws<ArgumentException>(() => UpdateRules.Register(Rule((UpdateMethod)2003, "fresh", [], abi: 3))).Message);
        Assert.Contains("-digits", Assert.Throws<ArgumentException>(() => UpdateRules.Register(Rule((UpdateMethod)2004, "fresh-2", []))).Message);
        Assert.Contains("lower case", Assert.Throws<ArgumentException>(() => UpdateRules.Register(Rule((UpdateMethod)2005, "a,b", []))).Message);
        Assert.Contains("lower case", Assert.Throws<ArgumentException>(() => UpdateRules.Register(Rule((UpdateMethod)2006, "", []))).Message);
        Assert.Same(before, UpdateRules.All);
        Assert.False(UpdateRules.TryFind("fresh", out _));
    }

    [Fact]
    public void UnknownMethodsAreRefusedNamingTheRegisteredOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => UpdateRuleFactory.Create((UpdateMethod)77, 3, 4));
        Assert.Equal("method", e.ParamName);
        Assert.Contains("sbpca", e.Message);
        e = Assert.Throws<ArgumentException>(() => UpdateRuleFactory.CreateByName("adam", 3, 4));
        Assert.Equal("method", e.ParamName);
        Assert.Contains("lrt", e.Message);
    }
}

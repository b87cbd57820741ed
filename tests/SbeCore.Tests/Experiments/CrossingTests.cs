using SbeCore.Experiments;
using SbeCore.Updates;

namespace SbeCore.Tests.Experiments;

/// <summary>Threshold crossings recomputed from a cell's history (what `sbe report --thresholds` plots).</summary>
public class CrossingTests
{
    [Fact]
    public void FirstPointAtOrBelowTheThresholdElseCensoredAtTheLastPoint()
    {
        var cell = new CellResult
        {
            History = [new(0.5, 10, 0.9, 0.5), new(1, 20, 0.4, 0.7), new(1.5, 30, 0.3, 0.8), new(2, 40, 0.35, 0.8)],
        };
        Assert.Equal(new CrossingResult { Reached = true, Epoch = 1, RankOneWrites = 20 }, cell.CrossingOf(0.4));
        Assert.Equal(new CrossingResult { Reached = true, Epoch = 1.5, RankOneWrites = 30 }, cell.CrossingOf(0.31));
        Assert.Equal(new CrossingResult { Reached = false, Epoch = 2, RankOneWrites = 40 }, cell.CrossingOf(0.1));
        Assert.Equal(new CrossingResult(), new CellResult().CrossingOf(0.1));
    }

    [Theory]
    [InlineData(UpdateMethod.Sgd, 1)]
    [InlineData(UpdateMethod.MiniBatch, 4)]
    [InlineData(UpdateMethod.Sbe, 4)]
    public void AgreesWithTheCrossingsRecordedWhileTraining(UpdateMethod method, int batch)
    {
        var cell = CellRunner.Run(new SweepCell(method, 1, batch, "ideal", 3), TinyExperiment.Settings, TinyExperiment.Data, 0.2f, "fixed");
        Assert.True(cell.History.Count > 1);
        Assert.Equal(cell.LossBelow0_1, cell.CrossingOf(0.1));
        Assert.Equal(cell.LossBelow0_01, cell.CrossingOf(0.01));
        double mid = cell.History[cell.History.Count / 2].TrainLoss; // a threshold this tiny run does cross
        Assert.True(cell.CrossingOf(mid).Reached);
    }
}

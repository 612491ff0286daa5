using MLNet.Subspace.Analysis;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Reporting;

namespace MLNet.Subspace.Tests.Reporting;

public class BlockReportTests
{
    private static readonly BlockSegmentationOptions Fast = new() { Permutations = 199 };

    /// <summary>Two blocks of 6 layers, <paramref name="within"/> inside, <paramref name="between"/> across, unit diagonal, no noise.</summary>
    private static EpochArchitecture Epoch(int epoch, double within, double between)
    {
        const int l = 12;
        var s = new double[l, l];
        for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++) s[i, j] = i == j ? 1 : (i < 6) == (j < 6) ? within : between;
        var names = Enumerable.Range(0, l).Select(i => $"layer{i}").ToList();
        var matrix = new CkaMatrix(s, names, names, [], 1, 100);
        return new EpochArchitecture(epoch, new ArchitectureResult(matrix, BlockSegmentation.Find(s, Fast)));
    }

    [Fact]
    public void By_Epoch_Reads_The_Final_Blocks_At_Every_Epoch_So_A_Structure_That_Forms_Shows()
    {
        // Given a run whose first epoch has no blocks (every pair 0.5) and whose later epochs split into 0-5 / 6-11
        var epochs = new[] { Epoch(1, 0.5, 0.5), Epoch(2, 0.7, 0.4), Epoch(3, 0.9, 0.2) };

        var table = BlockReport.ByEpoch(epochs);

        Assert.Equal([1, 2, 3], table.Columns[BlockReport.Columns.Epoch].Cast<int>());
        Assert.Equal([1, 2, 2], table.Columns[BlockReport.Columns.Blocks].Cast<int>());
        Assert.Equal(["0", "0 6", "0 6"], table.Columns[BlockReport.Columns.Starts].Cast<string>());
        Assert.Equal(["0 6", "0 6"], table.Columns[BlockReport.Columns.MaximumGapStarts].Cast<string>().Skip(1));
        // The final epoch's blocks read at epoch 1: no contrast yet; then the planted means exactly.
        Assert.Equal([0.5, 0.7, 0.9], table.Columns[BlockReport.Columns.FinalBlocksWithinMean].Cast<double>().Select(v => Math.Round(v, 12)));
        Assert.Equal([0.5, 0.4, 0.2], table.Columns[BlockReport.Columns.FinalBlocksBetweenMean].Cast<double>().Select(v => Math.Round(v, 12)));
        Assert.True(double.IsNaN((double)table.Columns[BlockReport.Columns.BetweenMean][0]!));  // one chosen block: nothing between
        Assert.Equal(epochs[2].Architecture.Blocks.Score, (double)table.Columns[BlockReport.Columns.Score][2]!);
    }

    [Fact]
    public void By_Epoch_Refuses_No_Epochs() =>
        Assert.Contains("at least one epoch", Assert.Throws<ArgumentException>(() => BlockReport.ByEpoch([])).Message);
}

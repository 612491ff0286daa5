using MLNet.Subspace.Analysis;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Tests.Analysis;

public class NeighbourVoteTests
{
    // 0 -- 1 (0.5), 0 -- 2 (0.3), 0 -- 3 (0.3), 1 -- 2 (0.1); node 4 isolated. Classes: 0,1,1,0,1.
    private static readonly SparseMatrix Graph = Symmetric(5, (0, 1, 0.5), (0, 2, 0.3), (0, 3, 0.3), (1, 2, 0.1));
    private static readonly int[] Labels = [0, 1, 1, 0, 1];

    [Fact]
    public void Neighbours_Come_By_Descending_Weight_With_Normalised_Class_Scores()
    {
        var n = NeighbourVote.Of(AffinityGraph.FromWeights(Graph), Labels, 2, 0);

        Assert.Equal([1, 2, 3], n.Neighbours);                // ties (0.3) by index
        Assert.Equal([0.5, 0.3, 0.3], n.Weights);
        Assert.Equal(0.3 / 1.1, n.ClassScores[0], 12);       // node 3
        Assert.Equal(0.8 / 1.1, n.ClassScores[1], 12);       // nodes 1 and 2
        Assert.Equal(1, n.Predicted);
    }

    [Fact]
    public void Isolated_Input_Has_No_Prediction()
    {
        var n = NeighbourVote.Of(AffinityGraph.FromWeights(Graph), Labels, 2, 4);

        Assert.Empty(n.Neighbours);
        Assert.Equal([0.0, 0.0], n.ClassScores);
        Assert.Equal(-1, n.Predicted);
    }

    [Fact]
    public void Predict_Agrees_With_The_Per_Input_Vote()
    {
        var all = NeighbourVote.Predict(Graph, Labels, 2);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => NeighbourVote.Of(AffinityGraph.FromWeights(Graph), Labels, 2, i).Predicted), all);
        Assert.Equal([1, 0, 0, 0, -1], all);
    }

    [Fact]
    public void Agreement_Counts_Hand_Checked_Shares()
    {
        var a = PredictionAgreement.Of(truth: [0, 1, 1, 0], ssc: [0, 1, 0, -1], network: [0, 1, 0, 0]);

        Assert.Equal((4, 0.5, 0.75, 0.75), (a.Inputs, a.SscAccuracy, a.NetworkAccuracy, a.Agreement));
    }

    [Fact]
    public void Labels_Must_Match_The_Graph()
    {
        var e = Assert.Throws<ArgumentException>(() => NeighbourVote.Predict(Graph, [0, 1], 2));

        Assert.Contains("one label per graph node (5)", e.Message);
    }

    private static SparseMatrix Symmetric(int n, params (int I, int J, double W)[] edges)
    {
        var rows = edges.SelectMany(e => new[] { e.I, e.J }).ToArray();
        var cols = edges.SelectMany(e => new[] { e.J, e.I }).ToArray();
        var vals = edges.SelectMany(e => new[] { e.W, e.W }).ToArray();
        return SparseMatrix.FromTriplets(n, n, rows, cols, vals);
    }
}

using System.Text.Json;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Metrics;

namespace MLNet.Subspace.Tests.Numerics.Metrics;

public class MetricsTests
{
    public static IEnumerable<object[]> PeerCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("ssc", "metrics.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            yield return [
                c.GetProperty("truth").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                c.GetProperty("predicted").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                c.GetProperty("accuracy").GetDouble(), c.GetProperty("nmi").GetDouble(), c.GetProperty("ari").GetDouble()];
    }

    [Theory]
    [MemberData(nameof(PeerCases))]
    public void Scores_Match_Scikit_Learn(int[] truth, int[] predicted, double accuracy, double nmi, double ari)
    {
        Assert.Equal(accuracy, ClusteringMetrics.Accuracy(truth, predicted), 12);
        Assert.Equal(nmi, ClusteringMetrics.NormalizedMutualInformation(truth, predicted), 10);
        Assert.Equal(ari, ClusteringMetrics.AdjustedRandIndex(truth, predicted), 10);
    }

    [Fact]
    public void Nmi_Normalisations_Match_Values_Computed_By_Hand()
    {
        // Computed in Python from the contingency table (math.log, no library): I / H(truth) and I / ((H(truth) + H(pred)) / 2).
        int[] truth = [0, 0, 0, 1, 1, 2, 2, 2];
        int[] predicted = [0, 0, 0, 0, 1, 1, 1, 1];

        Assert.Equal(0.4803756539276559, ClusteringMetrics.NormalizedMutualInformation(truth, predicted, NmiNormalization.TruthEntropy), 12);
        Assert.Equal(0.585645106509765, ClusteringMetrics.NormalizedMutualInformation(truth, predicted, NmiNormalization.Arithmetic), 12);
        Assert.Equal(0.585645106509765, ClusteringMetrics.NormalizedMutualInformation(truth, predicted), 12);
    }

    [Fact]
    public void Relabelled_Partitions_Score_One()
    {
        int[] truth = [0, 0, 1, 1, 2, 2];
        int[] predicted = [2, 2, 0, 0, 1, 1];

        Assert.Equal(1.0, ClusteringMetrics.Accuracy(truth, predicted));
        Assert.Equal(1.0, ClusteringMetrics.NormalizedMutualInformation(truth, predicted), 12);
        Assert.Equal(1.0, ClusteringMetrics.AdjustedRandIndex(truth, predicted));
    }

    [Fact]
    public void Hungarian_Finds_The_Cheapest_Assignment()
    {
        // The greedy choice (0 -> 0, cost 1) is wrong; the optimum is 0 -> 1, 1 -> 0 (cost 2 + 2 = 4 < 1 + 9).
        var assignment = Hungarian.Solve(new double[,] { { 1, 2 }, { 2, 9 } });

        Assert.Equal([1, 0], assignment);
    }

    [Fact]
    public void Mismatched_Lengths_Are_Named()
    {
        var e = Assert.Throws<ArgumentException>(() => ClusteringMetrics.Accuracy([0, 1], [0]));

        Assert.Contains("Got 1", e.Message);
    }

    [Fact]
    public void Subspace_Preserving_Error_By_Hand()
    {
        // Sample 0 (class 0): 1 on sample 1 (class 0), 3 on sample 2 (class 1) -> 3/4 wrong; sample 1: all on class 0 -> 0;
        // sample 2: empty code -> not counted. Mean = 0.375.
        var codes = SparseMatrix.FromDense([0, 1, -3, 2, 0, 0, 0, 0, 0], 3, 3);

        Assert.Equal(0.375, SelfExpressionMetrics.SubspacePreservingError(codes, [0, 0, 1]), 12);
        Assert.Equal(1.0, SelfExpressionMetrics.NonZerosPerSample(codes));
        Assert.Equal(0.5, SelfExpressionMetrics.Sparsity(codes), 12);
    }

    [Fact]
    public void Connectivity_Of_Complete_Classes_Is_N_Over_N_Minus_1()
    {
        // Two classes, each a complete graph on 4 nodes: lambda_2 of L_sym of K_n is n/(n-1).
        var r = new List<int>(); var c = new List<int>(); var v = new List<double>();
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    if (i != j) { r.Add(4 * b + i); c.Add(4 * b + j); v.Add(1); }
        var w = SparseMatrix.FromTriplets(8, 8, r.ToArray(), c.ToArray(), v.ToArray());

        Assert.Equal(4.0 / 3, SelfExpressionMetrics.Connectivity(w, [0, 0, 0, 0, 1, 1, 1, 1]), 9);
        Assert.Equal(0.0, SelfExpressionMetrics.Connectivity(w, [0, 0, 1, 1, 0, 0, 1, 1]), 9); // classes split across blocks
    }
}

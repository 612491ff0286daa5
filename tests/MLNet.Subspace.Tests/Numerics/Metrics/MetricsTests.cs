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

    /// <summary>Sparse, negative and huge label values standing for the dense labels 0, 1, 2 (and 0..3 for the clusters).</summary>
    public static TheoryData<int[], int[]> SparseRelabellings => new()
    {
        { [0, 1_000_000, 2_000_000], [0, 1, 2, 3] },
        { [-7, 0, 5000], [-1, -2, -3, -4] },
        { [5000, 5001, 5002], [9, 1_000_000, 3, int.MinValue] },
        { [int.MaxValue, int.MinValue, 0], [0, 5000, 10_000, 15_000] },
    };

    private static readonly int[] DenseTruth = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2];
    private static readonly int[] DensePredicted = [0, 0, 1, 1, 1, 3, 2, 2, 0, 2];

    [Theory]
    [MemberData(nameof(SparseRelabellings))]
    public void Sparse_And_Negative_Labels_Score_As_The_Dense_Labels_They_Stand_For(int[] classValues, int[] clusterValues)
    {
        // Before: {0, 1e6, 2e6} built a 2e6 x 2e6 Hungarian cost matrix (out of memory) and one label of 5000 a 5001^3 solve.
        var truth = DenseTruth.Select(t => classValues[t]).ToArray();
        var predicted = DensePredicted.Select(p => clusterValues[p]).ToArray();

        Assert.Equal(ClusteringMetrics.Accuracy(DenseTruth, DensePredicted), ClusteringMetrics.Accuracy(truth, predicted), 14);
        Assert.Equal(ClusteringMetrics.NormalizedMutualInformation(DenseTruth, DensePredicted), ClusteringMetrics.NormalizedMutualInformation(truth, predicted), 14);
        Assert.Equal(ClusteringMetrics.NormalizedMutualInformation(DenseTruth, DensePredicted, NmiNormalization.TruthEntropy),
            ClusteringMetrics.NormalizedMutualInformation(truth, predicted, NmiNormalization.TruthEntropy), 14);
        Assert.Equal(ClusteringMetrics.AdjustedRandIndex(DenseTruth, DensePredicted), ClusteringMetrics.AdjustedRandIndex(truth, predicted), 14);

        // The self-expression diagnostics against the same relabelled classes.
        var codes = SparseMatrix.FromDense(Enumerable.Range(0, 100).Select(i => i / 10 == i % 10 ? 0.0 : Math.Sin(i)).ToArray(), 10, 10);
        var weights = SparseMatrix.FromDense(Enumerable.Range(0, 100).Select(i => i / 10 == i % 10 ? 0.0 : 1 + Math.Abs(Math.Sin(i / 10 + i % 10))).ToArray(), 10, 10);
        Assert.Equal(SelfExpressionMetrics.SubspacePreservingError(codes, DenseTruth), SelfExpressionMetrics.SubspacePreservingError(codes, truth), 14);
        Assert.Equal(SelfExpressionMetrics.Connectivity(weights, DenseTruth), SelfExpressionMetrics.Connectivity(weights, truth), 12);
    }

    [Fact]
    public void Dense_Labels_Keep_Their_Numbers_And_Sparse_Ones_Follow_Value_Order()
    {
        static void Same(int[] codes, int count, (int[] Codes, int Count) actual) { Assert.Equal(codes, actual.Codes); Assert.Equal(count, actual.Count); }
        Same([2, 0, 1, 0], 3, DenseLabels.Remap([2, 0, 1, 0]));
        Same([2, 0, 1, 0], 3, DenseLabels.Remap([1_000_000, -5, 7, -5]));
        Same([0, 1, 0], 2, DenseLabels.Remap([0, 2, 0])); // 1 unused: not dense, renumbered
        Same([], 0, DenseLabels.Remap(Array.Empty<int>()));
    }
}

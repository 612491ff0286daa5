using MLNet.Subspace.Analysis;
using MLNet.Subspace.ML;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Numerics.Synthetic;
using MLNet.Subspace.Models.Activations;

namespace MLNet.Subspace.Tests.Analysis;

/// <summary>
/// The analyses on synthetic "activations" whose answer is known: layer 0 is isotropic noise (no class
/// structure), layer 1 puts each class on its own subspace (perfect class structure).
/// </summary>
public class AnalysisPipelineTests
{
    private const int Classes = 4, PerClass = 30;
    private static readonly SscOptions Settings = new() { Solver = SscSolver.Admm };

    internal static LayerActivations Synthetic(int seed, double structure = 1.0, int[]? wrong = null)
    {
        var (structured, labels) = UnionOfSubspaces.Generate(ambient: 20, dimension: 3, subspaces: Classes, perSubspace: PerClass, seed: seed);
        var rng = new Random(seed + 100);
        int n = labels.Length, d = structured.Columns;
        var noise = Enumerable.Range(0, n * d).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var layer1 = new float[n * d];
        for (int i = 0; i < n * d; i++) layer1[i] = (float)(structure * structured.Values[i] + (1 - structure) * noise[i]);
        // The network is right except on the inputs in `wrong`, which it gives to the next class with confidence 0.9.
        var scores = new float[n * Classes];
        for (int i = 0; i < n; i++)
        {
            bool miss = wrong?.Contains(i) == true;
            int predicted = miss ? (labels[i] + 1) % Classes : labels[i];
            for (int c = 0; c < Classes; c++) scores[i * Classes + c] = c == predicted ? 0.9f - 0.01f * (i % 5) : 0.1f / (Classes - 1);
        }
        return new LayerActivations(["noise", "subspaces"], [[d], [d]], [noise, layer1], scores, Classes, labels, ["a", "b", "c", "d"]);
    }

    [Fact]
    public void Layerwise_Finds_Structure_Only_Where_There_Is_Some()
    {
        var acts = Synthetic(1);
        var graphs = LayerGraphs.BuildAll(acts, Settings);

        var result = LayerwiseAnalysis.Run(acts, graphs, seed: 1);

        Assert.Equal(["noise", "subspaces"], result.Table.Columns["layer"].Cast<string>());
        Assert.InRange(result.Modularity[0], -0.1, 0.15);         // noise: close to a random partition
        Assert.InRange(result.Modularity[1], 0.7, 0.75 + 1e-9);  // 4 disconnected equal classes: Q = 1 - 1/4
        Assert.Equal(1.0, (double)result.Table.Columns["spectral_accuracy"][1]!, 6);
        Assert.Equal(0.0, (double)result.Table.Columns["sp_error"][1]!, 6);
        Assert.Equal(1.0, result.DepthModularityCorrelation);
    }

    [Fact]
    public void Architecture_Matrix_Is_Symmetric_With_Unit_Diagonal()
    {
        var acts = Synthetic(2);
        var graphs = LayerGraphs.BuildAll(acts, Settings);

        var result = ArchitectureAnalysis.Run(graphs);

        Assert.Equal(1.0, result.SscCka[0, 0], 9);
        Assert.Equal(1.0, result.SscCka[1, 1], 9);
        Assert.Equal(result.SscCka[0, 1], result.SscCka[1, 0], 12);
        Assert.InRange(result.SscCka[0, 1], 0.0, 0.5);
        Assert.Equal("noise", result.Matrix.Columns["layer"][0]);
        // Two layers: splitting them costs the null-model penalty, so the best contiguous partition is one block scoring 0.
        Assert.Equal([(0, 1)], result.Blocks.Blocks.Select(b => (b.Start, b.End)));
        Assert.Equal(0.0, result.Blocks.Score, 12);
    }

    [Fact]
    public void Dynamics_Compare_Each_Epoch_With_The_Final_One()
    {
        var early = Synthetic(3, structure: 0.3);
        var final = Synthetic(3);
        var epochs = new[] { early, final }.Select((a, e) => new EpochGraphs(e + 1, a, LayerGraphs.BuildAll(a, Settings))).ToList();

        var result = TrainingDynamics.Run(epochs, threshold: 0.9);

        var ssc = result.PerEpoch.Columns["ssc_cka_to_final"].Cast<double?>().ToArray();
        var linear = result.PerEpoch.Columns["linear_cka_to_final"].Cast<double?>().ToArray();
        Assert.Equal(4, ssc.Length);                         // 2 layers x 2 epochs, layer-major
        Assert.Equal(1.0, ssc[1]!.Value, 9);                 // the final epoch against itself
        Assert.Equal(1.0, linear[3]!.Value, 9);
        Assert.Equal(1.0, ssc[0]!.Value, 9);                 // the noise layer is identical in both epochs
        Assert.True(ssc[2] < 0.9);                           // the structured layer changed
        Assert.Equal([1, 2], result.Settling.Columns["settle_epoch_ssc_cka"].Cast<int?>().Select(v => v!.Value));
    }

    [Fact]
    public void Neighbourhoods_Explain_The_Most_Confident_Mistakes_And_Score_Agreement()
    {
        var acts = Synthetic(4, wrong: [3, 40, 77]);
        var graphs = LayerGraphs.BuildAll(acts, Settings);

        var result = Neighbourhoods.Run(acts, graphs[^1], cases: 2);

        Assert.Equal("subspaces", result.Layer);
        Assert.Equal(2, result.Cases.Count);
        Assert.Equal([40, 77], result.Cases.Select(c => c.Input));  // confidences: 40 -> 0.90, 77 -> 0.88, 3 -> 0.87
        Assert.All(result.Cases, c => Assert.Equal(c.TrueLabel, c.Neighbourhood.Predicted));
        Assert.Equal(1.0, result.Agreement.SscAccuracy, 9);
        Assert.Equal(1 - 3.0 / acts.Count, result.Agreement.NetworkAccuracy, 9);
        Assert.Equal(1 - 3.0 / acts.Count, result.Agreement.Agreement, 9);
    }

    [Fact]
    public void Latent_Space_Embeds_Only_Correctly_Classified_Inputs()
    {
        var acts = Synthetic(5, wrong: [0, 1]);
        var graphs = LayerGraphs.BuildAll(acts, Settings);

        var embedding = Assert.Single(LatentSpace.Run(acts, graphs, [1], seed: 0));

        Assert.Equal(acts.Count - 2, embedding.Inputs.Length);
        Assert.DoesNotContain(0, embedding.Inputs);
        Assert.Equal(embedding.Inputs.Length, embedding.X.Length);
        Assert.All(embedding.X.Concat(embedding.Y), v => Assert.True(double.IsFinite(v)));
    }
}

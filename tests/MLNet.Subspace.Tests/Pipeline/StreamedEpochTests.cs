using System.Runtime.InteropServices;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Pipeline;
using MLNet.Subspace.Pipeline.Units;
using TorchSharp;
using static MLNet.Subspace.Tests.Numerics.Ssc.SscTestData;

namespace MLNet.Subspace.Tests.Pipeline;

/// <summary>The streamed route (layers and centred Grams on disk) against the in-memory computations it replaces.</summary>
public sealed class StreamedEpochTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("streamed-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Three layers of 60 inputs: ReLU features of different widths of one union of subspaces, plus noise.</summary>
    private static torch.Tensor[] Layers(torch.ScalarType dtype)
    {
        var x = Subspaces(per: 20, subspaces: 3, ambient: 40, dim: 4, noise: 0.05, seed: 5).X;
        var generator = new torch.Generator(11);
        return new[] { 70, 45, 90 }.Select(width =>
            torch.nn.functional.relu(x.matmul(torch.randn(40, width, torch.float64, generator: generator)) + 0.3).to(dtype)).ToArray();
    }

    private string Write(torch.Tensor layer, string name)
    {
        string path = Path.Combine(_folder, name);
        var values = layer.to(torch.float32).contiguous();
        ActivationMatrixFile.Write(path, MemoryMarshal.Cast<byte, float>(values.bytes), (int)layer.shape[1]);
        return path;
    }

    [Fact]
    public void The_Memory_Estimate_Of_A_Solver_On_The_Samples_Covers_Their_Copies()
    {
        // ADMM on a pretrained ResNet-18's first conv (N = 2,000, d = 802,816, float32) was killed at 22.4 GB of resident
        // memory before this estimate counted the solver's copies; OMP from the Gram holds the layer and three N x N matrices.
        long n = 2_000, d = 802_816;
        Assert.True(StreamedEpoch.LayerBytes(n, d, 4, solvesFromGram: false) > 22.4e9);
        Assert.Equal(4 * (n * d + 3 * n * n) + 64 * n, StreamedEpoch.LayerBytes(n, d, 4, solvesFromGram: true));
        Assert.Equal(4 * StreamedEpoch.LayerBytes(n, d, 4) - 3 * 4 * (3 * n * n) - 3 * 64 * n, StreamedEpoch.LayerBytes(n, d, 4, solvesFromGram: false));
    }

    [Fact]
    public void Row_block_products_give_the_dense_linear_cka_to_1e_10()
    {
        var layers = Layers(torch.float64);
        var grams = layers.Select(x => CkaMath.CenterGram(x.matmul(x.t()))).ToArray();
        foreach (long block in new long[] { 1, 7, 60, 100 })
        {
            var products = CentredGramProducts.Products(3, 60, block, (start, count) => grams.Select(g => g.narrow(0, start, count)).ToList());
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    Assert.Equal(CkaMath.Compute(layers[a], layers[b]), CentredGramProducts.Cka(products, a, b, ["0", "1", "2"]), 1e-10);
        }
    }

    [Fact]
    public void A_constant_layer_is_refused_by_name()
    {
        var products = new double[,] { { 4, 0 }, { 0, 0 } };
        var e = Assert.Throws<DegenerateCkaException>(() => CentredGramProducts.Cka(products, 0, 1, ["conv1", "conv2"]));
        Assert.Contains("'conv2'", e.Message);
    }

    [Fact]
    public async Task Layer_passes_and_epoch_cka_from_files_equal_the_in_memory_route()
    {
        var layers = Layers(torch.float32);
        var names = new[] { "a", "b", "c" };
        var final = layers.Select(x => (x * 1.5 + 0.2 * torch.sin(x)).to(torch.float32)).ToArray(); // another epoch of the same layers
        var ssc = new SscOptions { NonZeros = 5 };
        var grams = new List<string>();
        var finalGrams = new List<string>();
        for (int l = 0; l < 3; l++)
        {
            var (graph, _, _) = StreamedEpoch.Layer(Write(layers[l], $"x{l}.f32"), names[l], ssc, Path.Combine(_folder, $"g{l}.f32"));
            var (_, reference) = ssc.BuildGraph(layers[l]);
            // OMP from the Gram matrix: the codes of the samples route up to float32 rounding of G formed before the scaling.
            Assert.Equal(reference.Weights.NonZeroCount, graph.Graph.Weights.NonZeroCount);
            Assert.True(MaxAbsDiff(Dense(reference.Weights), Dense(graph.Graph.Weights)) < 1e-4);
            Assert.Equal(names[l], graph.Layer);
            grams.Add(Path.Combine(_folder, $"g{l}.f32"));
            StreamedEpoch.Layer(Write(final[l], $"f{l}.f32"), names[l], ssc, Path.Combine(_folder, $"fg{l}.f32"));
            finalGrams.Add(Path.Combine(_folder, $"fg{l}.f32"));
        }

        var (linear, toFinal) = StreamedEpoch.Cka(grams, finalGrams, names, 60);
        // As units (row blocks of 7 rows: 9 blocks, in 1, 3 and 9 units): the same bits as the pass in one process.
        var files = grams.Concat(finalGrams).Select(g => Path.GetFileName(g)).ToList();
        var hashes = files.Select(g => ActivationMatrixFile.ContentHash(Path.Combine(_folder, g))).ToList();
        var direct = CentredGramProducts.Products(6, 60, 7, (start, count) => StreamedEpoch.ReadRows(grams.Concat(finalGrams).ToList(), start, count, 60));
        foreach (int split in new[] { 1, 3, 9 })
        {
            var units = CkaRowsUnit.Plan(files, hashes, 60, split, $"cka-{split}", blockRows: 7);
            Assert.Equal(split, units.Count);
            Directory.CreateDirectory(Path.Combine(_folder, $"cka-{split}"));
            await new LocalUnitRunner(_folder).RunAsync(units);
            Assert.Equal(direct, CkaRowsUnit.Products(_folder, units));
        }
        Assert.NotEqual(CkaRowsUnit.Plan(files, hashes, 60, 3, "a", 7)[0].Id, CkaRowsUnit.Plan(files, [.. hashes.Skip(1), hashes[0]], 60, 3, "a", 7)[0].Id);

        // Float32 Gram files: within 1e-6 of float64 CKA of the same float32 activations.
        for (int a = 0; a < 3; a++)
        {
            Assert.Equal(CkaMath.Compute(layers[a].to(torch.float64), final[a].to(torch.float64)), toFinal[a], 1e-6);
            for (int b = 0; b < 3; b++)
                Assert.Equal(CkaMath.Compute(layers[a].to(torch.float64), layers[b].to(torch.float64)), linear[a, b], 1e-6);
        }
        Assert.True(toFinal.All(v => v < 0.9999)); // the final epoch differs: not the identity a wrong file pairing would give
    }

    [Fact]
    public void Solvers_that_need_the_samples_read_them_from_the_file_and_give_the_in_memory_graph()
    {
        var layer = Layers(torch.float32)[0];
        var ssc = new SscOptions { Solver = SscSolver.Admm };
        var (graph, _, _) = StreamedEpoch.Layer(Write(layer, "x.f32"), "a", ssc, Path.Combine(_folder, "g.f32"));
        var (_, reference) = ssc.BuildGraph(layer);
        Assert.Equal(Dense(reference.Weights), Dense(graph.Graph.Weights)); // the same samples, the same solver: bit-identical
    }

    [Fact]
    public void The_block_triangle_Gram_is_the_plain_product()
    {
        var x = torch.randn(StreamedEpoch.SymmetricBlocksFrom + 3, 17, torch.float32, generator: new torch.Generator(2));
        Assert.Equal(0f, (StreamedEpoch.Gram(x) - x.matmul(x.t())).abs().max().item<float>());
    }
}

using System.Reflection;
using Microsoft.ML;
using MLNet.Subspace.Data;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Pipeline;

namespace MLNet.Subspace.Tests.Models;

/// <summary>
/// A real pretrained network nobody here wrote: ML.NET's ImageNet-trained ResNet18.onnx, restored with the NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 (its path is baked into this assembly by the test project).
/// </summary>
[Collection(TorchGlobalRng.Name)]
public class OnnxResNet18Tests
{
    internal static string ResNet18 => typeof(OnnxResNet18Tests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResNet18Onnx").Value!;

    private static readonly OnnxActivationOptions FashionMnistProbes = new()
    {
        DataShape = [1, 28, 28],
        Normalization = OnnxInputNormalization.ImageNet,
        Pooling = ActivationPooling.GlobalAverage,
    };

    [Fact]
    public void The_Pretrained_ResNet18_From_Its_Package_Opens_With_A_Symbolic_Batch()
    {
        Assert.True(File.Exists(ResNet18), $"{ResNet18} is missing: the package restores with the test project.");
        var nodes = OnnxActivationSource.ListNodes(ResNet18);
        Assert.Equal(74, nodes.Count);
        Assert.Equal(22, nodes.Count(n => n.OpType == "Conv"));

        using var source = OnnxActivationSource.Open(ResNet18, FashionMnistProbes);

        Assert.Equal([3, 224, 224], source.ModelInputShape);
        Assert.Equal([1, 28, 28], source.InputShape);
        Assert.True(source.BatchesInputs, "the file's batch of 1 was made symbolic");
        Assert.Equal(22, source.LayerNames.Count);
        // Per-input Conv outputs before pooling: the 7x7 stem at 112x112, then 56, 28, 14 and 7 with 64..512 channels.
        Assert.Equal([64, 112, 112], source.Layers[0].Shape!);
        Assert.Equal([512, 7, 7], source.Layers[^1].Shape!);
        Assert.Equal([64, 128, 256, 512], source.LayerSizes.Distinct().ToArray());
        Assert.Equal(512, source.Classes); // the featurizer's pooled output, not ImageNet classes

        var test = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: false).Select([0, 1, 2]);
        var layers = source.LayerSizes.Select(d => new float[3 * d]).ToArray();
        source.Run(test.Pixels, 3, Enumerable.Repeat(true, 22).ToArray(), layers!, null);
        var single = source.LayerSizes.Select(d => new float[d]).ToArray();
        source.Run(test.Pixels[(2 * 784)..], 1, Enumerable.Repeat(true, 22).ToArray(), single!, null);
        for (int l = 0; l < 22; l++)
        {
            var batchRow = layers[l][(2 * source.LayerSizes[l])..];
            Assert.InRange(batchRow.Zip(single[l], (a, b) => Math.Abs(a - b)).Max(), 0, 1e-4 * Math.Max(1, single[l].Max(Math.Abs)));
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Fashion_Mnist_Probes_Are_Analysed_End_To_End()
    {
        using var temp = new TempFolder();
        var test = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: false);

        var result = AnalysisRun.AnalyzeOnnx(new MLContext(13), ResNet18, FashionMnistProbes with { DataShape = null }, test, temp.File("run"),
            new AnalysisRunOptions { ProbesPerClass = 3, BatchSize = 10, Seed = 13 });

        Assert.True(File.Exists(result.ReportPath));
        Assert.Equal(22, result.Findings.Layerwise.Layers.Count);
        Assert.All(result.Findings.Layerwise.Layers, r => Assert.InRange(r.Modularity, -0.5, 1));
        Assert.Empty(result.Findings.Embeddings); // the featurizer does not classify Fashion-MNIST
        Assert.Contains("its predictions are not read", result.Findings.Description);
        Assert.False(result.Findings.NetworkClassifiesProbes);
        Assert.Equal(22, result.Findings.Architecture.SscCka.RowNames.Count);
    }
}

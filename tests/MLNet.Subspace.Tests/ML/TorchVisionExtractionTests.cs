extern alias TorchVisionPackage;

using Microsoft.ML;
using MLNet.Subspace.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.ML;

/// <summary>
/// TorchVision 0.107's own networks (not our zoo) through the hook-based extractor: their forward passes run submodules
/// through <c>call</c>, so the forward hooks fire on every Conv2d and the layers read are the submodules' real outputs.
/// </summary>
[Collection(TorchGlobalRng.Name)]
public class TorchVisionExtractionTests
{
    private static ImageDataset Images(int rows, int side)
    {
        var rng = new Random(3);
        return new ImageDataset(Enumerable.Range(0, rows * 3 * side * side).Select(_ => (float)rng.NextDouble()).ToArray(),
            Enumerable.Range(0, rows).Select(i => i % 10).ToArray(), 3, side, side, Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray());
    }

    [Theory]
    [InlineData("resnet18", 20, "conv1", "layer4.1.conv2")]
    [InlineData("vgg11", 8, "features.0", "features.18")]
    public void Every_Conv_Hook_Fires_And_Reads_The_Submodules_Own_Output(string network, int convs, string first, string last)
    {
        Seeding.Apply(5);
        nn.Module<Tensor, Tensor> model = network == "resnet18" ? TorchVisionPackage::TorchSharp.torchvision.models.resnet18(num_classes: 10) : TorchVisionPackage::TorchSharp.torchvision.models.vgg11(num_classes: 10);
        model.eval();
        var images = Images(4, 32);

        var activations = LayerActivations.Extract(model, images, batchSize: 2);

        Assert.Equal(convs, activations.LayerNames.Count);
        Assert.Equal(first, activations.LayerNames[0]);
        Assert.Equal(last, activations.LayerNames[^1]);
        if (network == "resnet18") Assert.Equal(["layer2.0.downsample.0", "layer3.0.downsample.0", "layer4.0.downsample.0"], activations.LayerNames.Where(n => n.Contains("downsample")));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(images.Pixels, [4, 3, 32, 32]);
        // The first conv sees the input itself: its output computed directly must equal what the hook read.
        var conv = (nn.Module<Tensor, Tensor>)model.named_modules().Single(m => m.name == first).module;
        Assert.Equal(conv.forward(x).flatten(1).data<float>().ToArray(), activations.Layer(first).Values);
        var softmax = model.call(x).softmax(1).data<float>().ToArray();
        Assert.All(softmax.Zip(activations.Scores), p => Assert.Equal(p.First, p.Second, 5));
    }

    [Fact]
    public void A_TorchVision_Resnet18_Runs_As_An_MLNet_Transform_With_One_Column_Per_Conv()
    {
        Seeding.Apply(6);
        var model = TorchVisionPackage::TorchSharp.torchvision.models.resnet18(num_classes: 10);
        var ml = new MLContext(1);
        var data = Images(6, 32).ToDataView();

        var transformer = ml.Transforms.ExtractActivations(model, layerNames: ["layer1.0.conv1", "layer4.1.conv2"], pooling: ActivationPooling.GlobalAverage).Fit(data);
        var activations = transformer.Materialize(data, ColumnNames.Label);

        Assert.Equal(["layer1.0.conv1", "layer4.1.conv2"], activations.LayerNames);
        Assert.Equal([[64], [512]], activations.LayerShapes);
        Assert.Equal(6, activations.Count);
    }
}

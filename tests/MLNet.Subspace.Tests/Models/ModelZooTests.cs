using MLNet.Subspace.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Models;

[Collection(TorchGlobalRng.Name)]
public class ModelZooTests
{
    private static string[] ConvNames(nn.Module model)
        => model.named_modules().Where(m => m.module is Conv2d).Select(m => m.name).ToArray();

    [Theory]
    [InlineData("smallcnn-2-4", 1, 28)]
    [InlineData("smallcnn", 3, 32)]
    [InlineData("vgg11-4", 1, 28)]
    [InlineData("vgg16-4", 3, 32)]
    [InlineData("resnet18-4", 1, 28)]
    [InlineData("resnet50-2", 3, 32)]
    [InlineData("wrn-10-1", 3, 32)]
    [InlineData("WRN-16-1", 1, 28)]
    public void Create_Builds_A_Network_That_Maps_Images_To_Logits(string spec, int channels, int size)
    {
        // Given a spec and an input geometry
        using var model = ModelZoo.Create(spec, channels, size, classes: 7);
        model.eval();

        // When a batch runs through it
        using var _ = no_grad();
        using var logits = model.call(torch.randn(2, channels, size, size));

        // Then it returns one row of 7 logits per image
        Assert.Equal([2L, 7L], logits.shape);
        Assert.Equal([channels, size, size], model.InputShape);
    }

    [Fact]
    public void ResNet18_Has_20_Convs_In_Registration_Order_With_Shortcuts_After_The_Main_Path()
    {
        using var model = ResNet.Create(18, width: 4);

        var names = ConvNames(model);

        string[] expected =
        [
            "conv1",
            "layer1.0.conv1", "layer1.0.conv2", "layer1.1.conv1", "layer1.1.conv2",
            "layer2.0.conv1", "layer2.0.conv2", "layer2.0.shortcut.0", "layer2.1.conv1", "layer2.1.conv2",
            "layer3.0.conv1", "layer3.0.conv2", "layer3.0.shortcut.0", "layer3.1.conv1", "layer3.1.conv2",
            "layer4.0.conv1", "layer4.0.conv2", "layer4.0.shortcut.0", "layer4.1.conv1", "layer4.1.conv2",
        ];
        Assert.Equal(expected, names);
    }

    [Theory]
    [InlineData("resnet34", 36)] // the slides' "ResNet-36"
    [InlineData("resnet50", 53)] // the slides' "ResNet-53"
    [InlineData("wrn-16-4", 16)]
    [InlineData("wrn-28-10", 28)]
    [InlineData("vgg19", 16)]
    public void Conv_Counts_Match_The_Papers_Layer_Counts(string spec, int convs)
    {
        using var model = ModelZoo.Create(spec);
        Assert.Equal(convs, ConvNames(model).Length);
    }

    [Fact]
    public void WideResNet_Widths_Follow_16k_32k_64k()
    {
        using var model = new WideResNet(16, 4);
        var widths = model.named_modules().Where(m => m.module is Conv2d).Select(m => ((Conv2d)m.module).weight!.shape[0]).Distinct().ToArray();
        Assert.Equal([16L, 64, 128, 256], widths);
    }

    [Theory]
    [InlineData("resnet19")]
    [InlineData("vgg12")]
    [InlineData("wrn-15-2")]
    [InlineData("alexnet")]
    public void Create_Throws_Listing_Valid_Names_For_An_Unknown_Spec(string spec)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ModelZoo.Create(spec));
        Assert.Contains($"'{spec}'", e.Message);
        Assert.Contains("resnet18", e.Message);
        Assert.Contains("wrn-D-K", e.Message);
    }

    [Fact]
    public void Forward_Throws_Expected_Versus_Given_Shape_For_A_Wrong_Input()
    {
        using var model = ModelZoo.Create("smallcnn-2-4", 1, 28);
        var e = Assert.Throws<ArgumentException>(() => model.call(torch.zeros(1, 3, 32, 32)));
        Assert.Contains("[N, 1, 28, 28]", e.Message);
        Assert.Contains("[1, 3, 32, 32]", e.Message);
    }
}

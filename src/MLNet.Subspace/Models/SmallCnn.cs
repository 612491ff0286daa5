using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNet.Subspace.Models;

/// <summary>
/// A small convolutional classifier: a stack of
/// Conv3x3 -> BatchNorm -> ReLU (max-pooled every second block), global average pooling and a
/// linear head. Every submodule is invoked with <c>call</c> so forward hooks fire.
/// </summary>
/// <remarks>Cost per image: O(sum over layers of C_in C_out 9 H W) multiply-adds.</remarks>
public sealed class SmallCnn : ImageClassifier
{
    private readonly ModuleList<Module<Tensor, Tensor>> features = new();
    private readonly Linear classifier;

    /// <summary>Builds the network.</summary>
    /// <param name="inputChannels">1 for grey images, 3 for colour.</param>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="width">Channels of the first conv layer; doubled after every pooling.</param>
    /// <param name="convLayers">Number of conv layers (1 or more).</param>
    /// <param name="imageSize">Height and width of the (square) input images.</param>
    public SmallCnn(int inputChannels = 1, int classes = 10, int width = 16, int convLayers = 4, int imageSize = 28)
        : base(nameof(SmallCnn), inputChannels, imageSize, classes)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, $"The 'width' argument of SmallCnn must be positive. Got {width} instead.");
        if (convLayers < 1) throw new ArgumentOutOfRangeException(nameof(convLayers), convLayers, $"The 'convLayers' argument of SmallCnn must be 1 or more. Got {convLayers} instead.");
        int channels = inputChannels, outChannels = width, size = imageSize;
        for (int i = 0; i < convLayers; i++)
        {
            bool pool = i % 2 == 1 && size >= 2;
            var block = new List<(string, Module<Tensor, Tensor>)>
            {
                ("conv", Conv2d(channels, outChannels, 3, padding: 1, bias: false)),
                ("bn", BatchNorm2d(outChannels)),
                ("relu", ReLU(inplace: true)),
            };
            if (pool) block.Add(("pool", MaxPool2d(2)));
            features.Add(Sequential(block));
            channels = outChannels;
            if (pool) { outChannels *= 2; size /= 2; }
        }
        classifier = Linear(channels, classes);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        using var scope = NewDisposeScope();
        Tensor x = input;
        foreach (var block in features) x = block.call(x);
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return classifier.call(x).MoveToOuterDisposeScope();
    }
}

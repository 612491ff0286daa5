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
public sealed class SmallCnn : Module<Tensor, Tensor>
{
    private readonly ModuleList<Module<Tensor, Tensor>> features = new();
    private readonly Linear classifier;

    /// <summary>Builds the network.</summary>
    /// <param name="inputChannels">1 for grey images, 3 for colour.</param>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="width">Channels of the first conv layer; doubled after every pooling.</param>
    /// <param name="convLayers">Number of conv layers (1 or more).</param>
    public SmallCnn(int inputChannels = 1, int classes = 10, int width = 16, int convLayers = 4) : base(nameof(SmallCnn))
    {
        if (inputChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, "Must be positive.");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "A classifier needs at least 2 classes.");
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "Must be positive.");
        if (convLayers < 1) throw new ArgumentOutOfRangeException(nameof(convLayers), convLayers, "Must be 1 or more.");
        int channels = inputChannels, outChannels = width;
        for (int i = 0; i < convLayers; i++)
        {
            var block = new List<(string, Module<Tensor, Tensor>)>
            {
                ("conv", Conv2d(channels, outChannels, 3, padding: 1, bias: false)),
                ("bn", BatchNorm2d(outChannels)),
                ("relu", ReLU()),
            };
            if (i % 2 == 1) block.Add(("pool", MaxPool2d(2)));
            features.Add(Sequential(block));
            channels = outChannels;
            if (i % 2 == 1) outChannels *= 2;
        }
        classifier = Linear(channels, classes);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = input;
        foreach (var block in features) x = block.call(x);
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return classifier.call(x).MoveToOuterDisposeScope();
    }
}

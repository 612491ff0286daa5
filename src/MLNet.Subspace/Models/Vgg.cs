using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNet.Subspace.Models;

/// <summary>
/// VGG-n with batch normalisation for small images (CIFAR style): stages of Conv3x3 -> BN -> ReLU
/// separated by 2x2 max pooling (ceil mode, so 28x28 inputs also reach 1x1), global average pooling
/// and one linear head. Variants are data: the number of conv layers per stage.
/// </summary>
/// <remarks>
/// Layer names: <c>features.{i}</c> for each stage (a Sequential of <c>conv{j}</c>, <c>bn{j}</c>,
/// <c>relu{j}</c>, <c>pool</c>), then <c>classifier</c>. Cost per image: O(sum over layers of
/// C_in C_out 9 H W) multiply-adds (VGG-11 at 32x32 with width 64: ~0.15 GFLOP).
/// </remarks>
public sealed class Vgg : ImageClassifier
{
    /// <summary>Conv layers per stage of the standard depths (11, 13, 16, 19).</summary>
    public static IReadOnlyDictionary<int, int[]> StandardDepths { get; } = new Dictionary<int, int[]>
    {
        [11] = [1, 1, 2, 2, 2],
        [13] = [2, 2, 2, 2, 2],
        [16] = [2, 2, 3, 3, 3],
        [19] = [2, 2, 4, 4, 4],
    };

    private readonly ModuleList<Module<Tensor, Tensor>> features = new();
    private readonly Linear classifier;

    /// <summary>Builds a VGG with the given number of conv layers per stage.</summary>
    /// <param name="layersPerStage">Conv layers in each of the (usually five) stages.</param>
    /// <param name="inputChannels">1 or 3.</param>
    /// <param name="imageSize">Height and width of the input.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="width">Channels of the first stage (64 in the paper's VGG); doubled per stage up to 8x.</param>
    public Vgg(IReadOnlyList<int> layersPerStage, int inputChannels = 3, int imageSize = 32, int classes = 10, int width = 64)
        : base("Vgg", inputChannels, imageSize, classes)
    {
        ArgumentNullException.ThrowIfNull(layersPerStage);
        if (layersPerStage.Count == 0 || layersPerStage.Any(n => n < 1))
            throw new ArgumentOutOfRangeException(nameof(layersPerStage), $"The 'layersPerStage' argument of Vgg must list one or more stages of 1 or more layers. Got [{string.Join(", ", layersPerStage)}] instead.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, $"The 'width' argument of Vgg must be positive. Got {width} instead.");
        int channels = inputChannels;
        for (int s = 0; s < layersPerStage.Count; s++)
        {
            int outChannels = width << Math.Min(s, 3);
            var stage = new List<(string, Module<Tensor, Tensor>)>();
            for (int j = 0; j < layersPerStage[s]; j++)
            {
                stage.Add(($"conv{j}", Conv2d(channels, outChannels, 3, padding: 1, bias: false)));
                stage.Add(($"bn{j}", BatchNorm2d(outChannels)));
                stage.Add(($"relu{j}", ReLU(inplace: true)));
                channels = outChannels;
            }
            stage.Add(("pool", MaxPool2d(2, ceil_mode: true)));
            features.Add(Sequential(stage));
        }
        classifier = Linear(channels, classes);
        RegisterComponents();
    }

    /// <summary>VGG-<paramref name="depth"/> for depth 11, 13, 16 or 19.</summary>
    /// <param name="depth">11, 13, 16 or 19.</param>
    /// <param name="inputChannels">1 or 3.</param>
    /// <param name="imageSize">Height and width of the input.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="width">Channels of the first stage.</param>
    /// <returns>The network.</returns>
    public static Vgg Create(int depth, int inputChannels = 3, int imageSize = 32, int classes = 10, int width = 64)
        => StandardDepths.TryGetValue(depth, out var layers)
            ? new Vgg(layers, inputChannels, imageSize, classes, width)
            : throw new ArgumentOutOfRangeException(nameof(depth), depth, $"The 'depth' argument of Vgg must be one of {string.Join(", ", StandardDepths.Keys)}. Got {depth} instead.");

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        using var scope = NewDisposeScope();
        Tensor x = input;
        foreach (var stage in features) x = stage.call(x);
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return classifier.call(x).MoveToOuterDisposeScope();
    }
}

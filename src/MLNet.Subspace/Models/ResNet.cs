using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNet.Subspace.Models;

/// <summary>
/// ResNet-n with a CIFAR-style stem (one 3x3 conv, stride 1, no max pooling) for 28x28 and 32x32
/// inputs: four stages of residual blocks with strides 1, 2, 2, 2, global average pooling and a
/// linear head. Shortcuts that change shape are a 1x1 conv (stride s) plus batch norm.
/// Variants are data: a block kind and the number of blocks per stage.
/// </summary>
/// <remarks>
/// Layer names follow torchvision: <c>conv1</c>, <c>bn1</c>, <c>layer{1..4}.{b}.conv{1..3}</c>,
/// <c>layer{s}.{b}.shortcut.0</c> (the 1x1 conv) and <c>.shortcut.1</c> (its batch norm), <c>fc</c>.
/// Within a block the shortcut is registered after the main path, so the registration order of the
/// convs is conv1, conv2, (conv3), shortcut. ResNet-18 has 20 Conv2d modules (17 + 3 shortcuts),
/// ResNet-34 has 36. Cost: ResNet-18 at 32x32 is ~0.56 GFLOP per image.
/// </remarks>
public sealed class ResNet : ImageClassifier
{
    /// <summary>Block kind and blocks per stage of the standard depths.</summary>
    public static IReadOnlyDictionary<int, (ResNetBlock Block, int[] Layers)> StandardDepths { get; } = new Dictionary<int, (ResNetBlock, int[])>
    {
        [18] = (ResNetBlock.Basic, [2, 2, 2, 2]),
        [34] = (ResNetBlock.Basic, [3, 4, 6, 3]),
        [50] = (ResNetBlock.Bottleneck, [3, 4, 6, 3]),
        [101] = (ResNetBlock.Bottleneck, [3, 4, 23, 3]),
        [152] = (ResNetBlock.Bottleneck, [3, 8, 36, 3]),
    };

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ModuleList<Module<Tensor, Tensor>> layer1 = new();
    private readonly ModuleList<Module<Tensor, Tensor>> layer2 = new();
    private readonly ModuleList<Module<Tensor, Tensor>> layer3 = new();
    private readonly ModuleList<Module<Tensor, Tensor>> layer4 = new();
    private readonly Linear fc;

    /// <summary>Builds a ResNet from its block kind and the blocks per stage (one to four stages).</summary>
    /// <param name="block">Basic or bottleneck blocks.</param>
    /// <param name="layers">Blocks in each stage, e.g. [2, 2, 2, 2] for ResNet-18.</param>
    /// <param name="inputChannels">1 or 3.</param>
    /// <param name="imageSize">Height and width of the input.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="width">Channels of the stem and first stage (64 as in the paper); doubled per stage.</param>
    public ResNet(ResNetBlock block, IReadOnlyList<int> layers, int inputChannels = 3, int imageSize = 32, int classes = 10, int width = 64)
        : base("ResNet", inputChannels, imageSize, classes)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count is < 1 or > 4 || layers.Any(n => n < 1))
            throw new ArgumentOutOfRangeException(nameof(layers), $"The 'layers' argument of ResNet must list 1 to 4 stages of 1 or more blocks. Got [{string.Join(", ", layers)}] instead.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, $"The 'width' argument of ResNet must be positive. Got {width} instead.");
        int expansion = block == ResNetBlock.Basic ? 1 : 4;
        conv1 = Conv2d(inputChannels, width, 3, padding: 1, bias: false);
        bn1 = BatchNorm2d(width);
        var stages = new[] { layer1, layer2, layer3, layer4 };
        int inPlanes = width;
        for (int s = 0; s < layers.Count; s++)
        {
            int planes = width << s;
            for (int b = 0; b < layers[s]; b++)
            {
                int stride = b == 0 && s > 0 ? 2 : 1;
                stages[s].Add(block == ResNetBlock.Basic
                    ? new BasicBlock(inPlanes, planes, stride)
                    : new BottleneckBlock(inPlanes, planes, stride));
                inPlanes = planes * expansion;
            }
        }
        fc = Linear(inPlanes, classes);
        RegisterComponents();
    }

    /// <summary>ResNet-<paramref name="depth"/> for depth 18, 34, 50, 101 or 152.</summary>
    /// <param name="depth">18, 34, 50, 101 or 152.</param>
    /// <param name="inputChannels">1 or 3.</param>
    /// <param name="imageSize">Height and width of the input.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="width">Channels of the first stage.</param>
    /// <returns>The network.</returns>
    public static ResNet Create(int depth, int inputChannels = 3, int imageSize = 32, int classes = 10, int width = 64)
        => StandardDepths.TryGetValue(depth, out var v)
            ? new ResNet(v.Block, v.Layers, inputChannels, imageSize, classes, width)
            : throw new ArgumentOutOfRangeException(nameof(depth), depth, $"The 'depth' argument of ResNet must be one of {string.Join(", ", StandardDepths.Keys)}. Got {depth} instead.");

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        using var scope = NewDisposeScope();
        var x = functional.relu(bn1.call(conv1.call(input)), inplace: true);
        foreach (var stage in new[] { layer1, layer2, layer3, layer4 })
            foreach (var block in stage) x = block.call(x);
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return fc.call(x).MoveToOuterDisposeScope();
    }

    /// <summary>A 1x1 conv + batch norm shortcut when the shape changes, else null.</summary>
    internal static Sequential? Shortcut(int inPlanes, int outPlanes, int stride)
        => stride == 1 && inPlanes == outPlanes ? null
            : Sequential(Conv2d(inPlanes, outPlanes, 1, stride: stride, bias: false), BatchNorm2d(outPlanes));

    private sealed class BasicBlock : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d bn2;
        private readonly Sequential? shortcut;

        public BasicBlock(int inPlanes, int planes, int stride) : base(nameof(BasicBlock))
        {
            conv1 = Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
            bn1 = BatchNorm2d(planes);
            conv2 = Conv2d(planes, planes, 3, padding: 1, bias: false);
            bn2 = BatchNorm2d(planes);
            shortcut = Shortcut(inPlanes, planes, stride);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = functional.relu(bn1.call(conv1.call(x)), inplace: true);
            y = bn2.call(conv2.call(y));
            y = y.add_(shortcut is null ? x : shortcut.call(x));
            return functional.relu(y, inplace: true);
        }
    }

    private sealed class BottleneckBlock : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d bn2;
        private readonly Conv2d conv3;
        private readonly BatchNorm2d bn3;
        private readonly Sequential? shortcut;

        public BottleneckBlock(int inPlanes, int planes, int stride) : base(nameof(BottleneckBlock))
        {
            conv1 = Conv2d(inPlanes, planes, 1, bias: false);
            bn1 = BatchNorm2d(planes);
            conv2 = Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
            bn2 = BatchNorm2d(planes);
            conv3 = Conv2d(planes, planes * 4, 1, bias: false);
            bn3 = BatchNorm2d(planes * 4);
            shortcut = Shortcut(inPlanes, planes * 4, stride);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = functional.relu(bn1.call(conv1.call(x)), inplace: true);
            y = functional.relu(bn2.call(conv2.call(y)), inplace: true);
            y = bn3.call(conv3.call(y));
            y = y.add_(shortcut is null ? x : shortcut.call(x));
            return functional.relu(y, inplace: true);
        }
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNet.Subspace.Models;

/// <summary>
/// WideResNet-d-k (Zagoruyko and Komodakis 2016), the network of the paper's CIFAR-10 modularity
/// study (WRN-28-10): a 3x3 stem conv with 16 channels, three groups of n = (d - 4) / 6
/// pre-activation blocks (BN -> ReLU -> Conv3x3, twice) with 16k, 32k and 64k channels and strides
/// 1, 2, 2, a final BN -> ReLU, global average pooling and a linear head. A block whose shape changes
/// has a 1x1 shortcut conv applied to the pre-activated input.
/// </summary>
/// <remarks>
/// Layer names: <c>conv1</c>, <c>block{1..3}.{b}.conv{1,2}</c>, <c>block{g}.{b}.shortcut</c>,
/// <c>bn</c>, <c>fc</c>. WRN-16-4 has 16 Conv2d modules (13 + 3 shortcuts). Cost grows as k^2:
/// WRN-28-10 at 32x32 is ~5.2 GFLOP per image.
/// </remarks>
public sealed class WideResNet : ImageClassifier
{
    private readonly Conv2d conv1;
    private readonly ModuleList<Module<Tensor, Tensor>> block1 = new();
    private readonly ModuleList<Module<Tensor, Tensor>> block2 = new();
    private readonly ModuleList<Module<Tensor, Tensor>> block3 = new();
    private readonly BatchNorm2d bn;
    private readonly Linear fc;

    /// <summary>Builds WRN-<paramref name="depth"/>-<paramref name="widenFactor"/>.</summary>
    /// <param name="depth">Total depth d; d - 4 must be a positive multiple of 6 (10, 16, 22, 28, 40, ...).</param>
    /// <param name="widenFactor">Width multiplier k (1 or more).</param>
    /// <param name="inputChannels">1 or 3.</param>
    /// <param name="imageSize">Height and width of the input.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="dropout">Dropout between the two convs of a block (0 = none, as in the paper's runs).</param>
    public WideResNet(int depth, int widenFactor, int inputChannels = 3, int imageSize = 32, int classes = 10, double dropout = 0)
        : base("WideResNet", inputChannels, imageSize, classes)
    {
        if (depth < 10 || (depth - 4) % 6 != 0)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, $"The 'depth' argument of WideResNet must be 6n + 4 for n >= 1 (10, 16, 22, 28, 40, ...). Got {depth} instead.");
        if (widenFactor < 1) throw new ArgumentOutOfRangeException(nameof(widenFactor), widenFactor, $"The 'widenFactor' argument of WideResNet must be 1 or more. Got {widenFactor} instead.");
        if (dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"The 'dropout' argument of WideResNet must be in [0, 1). Got {dropout} instead.");
        int n = (depth - 4) / 6;
        int[] widths = [16 * widenFactor, 32 * widenFactor, 64 * widenFactor];
        conv1 = Conv2d(inputChannels, 16, 3, padding: 1, bias: false);
        int inPlanes = 16;
        var groups = new[] { block1, block2, block3 };
        for (int g = 0; g < 3; g++)
        {
            for (int b = 0; b < n; b++)
            {
                groups[g].Add(new PreActBlock(inPlanes, widths[g], b == 0 && g > 0 ? 2 : 1, dropout));
                inPlanes = widths[g];
            }
        }
        bn = BatchNorm2d(inPlanes);
        fc = Linear(inPlanes, classes);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        using var scope = NewDisposeScope();
        var x = conv1.call(input);
        foreach (var group in new[] { block1, block2, block3 })
            foreach (var block in group) x = block.call(x);
        x = functional.relu(bn.call(x));
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return fc.call(x).MoveToOuterDisposeScope();
    }

    private sealed class PreActBlock : Module<Tensor, Tensor>
    {
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn2;
        private readonly Dropout? dropout;
        private readonly Conv2d conv2;
        private readonly Conv2d? shortcut;

        public PreActBlock(int inPlanes, int planes, int stride, double dropoutRate) : base(nameof(PreActBlock))
        {
            bn1 = BatchNorm2d(inPlanes);
            conv1 = Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
            bn2 = BatchNorm2d(planes);
            dropout = dropoutRate > 0 ? Dropout(dropoutRate) : null;
            conv2 = Conv2d(planes, planes, 3, padding: 1, bias: false);
            shortcut = stride == 1 && inPlanes == planes ? null : Conv2d(inPlanes, planes, 1, stride: stride, bias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var a = functional.relu(bn1.call(x));
            var y = conv1.call(a);
            y = functional.relu(bn2.call(y));
            if (dropout is not null) y = dropout.call(y);
            y = conv2.call(y);
            return y.add_(shortcut is null ? x : shortcut.call(a));
        }
    }
}

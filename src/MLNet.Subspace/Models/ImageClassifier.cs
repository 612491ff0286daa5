using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Models;

/// <summary>
/// A convolutional image classifier that states the input it was built for, so callers can check
/// shapes before a forward pass fails deep inside libtorch.
/// </summary>
/// <remarks>
/// Every submodule of the zoo's networks is invoked with <c>call</c> (never <c>forward</c>) so forward
/// hooks fire on every layer; a module invoked through <c>forward</c> would be invisible to
/// <see cref="ML.ActivationExtractorEstimator"/>.
/// </remarks>
public abstract class ImageClassifier : nn.Module<Tensor, Tensor>
{
    /// <summary>Initialises the common description.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="inputChannels">1 for grey images, 3 for colour.</param>
    /// <param name="imageSize">Height and width of the square input (28 or 32 in the paper's studies).</param>
    /// <param name="classes">Number of output classes.</param>
    protected ImageClassifier(string name, int inputChannels, int imageSize, int classes) : base(name)
    {
        if (inputChannels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, $"The 'inputChannels' argument of {name} must be 1 or 3. Got {inputChannels} instead.");
        if (imageSize < 8)
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, $"The 'imageSize' argument of {name} must be 8 or more (28 and 32 are the studied sizes). Got {imageSize} instead.");
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"The 'classes' argument of {name} must be 2 or more. Got {classes} instead.");
        InputChannels = inputChannels;
        ImageSize = imageSize;
        Classes = classes;
    }

    /// <summary>Channels of the input images.</summary>
    public int InputChannels { get; }

    /// <summary>Height and width of the input images.</summary>
    public int ImageSize { get; }

    /// <summary>Number of output classes (length of the logits).</summary>
    public int Classes { get; }

    /// <summary>The <see cref="ModelZoo.Create"/> spec this network was built from (lower case), or null when it was constructed directly.</summary>
    public string? Spec { get; internal set; }

    /// <summary>The shape of one input, channels x height x width.</summary>
    public int[] InputShape => [InputChannels, ImageSize, ImageSize];

    /// <summary>Checks a batch's shape against <see cref="InputShape"/> and throws a clear error when they differ.</summary>
    /// <param name="input">A batch of shape N x C x H x W.</param>
    /// <exception cref="ArgumentException">The batch is not N x <see cref="InputShape"/>.</exception>
    protected void CheckInput(Tensor input)
    {
        var s = input.shape;
        if (s.Length != 4 || s[1] != InputChannels || s[2] != ImageSize || s[3] != ImageSize)
            throw new ArgumentException(
                $"{GetName()} expects inputs of shape [N, {InputChannels}, {ImageSize}, {ImageSize}]. Got [{string.Join(", ", s)}] instead.", nameof(input));
    }
}

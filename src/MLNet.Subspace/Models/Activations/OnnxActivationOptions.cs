namespace MLNet.Subspace.Models.Activations;

/// <summary>
/// How <see cref="OnnxActivationSource"/> reads an ONNX network: which nodes are layers, how probe inputs are shaped
/// for it, and which output holds the class scores. Every default is in <see cref="Defaults"/>.
/// </summary>
public sealed record OnnxActivationOptions
{
    /// <summary>Defaults, defined once; documentation refers here instead of repeating them.</summary>
    public static class Defaults
    {
        /// <summary>Operator types read when neither <see cref="LayerNames"/> nor <see cref="LayerPattern"/> is given: Conv (the paper's choice).</summary>
        public static readonly IReadOnlyList<string> OpTypes = ["Conv"];
        /// <summary>Layer outputs are flattened (C*H*W per input).</summary>
        public const ActivationPooling Pooling = ActivationPooling.Flatten;
        /// <summary>Inputs are fed unchanged.</summary>
        public const OnnxInputNormalization Normalization = OnnxInputNormalization.None;
        /// <summary>The score output holds logits, so softmax is applied.</summary>
        public const bool ScoresAreProbabilities = false;
    }

    /// <summary>Exact layers to read, by node name or output tensor name (see <see cref="OnnxActivationSource.ListNodes(string)"/>); null means: use the pattern or op types.</summary>
    public IReadOnlyList<string>? LayerNames { get; init; }

    /// <summary>A regular expression matched against whole node names and output names; null means none.</summary>
    public string? LayerPattern { get; init; }

    /// <summary>Operator types to read (Conv, Relu, Add, Gemm, MatMul...); null means <see cref="Defaults.OpTypes"/> when neither names nor a pattern are given.</summary>
    public IReadOnlyList<string>? OpTypes { get; init; }

    /// <summary>Flatten or global average pooling of 4-D layer outputs. Default <see cref="Defaults.Pooling"/>.</summary>
    public ActivationPooling Pooling { get; init; } = Defaults.Pooling;

    /// <summary>The graph input to feed; null means the model's only non-initializer input.</summary>
    public string? InputName { get; init; }

    /// <summary>Per-input shape the model takes (channels, height, width); null means the file's declared dims, which must then be fixed beyond the batch dimension.</summary>
    public IReadOnlyList<int>? ModelInputShape { get; init; }

    /// <summary>
    /// Per-input shape of the data that will be fed (channels, height, width); null means the model's. When it differs,
    /// each input is resized bilinearly to the model's height and width and a single grey channel is repeated over the
    /// model's channels (Fashion-MNIST 1x28x28 into a 3x224x224 network).
    /// </summary>
    public IReadOnlyList<int>? DataShape { get; init; }

    /// <summary>Value normalisation applied after resizing. Default <see cref="Defaults.Normalization"/>.</summary>
    public OnnxInputNormalization Normalization { get; init; } = Defaults.Normalization;

    /// <summary>The graph output holding the class scores; null means the model's first output.</summary>
    public string? ScoreOutputName { get; init; }

    /// <summary>True when the score output already holds probabilities (softmax is then not applied). Default <see cref="Defaults.ScoresAreProbabilities"/>.</summary>
    public bool ScoresAreProbabilities { get; init; } = Defaults.ScoresAreProbabilities;
}

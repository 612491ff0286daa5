namespace MLNet.Subspace.Models.Activations;

/// <summary>
/// Where activations come from: something that runs N inputs through a network and returns the outputs of named layers
/// plus the network's class scores. <see cref="TorchActivationSource"/> (TorchSharp modules, read through forward hooks)
/// is one; a new kind of model (an ONNX file, an ML.NET pipeline) is another implementation of this interface, and
/// <see cref="LayerActivations"/>, the ML.NET extractor and every analysis take it unchanged.
/// </summary>
public interface IActivationSource
{
    /// <summary>The layers read, in the network's order.</summary>
    IReadOnlyList<string> LayerNames { get; }

    /// <summary>Shape of one input (channels, height, width).</summary>
    int[] InputShape { get; }

    /// <summary>Per-input shape of each layer's output (after any pooling), in the order of <see cref="LayerNames"/>.</summary>
    int[][] LayerShapes { get; }

    /// <summary>Per-input length of each layer's vector (the product of its shape).</summary>
    int[] LayerSizes { get; }

    /// <summary>Number of classes the network scores.</summary>
    int Classes { get; }

    /// <summary>
    /// Runs one batch. <paramref name="inputs"/> holds at least rows x (product of <see cref="InputShape"/>) values; the
    /// layers with <paramref name="active"/>[l] set write rows x <see cref="LayerSizes"/>[l] values into
    /// <paramref name="layerOutputs"/>[l]; the softmax scores (rows x <see cref="Classes"/>) go into <paramref name="scores"/>
    /// and the raw logits into <paramref name="logits"/> when not null. Safe to call from several threads.
    /// </summary>
    /// <param name="inputs">Input values, input-major.</param>
    /// <param name="rows">Inputs in this batch.</param>
    /// <param name="active">Which layers to read.</param>
    /// <param name="layerOutputs">Per layer, a buffer of at least rows x d_l values (null where inactive).</param>
    /// <param name="scores">A buffer of at least rows x classes values, or null.</param>
    /// <param name="logits">A buffer of at least rows x classes values, or null.</param>
    void Run(float[] inputs, int rows, bool[] active, float[]?[] layerOutputs, float[]? scores, float[]? logits = null);
}

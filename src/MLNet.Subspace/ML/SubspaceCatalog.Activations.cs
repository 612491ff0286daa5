using Microsoft.ML;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.ML;

/// <summary>ML.NET catalog extensions of MLNet.Subspace.</summary>
public static partial class SubspaceCatalog
{
    /// <summary>
    /// Reads the activations of a trained network's layers (default: every Conv2d, shortcut convs
    /// included, flattened), one vector column per layer, plus Score and PredictedLabel.
    /// See <see cref="ActivationExtractorEstimator"/>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="model">The trained network.</param>
    /// <param name="inputColumnName">The image vector column (C*H*W floats per row). Default <see cref="ColumnNames.Features"/>.</param>
    /// <param name="layerNames">Layer paths to read; null means every Conv2d.</param>
    /// <param name="pooling">Flatten (the paper) or global average pooling.</param>
    /// <param name="batchSize">Rows per forward pass. Default <see cref="ActivationExtractorEstimator.Defaults.BatchSize"/>.</param>
    /// <returns>The estimator.</returns>
    public static ActivationExtractorEstimator ExtractActivations(this TransformsCatalog catalog, nn.Module<Tensor, Tensor> model,
        string inputColumnName = ActivationExtractorEstimator.Defaults.InputColumnName, string[]? layerNames = null,
        ActivationPooling pooling = ActivationExtractorEstimator.Defaults.Pooling, int batchSize = ActivationExtractorEstimator.Defaults.BatchSize)
        => catalog.ExtractActivations(model, new ActivationExtractorEstimator.Options
        {
            InputColumnName = inputColumnName,
            LayerNames = layerNames,
            Pooling = pooling,
            BatchSize = batchSize,
        });

    /// <summary>Reads layer activations with full control over the settings. See <see cref="ActivationExtractorEstimator"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="model">The trained network.</param>
    /// <param name="options">The settings.</param>
    /// <returns>The estimator.</returns>
    public static ActivationExtractorEstimator ExtractActivations(this TransformsCatalog catalog, nn.Module<Tensor, Tensor> model, ActivationExtractorEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ActivationExtractorEstimator(MLNetInterop.Environment(catalog), model, options);
    }

    /// <summary>
    /// Reads the activations of an ONNX network's nodes (default: every Conv), one vector column per node, plus Score
    /// (softmax of the model's output) and PredictedLabel, through ONNX Runtime in batches. Each Fit opens its own
    /// session, owned by the fitted transformer: dispose it when done. See <see cref="OnnxActivationSource"/> and docs/onnx.md.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="onnxModelPath">The .onnx file (read once, here).</param>
    /// <param name="onnxOptions">Layer selection, input shaping and score output; null for the defaults. When its DataShape is null, the input column's three dimensions (or <see cref="ActivationExtractorEstimator.Options.InputShape"/>) give it.</param>
    /// <param name="options">Column names, batch size, class names; its layer selection options must be null.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model.</exception>
    /// <exception cref="ArgumentException">An unknown node name (the message lists the available ones) or an invalid option.</exception>
    public static ActivationExtractorEstimator ExtractActivations(this TransformsCatalog catalog, string onnxModelPath, OnnxActivationOptions? onnxOptions = null,
        ActivationExtractorEstimator.Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(onnxModelPath);
        return new ActivationExtractorEstimator(MLNetInterop.Environment(catalog), onnxModelPath, onnxOptions ?? new OnnxActivationOptions(), options);
    }

    /// <summary>Reads layer activations from any activation source (not disposed by the transformer). See <see cref="ActivationExtractorEstimator"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="source">The source, which has chosen its layers.</param>
    /// <param name="options">Column names, batch size, class names; its layer selection options must be null.</param>
    /// <returns>The estimator.</returns>
    public static ActivationExtractorEstimator ExtractActivations(this TransformsCatalog catalog, IActivationSource source, ActivationExtractorEstimator.Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ActivationExtractorEstimator(MLNetInterop.Environment(catalog), source, options);
    }
}

using Microsoft.ML;
using MLNet.Subspace.Models;
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
}

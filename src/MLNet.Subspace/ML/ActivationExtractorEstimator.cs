using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.ML;

/// <summary>
/// Reads the activations of chosen layers of a trained network for every row of an image (or
/// feature) vector column: one output vector column per layer, plus the network's <c>Score</c>
/// (softmax probabilities) and <c>PredictedLabel</c> (key).
/// </summary>
/// <remarks>
/// <para><b>Estimator Characteristics</b></para>
/// <list type="table">
/// <item><term>Does this estimator need to look at the data to train its parameters?</term><description>No (it only checks the schema and probes the layer shapes).</description></item>
/// <item><term>Input column data type</term><description>Known-size vector of <see cref="float"/>, C*H*W values per row (shape from the column's dimensions, <see cref="Options.InputShape"/> or the model).</description></item>
/// <item><term>Output column data type</term><description>One known-size vector of <see cref="float"/> per layer (C*H*W flattened, or C when globally average-pooled), a vector Score and a key PredictedLabel.</description></item>
/// <item><term>Exportable to ONNX</term><description>No.</description></item>
/// </list>
/// <para>Layers default to every <c>Conv2d</c> in registration order, 1x1 shortcut convs included:
/// the paper's choice (raw conv output, before batch norm). The transform is lazy: every pass over
/// its output runs the network again, in batches of <see cref="Options.BatchSize"/> rows inside the
/// cursor, under <c>no_grad</c>, on the configured device. Analyses that read every layer several
/// times should materialise once with <see cref="ActivationExtractorTransformer.Materialize"/>
/// (see docs/activations.md). Cost: one forward pass per row and pass, plus sum_l d_l floats copied.</para>
/// <para>Hooks see only modules invoked through <c>call</c>; a module run via <c>forward</c> is reported as never running.</para>
/// <para>Over any other <see cref="IActivationSource"/> (an <see cref="OnnxActivationSource"/>, see docs/onnx.md) the source
/// has chosen the layers, pooling and input shape; the options then give the column names, batch size and class names.</para>
/// </remarks>
public sealed class ActivationExtractorEstimator : IEstimator<ActivationExtractorTransformer>
{
    /// <summary>The defaults of <see cref="Options"/>, shared with the catalog and the docs.</summary>
    public static class Defaults
    {
        /// <summary>Default input column name: ColumnNames.Features.</summary>
        public const string InputColumnName = ColumnNames.Features;
        /// <summary>Default output column prefix: "".</summary>
        public const string OutputColumnPrefix = "";
        /// <summary>Default score column name: ColumnNames.Score.</summary>
        public const string ScoreColumnName = ColumnNames.Score;
        /// <summary>Default predicted label column name: ColumnNames.PredictedLabel.</summary>
        public const string PredictedLabelColumnName = ColumnNames.PredictedLabel;
        /// <summary>Default batch size: 64.</summary>
        public const int BatchSize = 64;
        /// <summary>Default pooling: ActivationPooling.Flatten.</summary>
        public const ActivationPooling Pooling = ActivationPooling.Flatten;
    }

    /// <summary>Settings of <see cref="ActivationExtractorEstimator"/>.</summary>
    public sealed class Options
    {
        /// <summary>The image or feature vector column. Default <see cref="ColumnNames.Features"/>.</summary>
        public string InputColumnName { get; set; } = Defaults.InputColumnName;

        /// <summary>Shape of one input (channels, height, width); null means: the column's dimensions when it has three, else the model's <see cref="ImageClassifier.InputShape"/>.</summary>
        public int[]? InputShape { get; set; }

        /// <summary>Exact layer paths (<c>named_modules()</c> names) to read; null means: use <see cref="LayerPattern"/>/<see cref="LayerTypes"/>.</summary>
        public string[]? LayerNames { get; set; }

        /// <summary>A regular expression matched against whole layer paths; null means none.</summary>
        public string? LayerPattern { get; set; }

        /// <summary>Module types to read; null means Conv2d when neither names nor a pattern are given.</summary>
        public Type[]? LayerTypes { get; set; }

        /// <summary>Flatten (the paper) or global average pooling. Default <see cref="Defaults.Pooling"/>.</summary>
        public ActivationPooling Pooling { get; set; } = Defaults.Pooling;

        /// <summary>Prefix of the per-layer output columns, whose names are prefix + layer path. Default <see cref="Defaults.OutputColumnPrefix"/>.</summary>
        public string OutputColumnPrefix { get; set; } = Defaults.OutputColumnPrefix;

        /// <summary>Name of the softmax score column, or null to omit it. Default <see cref="ColumnNames.Score"/>.</summary>
        public string? ScoreColumnName { get; set; } = Defaults.ScoreColumnName;

        /// <summary>Name of the predicted-label key column, or null to omit it. Default <see cref="ColumnNames.PredictedLabel"/>.</summary>
        public string? PredictedLabelColumnName { get; set; } = Defaults.PredictedLabelColumnName;

        /// <summary>Rows per forward pass.</summary>
        public int BatchSize { get; set; } = Defaults.BatchSize;

        /// <summary>Class names for the score slot names and the key values; null means "0", "1", ...</summary>
        public IReadOnlyList<string>? ClassNames { get; set; }

        /// <summary>Device override; null means as the MLContext says (CPU by default).</summary>
        public DeviceOptions? Device { get; set; }

        internal void Validate()
        {
            if (string.IsNullOrEmpty(InputColumnName))
                throw new ArgumentException("The 'InputColumnName' option of ActivationExtractorEstimator must name a column. Got an empty name instead.");
            if (BatchSize < 1)
                throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"The 'BatchSize' option of ActivationExtractorEstimator must be an integer in [1, inf). Got {BatchSize} instead.");
            if (InputShape is not null && (InputShape.Length == 0 || InputShape.Any(v => v < 1)))
                throw new ArgumentOutOfRangeException(nameof(InputShape), $"The 'InputShape' option of ActivationExtractorEstimator must list positive sizes (channels, height, width). Got [{string.Join(", ", InputShape)}] instead.");
            ArgumentNullException.ThrowIfNull(OutputColumnPrefix, nameof(OutputColumnPrefix));
        }
    }

    private readonly IHostEnvironment _env;
    private readonly Options _options;
    private readonly nn.Module<Tensor, Tensor>? _model;
    private readonly IReadOnlyList<SelectedLayer> _layers = [];
    private readonly IActivationSource? _source;
    private readonly OnnxModel? _onnx;
    private readonly IReadOnlyList<string> _layerNames;

    /// <summary>An ONNX model to open at every Fit: its bytes (read once), its options and its file.</summary>
    private sealed record OnnxModel(byte[] Bytes, OnnxActivationOptions Options, string Path);

    /// <summary>Creates the estimator; the layer selection is checked here.</summary>
    /// <param name="env">The ML.NET environment (logging, device settings).</param>
    /// <param name="model">The trained network; it is put in eval mode and moved to the device, and not disposed by the transformer.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An unknown layer name (the message lists the available layers) or an invalid option.</exception>
    public ActivationExtractorEstimator(IHostEnvironment env, nn.Module<Tensor, Tensor> model, Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(model);
        _env = env;
        _model = model;
        _options = options ?? new Options();
        _options.Validate();
        _layers = LayerSelector.Select(model, _options.LayerNames, _options.LayerPattern, _options.LayerTypes);
        _layerNames = _layers.Select(l => l.Name).ToArray();
    }

    /// <summary>
    /// Creates the estimator over an activation source that already chose its layers, pooling and input shape (an
    /// <see cref="OnnxActivationSource"/>, or a caller's own); the source is not disposed by the transformer.
    /// </summary>
    /// <param name="env">The ML.NET environment (logging).</param>
    /// <param name="source">The source; its <see cref="IActivationSource.InputShape"/> must match the input column's size.</param>
    /// <param name="options">Column names, batch size and class names; the layer selection options must be null (the source has chosen).</param>
    /// <exception cref="ArgumentException">A layer selection option is set, or an option is invalid.</exception>
    public ActivationExtractorEstimator(IHostEnvironment env, IActivationSource source, Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(source);
        _env = env;
        _source = source;
        _options = options ?? new Options();
        _options.Validate();
        RefuseLayerSelection(_options);
        _layerNames = source.LayerNames.ToArray();
    }

    /// <summary>The estimator the ONNX catalog method makes: every Fit opens its own session, which the transformer owns.</summary>
    internal ActivationExtractorEstimator(IHostEnvironment env, string onnxModelPath, OnnxActivationOptions onnxOptions, Options? options)
    {
        _env = env;
        _options = options ?? new Options();
        _options.Validate();
        RefuseLayerSelection(_options);
        if (!File.Exists(onnxModelPath)) throw new FileNotFoundException($"ONNX model file {Path.GetFullPath(onnxModelPath)} does not exist.", onnxModelPath);
        _onnx = new OnnxModel(File.ReadAllBytes(onnxModelPath), onnxOptions, onnxModelPath);
        _layerNames = OnnxActivationSource.SelectLayerNames(_onnx.Bytes, onnxOptions, onnxModelPath);
    }

    private static void RefuseLayerSelection(Options options)
    {
        if (options.LayerNames is not null || options.LayerPattern is not null || options.LayerTypes is not null || options.Device is not null
            || options.Pooling != Defaults.Pooling)
            throw new ArgumentException("The 'LayerNames', 'LayerPattern', 'LayerTypes', 'Pooling' and 'Device' options of ActivationExtractorEstimator apply to TorchSharp networks; an activation source chooses its own layers and pooling (for ONNX: OnnxActivationOptions).");
    }

    /// <summary>The TorchSharp layers that will be read, in registration order; empty for other sources (see <see cref="LayerNames"/>).</summary>
    public IReadOnlyList<SelectedLayer> Layers => _layers;

    /// <summary>The names of the layers that will be read (module paths or ONNX node names); each gets an output column.</summary>
    public IReadOnlyList<string> LayerNames => _layerNames;

    /// <summary>The output column name of a layer.</summary>
    /// <param name="layer">The layer path.</param>
    /// <returns>The prefix followed by the path.</returns>
    public string ColumnName(string layer) => _options.OutputColumnPrefix + layer;

    /// <inheritdoc />
    public ActivationExtractorTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_model is not null)
            return new ActivationExtractorTransformer(_env, _model, _options, _layers, ActivationExtractorTransformer.ResolveInputShape(_model, _options, input.Schema));
        VectorColumn.CheckSchema(input.Schema, _options.InputColumnName);
        var transformer = _source is not null
            ? new ActivationExtractorTransformer(_env, _options, _source, ownsSource: false)
            : new ActivationExtractorTransformer(_env, _options, new OnnxActivationSource(_onnx!.Bytes, WithDataShape(_onnx.Options, input.Schema), _onnx.Path), ownsSource: true);
        try
        {
            transformer.GetOutputSchema(input.Schema);
        }
        catch
        {
            transformer.Dispose();
            throw;
        }
        return transformer;
    }

    /// <summary>The ONNX options with the data's shape: the option's, else <see cref="Options.InputShape"/>, else the column's three dimensions.</summary>
    private OnnxActivationOptions WithDataShape(OnnxActivationOptions onnx, DataViewSchema schema)
    {
        if (onnx.DataShape is not null) return onnx;
        var dims = ((VectorDataViewType)schema[_options.InputColumnName].Type).Dimensions;
        var shape = _options.InputShape ?? (dims.Length == 3 ? dims.ToArray() : null);
        return shape is null ? onnx : onnx with { DataShape = shape };
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        VectorColumn.CheckShape(inputSchema, _options.InputColumnName);
        var columns = inputSchema.ToDictionary(c => c.Name);
        var text = TextDataViewType.Instance;
        var layerAnnotations = Annotations(("SlotNames", SchemaShape.Column.VectorKind.Vector, text), ("LayerShape", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Int32),
            ("LayerName", SchemaShape.Column.VectorKind.Scalar, text), ("LayerType", SchemaShape.Column.VectorKind.Scalar, text));
        foreach (var layer in _layerNames)
            columns[ColumnName(layer)] = MLNetInterop.Column(ColumnName(layer), SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, layerAnnotations);
        if (_options.ScoreColumnName is { } score)
            columns[score] = MLNetInterop.Column(score, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, Annotations(("SlotNames", SchemaShape.Column.VectorKind.Vector, text)));
        if (_options.PredictedLabelColumnName is { } predicted)
            columns[predicted] = MLNetInterop.Column(predicted, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true, Annotations(("KeyValues", SchemaShape.Column.VectorKind.Vector, text)));
        return new SchemaShape(columns.Values);
    }

    /// <summary>The annotations an output column promises (the transformer's schema carries exactly these).</summary>
    private static SchemaShape Annotations(params (string Name, SchemaShape.Column.VectorKind Kind, DataViewType Type)[] annotations)
        => new(annotations.Select(a => MLNetInterop.Column(a.Name, a.Kind, a.Type, isKey: false)));
}

using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.Subspace.IO;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.ML;

/// <summary>
/// The fitted <see cref="ActivationExtractorEstimator"/>: a lazy transform whose cursors run the
/// network in batches and expose one vector column per selected layer, plus Score and PredictedLabel.
/// </summary>
/// <remarks>
/// Each output layer column carries annotations: <c>SlotNames</c> (<c>c{c}.y{y}.x{x}</c>, or
/// <c>c{c}</c> when pooled), <c>LayerShape</c> (the per-input shape as a vector of Int32),
/// <c>LayerName</c> and <c>LayerType</c>. Cursors are safe to use from several threads at once
/// (forward passes of one model are serialised). The model is not disposed by the transformer.
/// </remarks>
public sealed partial class ActivationExtractorTransformer : ITransformer, IDisposable
{
    private readonly IHostEnvironment _env;
    private readonly ActivationExtractorEstimator.Options _options;
    private readonly IActivationSource _engine;
    private readonly bool _ownsSource;
    private readonly int _inputSize;
    private readonly string[] _classNames;

    internal ActivationExtractorTransformer(IHostEnvironment env, nn.Module<Tensor, Tensor> model, ActivationExtractorEstimator.Options options,
        IReadOnlyList<SelectedLayer> layers, int[] inputShape)
        : this(env, options, TorchSource(env, model, options, layers, inputShape), ownsSource: false)
    {
        Model = model;
    }

    /// <summary>The transformer over any activation source; <paramref name="ownsSource"/> says whether <see cref="Dispose"/> disposes it.</summary>
    internal ActivationExtractorTransformer(IHostEnvironment env, ActivationExtractorEstimator.Options options, IActivationSource source, bool ownsSource)
    {
        _env = env;
        _options = options;
        _engine = source;
        _ownsSource = ownsSource;
        _inputSize = source.InputShape.Aggregate(1, (a, b) => checked(a * b));
        using (var ch = env.Register(nameof(ActivationExtractorTransformer)).Start("Layers"))
            ch.Info($"Extracting {source.LayerNames.Count} layer(s) ({source.LayerSizes.Sum(v => (long)v)} floats per row) from input [{string.Join(", ", source.InputShape)}] through {source.GetType().Name}.");
        if (options.ClassNames is { } names && names.Count != _engine.Classes)
        {
            Dispose();
            throw new ArgumentException($"The 'ClassNames' option of ActivationExtractorEstimator must list {_engine.Classes} names (the model's classes). Got {names.Count} instead.");
        }
        _classNames = options.ClassNames?.ToArray() ?? Enumerable.Range(0, _engine.Classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    private static TorchActivationSource TorchSource(IHostEnvironment env, nn.Module<Tensor, Tensor> model, ActivationExtractorEstimator.Options options,
        IReadOnlyList<SelectedLayer> layers, int[] inputShape)
    {
        var device = TorchDevice.Resolve(MLNetInterop.Device(env, options.Device));
        using var ch = env.Register(nameof(ActivationExtractorTransformer)).Start("Probe layer shapes");
        var source = new TorchActivationSource(model, layers, inputShape, options.Pooling, device, $"column '{options.InputColumnName}'");
        ch.Info($"Running on {device}.");
        return source;
    }

    /// <summary>The TorchSharp network being read; null when the source is something else (an ONNX model, see <see cref="Source"/>).</summary>
    public nn.Module<Tensor, Tensor>? Model { get; }

    /// <summary>Where the activations come from: a <see cref="TorchActivationSource"/>, an <see cref="OnnxActivationSource"/>, or a caller's own.</summary>
    public IActivationSource Source => _engine;

    /// <summary>The TorchSharp layers read, in registration order; empty when the source is not a TorchSharp network (use <see cref="LayerNames"/>).</summary>
    public IReadOnlyList<SelectedLayer> Layers => _engine is TorchActivationSource torchSource ? torchSource.Layers : [];

    /// <summary>The names of the layers read (module paths, or ONNX node names), in the network's order; each has its output column.</summary>
    public IReadOnlyList<string> LayerNames => _engine.LayerNames;

    /// <summary>Per-input output shape of each layer (after pooling), in the order of <see cref="LayerNames"/>.</summary>
    public IReadOnlyList<int[]> LayerShapes => _engine.LayerShapes;

    /// <summary>Shape of one input (channels, height, width).</summary>
    public IReadOnlyList<int> InputShape => _engine.InputShape;

    /// <summary>Number of classes of the network.</summary>
    public int Classes => _engine.Classes;

    /// <summary>The output column of a layer.</summary>
    /// <param name="layer">The layer path.</param>
    /// <returns>The column name.</returns>
    public string ColumnName(string layer) => _options.OutputColumnPrefix + layer;

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        var layerNames = LayerNames;
        for (int l = 0; l < layerNames.Count; l++)
        {
            int[] shape = _engine.LayerShapes[l];
            var ann = new DataViewSchema.Annotations.Builder();
            int size = _engine.LayerSizes[l];
            ann.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, size), (ref VBuffer<ReadOnlyMemory<char>> dst) => dst = InMemoryDataView.TextVector(SlotNames(shape)));
            ann.Add("LayerShape", new VectorDataViewType(NumberDataViewType.Int32, shape.Length), (ref VBuffer<int> dst) => dst = new VBuffer<int>(shape.Length, shape.ToArray()));
            string name = layerNames[l], type = LayerType(l);
            ann.Add("LayerName", TextDataViewType.Instance, (ref ReadOnlyMemory<char> dst) => dst = name.AsMemory());
            ann.Add("LayerType", TextDataViewType.Instance, (ref ReadOnlyMemory<char> dst) => dst = type.AsMemory());
            builder.AddColumn(ColumnName(name), new VectorDataViewType(NumberDataViewType.Single, shape), ann.ToAnnotations());
        }
        var classes = new VectorDataViewType(TextDataViewType.Instance, Classes);
        if (_options.ScoreColumnName is { } score)
        {
            var ann = new DataViewSchema.Annotations.Builder();
            ann.Add("SlotNames", classes, (ref VBuffer<ReadOnlyMemory<char>> dst) => dst = InMemoryDataView.TextVector(_classNames));
            builder.AddColumn(score, new VectorDataViewType(NumberDataViewType.Single, Classes), ann.ToAnnotations());
        }
        if (_options.PredictedLabelColumnName is { } predicted)
        {
            var ann = new DataViewSchema.Annotations.Builder();
            ann.Add("KeyValues", classes, (ref VBuffer<ReadOnlyMemory<char>> dst) => dst = InMemoryDataView.TextVector(_classNames));
            builder.AddColumn(predicted, new KeyDataViewType(typeof(uint), Classes), ann.ToAnnotations());
        }
        return builder.ToSchema();
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ActivationDataView(this, input, GetOutputSchema(input.Schema));
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new Mapper(this, inputSchema, GetOutputSchema(inputSchema));
    }

    /// <summary>Not supported: ML.NET's model format cannot hold a TorchSharp network. Use <see cref="Save(string)"/>.</summary>
    /// <param name="ctx">Unused.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException(
            "ActivationExtractorTransformer cannot be saved with mlContext.Model.Save: call transformer.Save(path) and ActivationExtractorTransformer.Load(mlContext, path).");

    /// <summary>
    /// Saves the extractor in one file, atomically: its settings (input column and shape, the selected
    /// layer paths, pooling, column names, batch size, class names), then either the zoo spec of the network when it
    /// came from <see cref="ModelZoo.Create"/> and the network's weights in TorchSharp's format, or, for an
    /// <see cref="OnnxActivationSource"/>, its options and the ONNX model's bytes (so the file does not depend on the .onnx file).
    /// </summary>
    /// <param name="path">Destination.</param>
    /// <exception cref="NotSupportedException">The source is neither a TorchSharp network nor an ONNX model.</exception>
    public void Save(string path)
    {
        var onnx = _engine as OnnxActivationSource;
        if (Model is null && onnx is null)
            throw new NotSupportedException($"An ActivationExtractorTransformer over a {_engine.GetType().Name} cannot be saved: only TorchSharp networks and ONNX models can.");
        var classifier = Model as ImageClassifier;
        var saved = new SavedExtractor(_options.InputColumnName, _engine.InputShape, LayerNames.ToArray(), _options.Pooling,
            _options.OutputColumnPrefix, _options.ScoreColumnName, _options.PredictedLabelColumnName, _options.BatchSize, _options.ClassNames?.ToArray(),
            classifier?.Spec, classifier?.InputChannels, classifier?.ImageSize, Classes)
        {
            Onnx = onnx is null ? null : onnx.Options with { LayerNames = onnx.LayerNames.ToArray() },
            OnnxSource = onnx?.Source,
        };
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(JsonSerializer.Serialize(saved));
            if (onnx is not null)
            {
                writer.Write(onnx.ModelBytes.Length);
                writer.Write(onnx.ModelBytes);
            }
            else
            {
                Model!.save(writer);
            }
        });
    }

    /// <summary>
    /// Loads an extractor written by <see cref="Save(string)"/>. An ONNX extractor is rebuilt from the model bytes in
    /// the file. A network from the model zoo is rebuilt from its spec; any other network must be passed as
    /// <paramref name="model"/> (an instance of the same architecture), whose weights are then overwritten by the file's.
    /// </summary>
    /// <param name="context">The ML.NET context (logging; the device comes from it, not from the file).</param>
    /// <param name="path">The file.</param>
    /// <param name="model">The architecture to load the weights into; null to rebuild a zoo network (or the ONNX model) from the file.</param>
    /// <returns>The extractor; its <see cref="Model"/> is not disposed by it (an ONNX session is: dispose the extractor).</returns>
    /// <exception cref="InvalidDataException">The file is not an extractor file, is truncated, or its weights do not fit <paramref name="model"/> (the message names the parameter).</exception>
    /// <exception cref="ArgumentException">The network is not from the zoo and <paramref name="model"/> is null, or the file holds an ONNX model and <paramref name="model"/> is given.</exception>
    public static ActivationExtractorTransformer Load(MLContext context, string path, nn.Module<Tensor, Tensor>? model = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        SavedExtractor saved;
        byte[]? onnxBytes = null;
        try
        {
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            if (Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length)) != Magic) throw new InvalidDataException($"{path}: not an ActivationExtractor file (expected header '{Magic}').");
            saved = JsonSerializer.Deserialize<SavedExtractor>(reader.ReadString())
                ?? throw new InvalidDataException($"{path}: the ActivationExtractor settings are empty.");
            if (saved.Onnx is not null)
            {
                int length = reader.ReadInt32();
                onnxBytes = reader.ReadBytes(length);
                if (length < 0 || onnxBytes.Length != length) throw new EndOfStreamException($"the ONNX model holds {onnxBytes.Length} of {length} bytes");
            }
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or FormatException)
        {
            throw new InvalidDataException($"{path}: the ActivationExtractor file is truncated or corrupt ({e.Message}).", e);
        }
        var options = new ActivationExtractorEstimator.Options
        {
            InputColumnName = saved.InputColumnName,
            InputShape = saved.InputShape,
            LayerNames = saved.Onnx is null ? saved.LayerNames : null,
            Pooling = saved.Pooling,
            OutputColumnPrefix = saved.OutputColumnPrefix,
            ScoreColumnName = saved.ScoreColumnName,
            PredictedLabelColumnName = saved.PredictedLabelColumnName,
            BatchSize = saved.BatchSize,
            ClassNames = saved.ClassNames,
        };
        options.Validate();
        var env = MLNetInterop.Environment(context.Transforms);
        if (saved.Onnx is not null)
        {
            if (model is not null) throw new ArgumentException($"{path} holds an ONNX model; call ActivationExtractorTransformer.Load without a 'model' argument.", nameof(model));
            return new ActivationExtractorTransformer(env, options, new OnnxActivationSource(onnxBytes!, saved.Onnx, saved.OnnxSource ?? path), ownsSource: true);
        }
        if (model is null)
        {
            if (saved.ModelSpec is null || saved.InputChannels is null || saved.ImageSize is null)
                throw new ArgumentException($"{path} holds the weights of a network that was not built by ModelZoo.Create: pass an instance of its architecture as the 'model' argument of ActivationExtractorTransformer.Load.", nameof(model));
            var built = ModelZoo.Create(saved.ModelSpec, saved.InputChannels.Value, saved.ImageSize.Value, saved.Classes);
            try
            {
                ModelWeights.LoadTorchSharp(built, stream, path);
            }
            catch
            {
                built.Dispose();
                throw;
            }
            model = built;
        }
        else
        {
            ModelWeights.LoadTorchSharp(model, stream, path);
        }
        model.eval();
        return new ActivationExtractorTransformer(env, model, options, LayerSelector.Select(model, saved.LayerNames), saved.InputShape);
    }

    /// <summary>Disposes the activation source when this transformer created it (an ONNX model opened by the catalog or by <see cref="Load"/>); a TorchSharp network is never disposed.</summary>
    public void Dispose()
    {
        if (_ownsSource) (_engine as IDisposable)?.Dispose();
    }

    /// <summary>The type of layer <paramref name="l"/>: the module type, or the ONNX operator.</summary>
    private string LayerType(int l) => _engine switch
    {
        TorchActivationSource torchSource => torchSource.Layers[l].TypeName,
        OnnxActivationSource onnx => onnx.Layers[l].OpType,
        _ => _engine.GetType().Name,
    };

    private const string Magic = "MLNSAX01";

    /// <summary>What <see cref="Save(string)"/> writes before the weights (as JSON).</summary>
    private sealed record SavedExtractor(string InputColumnName, int[] InputShape, string[] LayerNames, ActivationPooling Pooling,
        string OutputColumnPrefix, string? ScoreColumnName, string? PredictedLabelColumnName, int BatchSize, string[]? ClassNames,
        string? ModelSpec, int? InputChannels, int? ImageSize, int Classes)
    {
        /// <summary>The ONNX source's options (its layers by name), when the extractor reads an ONNX model.</summary>
        public OnnxActivationOptions? Onnx { get; init; }

        /// <summary>The ONNX model's original file, for messages.</summary>
        public string? OnnxSource { get; init; }
    }

    /// <summary>
    /// Runs the network once over <paramref name="data"/> and keeps the selected layers in memory
    /// (see <see cref="LayerActivations"/>), so analyses that read every layer several times do not
    /// recompute it. Refuses with an estimate when the result would not fit.
    /// </summary>
    /// <param name="data">Rows with the input column (and the label column when given).</param>
    /// <param name="labelColumnName">A label column (key, integer or integral float), or null.</param>
    /// <param name="maximumBytes">The memory the result may take; null means half of what .NET may use.</param>
    /// <returns>The activations, N rows per layer.</returns>
    public LayerActivations Materialize(IDataView data, string? labelColumnName = null, long? maximumBytes = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckInput(data.Schema);
        long rows = data.GetRowCount() ?? CountRows(data);
        LayerActivations.CheckFits(rows, LayerNames.ToArray(), _engine.LayerSizes, Classes, maximumBytes);
        int[]? labels = labelColumnName is null ? null : VectorColumn.ReadLabels(data, labelColumnName);
        int n = (int)rows;
        var values = _engine.LayerSizes.Select(d => new float[(long)n * d]).ToArray();
        var scores = new float[(long)n * Classes];
        int batchSize = _options.BatchSize, d0 = _inputSize, done = 0;
        var buffer = new float[(long)batchSize * d0];
        var batchOut = _engine.LayerSizes.Select(d => new float[(long)batchSize * d]).ToArray();
        var batchScores = new float[(long)batchSize * Classes];
        var all = Enumerable.Repeat(true, LayerNames.Count).ToArray();
        using var ch = _env.Register(nameof(ActivationExtractorTransformer)).Start("Materialize");
        using (var reader = new BatchReader(data, _options.InputColumnName, d0))
        {
            int got;
            while ((got = reader.Read(buffer, batchSize)) > 0)
            {
                if (done + got > n) throw new InvalidOperationException($"The data reported {n} rows but yielded more.");
                _engine.Run(buffer, got, all, batchOut!, batchScores);
                for (int l = 0; l < values.Length; l++)
                    Array.Copy(batchOut[l], 0, values[l], (long)done * _engine.LayerSizes[l], (long)got * _engine.LayerSizes[l]);
                Array.Copy(batchScores, 0, scores, (long)done * Classes, (long)got * Classes);
                done += got;
            }
        }
        if (done != n) throw new InvalidOperationException($"The data reported {n} rows but yielded {done}.");
        ch.Info($"Materialised {LayerNames.Count} layer(s) for {n} rows.");
        return new LayerActivations(LayerNames.ToArray(), _engine.LayerShapes, values, scores, Classes, labels, _classNames);
    }

    private static long CountRows(IDataView data)
    {
        long n = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext()) n++;
        return n;
    }

    internal static string[] SlotNames(int[] shape) => shape.Length switch
    {
        1 => Enumerable.Range(0, shape[0]).Select(c => $"c{c}").ToArray(),
        3 => (from c in Enumerable.Range(0, shape[0]) from y in Enumerable.Range(0, shape[1]) from x in Enumerable.Range(0, shape[2]) select $"c{c}.y{y}.x{x}").ToArray(),
        _ => Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(i => $"f{i}").ToArray(),
    };

    private void CheckInput(DataViewSchema schema)
    {
        int size = VectorColumn.CheckSchema(schema, _options.InputColumnName);
        if (size != _inputSize)
            throw new ArgumentException($"Schema mismatch for input column '{_options.InputColumnName}': the model expects inputs of shape [{string.Join(", ", _engine.InputShape)}] ({_inputSize} values); the column holds {size} values.");
    }

    /// <summary>The shape of one input: the option, else the column's three dimensions, else the zoo network's; checked against the column's size.</summary>
    internal static int[] ResolveInputShape(nn.Module<Tensor, Tensor> model, ActivationExtractorEstimator.Options options, DataViewSchema inputSchema)
    {
        int size = VectorColumn.CheckSchema(inputSchema, options.InputColumnName);
        var column = inputSchema[options.InputColumnName];
        var dims = ((VectorDataViewType)column.Type).Dimensions;
        int[] shape = options.InputShape
            ?? (dims.Length == 3 ? dims.ToArray() : null)
            ?? (model as ImageClassifier)?.InputShape
            ?? throw new ArgumentException($"The shape of one input of column '{column.Name}' ({size} values) is unknown: set the 'InputShape' option of ActivationExtractorEstimator (channels, height, width) or give the column three dimensions.");
        long product = shape.Aggregate(1L, (a, b) => a * b);
        if (product != size)
            throw new ArgumentException($"The input shape [{string.Join(", ", shape)}] needs {product} values per row but column '{column.Name}' holds {size}."
                + (model is ImageClassifier m ? $" The model expects [{string.Join(", ", m.InputShape)}]." : ""));
        return shape;
    }

    /// <summary>Reads batches of the input column, checking every value is finite.</summary>
    private sealed class BatchReader : IDisposable
    {
        private readonly DataViewRowCursor _cursor;
        private readonly ValueGetter<VBuffer<float>> _getter;
        private readonly string _column;
        private readonly int _size;
        private VBuffer<float> _row;

        public BatchReader(IDataView data, string column, int size)
        {
            var col = data.Schema[column];
            _cursor = data.GetRowCursor([col]);
            _getter = _cursor.GetGetter<VBuffer<float>>(col);
            _column = column;
            _size = size;
        }

        public int Read(float[] buffer, int max)
        {
            int r = 0;
            while (r < max && _cursor.MoveNext())
            {
                _getter(ref _row);
                var span = buffer.AsSpan(r * _size, _size);
                _row.CopyTo(span);
                for (int j = 0; j < span.Length; j++)
                {
                    if (!float.IsFinite(span[j]))
                        throw new InvalidOperationException($"Column '{_column}', row {_cursor.Position}, slot {j}: expected a finite number, found {span[j]}.");
                }
                r++;
            }
            return r;
        }

        public void Dispose() => _cursor.Dispose();
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Models.Activations;

/// <summary>
/// The ONNX activation source: reads chosen intermediate tensors of an ONNX network (default: every Conv output) and its
/// class scores for batches of inputs, through ONNX Runtime.
/// </summary>
/// <remarks>
/// <para>The model is edited in memory before the session is created: the chosen nodes' outputs are appended to the
/// graph outputs, the batch dimension of the input and of every output becomes symbolic, and the file's intermediate
/// shape annotations (value_info, which pin batch 1 in exported files) are dropped. One probe run of two zero inputs
/// then gives every layer's shape and the number of classes. When the graph itself fixes the batch (a Reshape to
/// [1, -1], say), the probe of two rows fails and inputs are run one at a time instead (<see cref="BatchesInputs"/>).</para>
/// <para>ONNX Runtime is used directly, not ML.NET's OnnxTransformer, because that transformer runs one row per session
/// Run and forces the batch dimension to 1 (see docs/onnx.md).</para>
/// <para>Thread-safe: ONNX Runtime sessions allow concurrent Run calls and every call uses its own buffers. Cost per
/// batch: one forward pass, the input preparation (a bilinear resize when <see cref="OnnxActivationOptions.DataShape"/>
/// differs from the model's input), and a copy of sum_l d_l floats per input. Dispose releases the native session.</para>
/// </remarks>
public sealed class OnnxActivationSource : IActivationSource, IDisposable
{
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly int[] _modelShape;
    private readonly int _modelSize;
    private readonly string _scoreOutput;
    private readonly int[] _layerSizesBeforePooling;
    private bool _disposed;

    /// <summary>Opens an ONNX file (see <see cref="OnnxActivationSource(byte[], OnnxActivationOptions?, string)"/>).</summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <returns>The source; dispose it to release the session.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model (the message names it), or ONNX Runtime cannot run it.</exception>
    /// <exception cref="ArgumentException">An unknown node name (the message lists the available ones), a wrong input shape, or dims it cannot infer.</exception>
    public static OnnxActivationSource Open(string path, OnnxActivationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model file {Path.GetFullPath(path)} does not exist.", path);
        return new OnnxActivationSource(File.ReadAllBytes(path), options, path);
    }

    /// <summary>Builds the source over the bytes of an ONNX model, checks the options against it, creates the session and probes the shapes.</summary>
    /// <param name="model">The ONNX ModelProto bytes (kept unchanged in <see cref="ModelBytes"/>).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="source">Where the bytes come from, for messages (a file name).</param>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model, or ONNX Runtime cannot run it.</exception>
    /// <exception cref="ArgumentException">An unknown node name (the message lists the available ones), a wrong input shape, or dims it cannot infer.</exception>
    public OnnxActivationSource(byte[] model, OnnxActivationOptions? options, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        Options = options ?? new OnnxActivationOptions();
        ModelBytes = model;
        Source = source;
        var proto = Parse(model, source);
        var graph = proto.Graph;
        var nodes = ListNodes(graph);
        var selected = Select(nodes, Options, source);
        var input = FindInput(graph, Options, source);
        _inputName = input.Name;
        _modelShape = ModelShape(input, Options, source);
        _modelSize = _modelShape.Aggregate(1, (a, b) => checked(a * b));
        InputShape = Options.DataShape?.ToArray() ?? _modelShape;
        CheckDataShape(InputShape, _modelShape, Options, source);
        _scoreOutput = Options.ScoreOutputName ?? graph.Output[0].Name;
        if (graph.Output.All(o => o.Name != _scoreOutput))
            throw new ArgumentException($"The 'ScoreOutputName' option names '{_scoreOutput}', which is not an output of {source}. Its outputs: {string.Join(", ", graph.Output.Select(o => o.Name))}.");

        ExposeWithSymbolicBatch(graph, selected.Select(n => n.Output));
        try
        {
            _session = new InferenceSession(proto.ToByteArray());
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{source}: ONNX Runtime cannot load the model: {e.Message}", e);
        }
        try
        {
            var outputs = selected.Select(n => n.Output).Append(_scoreOutput).Distinct().ToArray();
            var (shapes, batches) = Probe(outputs);
            BatchesInputs = batches;
            int[] Shape(string name) => shapes[Array.IndexOf(outputs, name)];
            Layers = selected.Select(n => n with { Shape = Shape(n.Output) }).ToArray();
            _layerSizesBeforePooling = Layers.Select(n => n.Shape!.Aggregate(1, (a, b) => checked(a * b))).ToArray();
            LayerShapes = Layers.Select(n => Options.Pooling == ActivationPooling.GlobalAverage ? PooledShape(n) : n.Shape!).ToArray();
            LayerSizes = LayerShapes.Select(s => s.Aggregate(1, (a, b) => checked(a * b))).ToArray();
            Classes = Shape(_scoreOutput).Aggregate(1, (a, b) => checked(a * b));
            var known = Layers.ToDictionary(n => n.Name);
            Nodes = nodes.Select(n => known.TryGetValue(n.Name, out var k) ? k : n).ToArray();
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>Every node of the graph, in graph order (shapes where the file annotates them, and for the layers read).</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>The nodes read as layers, in graph order, with their output shapes (per input, before pooling).</summary>
    public IReadOnlyList<OnnxNode> Layers { get; }

    /// <summary>The settings.</summary>
    public OnnxActivationOptions Options { get; }

    /// <summary>The model file (or other description) the bytes came from.</summary>
    public string Source { get; }

    /// <summary>The ONNX model as given (before the in-memory edit), for saving.</summary>
    public byte[] ModelBytes { get; }

    /// <summary>True when a batch of inputs runs in one session Run; false when the graph fixes the batch to 1 and inputs run one at a time.</summary>
    public bool BatchesInputs { get; }

    /// <summary>Per-input shape the network itself takes (channels, height, width).</summary>
    public IReadOnlyList<int> ModelInputShape => _modelShape;

    /// <inheritdoc />
    public IReadOnlyList<string> LayerNames => Layers.Select(n => n.Name).ToArray();

    /// <inheritdoc />
    public int[] InputShape { get; }

    /// <inheritdoc />
    public int[][] LayerShapes { get; }

    /// <inheritdoc />
    public int[] LayerSizes { get; }

    /// <inheritdoc />
    public int Classes { get; }

    /// <summary>Lists the nodes of an ONNX file without creating a session: name, op type, first output and its shape where the file annotates it.</summary>
    /// <param name="path">The .onnx file.</param>
    /// <returns>The nodes in graph order.</returns>
    /// <exception cref="InvalidDataException">The file is not an ONNX model.</exception>
    public static IReadOnlyList<OnnxNode> ListNodes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model file {Path.GetFullPath(path)} does not exist.", path);
        return ListNodes(Parse(File.ReadAllBytes(path), path).Graph);
    }

    /// <summary>The names of the layers <paramref name="options"/> selects in a model, without creating a session.</summary>
    internal static string[] SelectLayerNames(byte[] model, OnnxActivationOptions options, string source)
        => Select(ListNodes(Parse(model, source).Graph), options, source).Select(n => n.Name).ToArray();

    /// <inheritdoc />
    public void Run(float[] inputs, int rows, bool[] active, float[]?[] layerOutputs, float[]? scores, float[]? logits = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(active);
        ArgumentNullException.ThrowIfNull(layerOutputs);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int inputSize = InputShape.Aggregate(1, (a, b) => a * b);
        if (rows < 0 || (long)rows * inputSize > inputs.LongLength)
            throw new ArgumentException($"{rows} inputs of shape [{string.Join(", ", InputShape)}] need {(long)rows * inputSize} values; the buffer holds {inputs.LongLength}.", nameof(inputs));
        if (rows == 0) return;
        var names = new List<string>();
        for (int l = 0; l < Layers.Count; l++)
            if (active[l] && !names.Contains(Layers[l].Output)) names.Add(Layers[l].Output);
        bool wantScores = scores is not null || logits is not null;
        if (wantScores && !names.Contains(_scoreOutput)) names.Add(_scoreOutput);
        if (names.Count == 0) return;
        var prepared = Prepare(inputs, rows);
        int step = BatchesInputs ? rows : 1;
        for (int start = 0; start < rows; start += step)
        {
            int count = Math.Min(step, rows - start);
            using var results = Evaluate(prepared, start, count, names);
            for (int l = 0; l < Layers.Count; l++)
            {
                if (!active[l]) continue;
                var values = Floats(results[names.IndexOf(Layers[l].Output)], count, _layerSizesBeforePooling[l], Layers[l].Name);
                var destination = (layerOutputs[l] ?? throw new ArgumentException($"No buffer for active layer '{Layers[l].Name}'.", nameof(layerOutputs)))
                    .AsSpan(start * LayerSizes[l], count * LayerSizes[l]);
                if (Options.Pooling == ActivationPooling.GlobalAverage) AveragePool(values, destination);
                else values.CopyTo(destination);
            }
            if (!wantScores) continue;
            var raw = Floats(results[names.IndexOf(_scoreOutput)], count, Classes, _scoreOutput);
            if (logits is not null) raw.CopyTo(logits.AsSpan(start * Classes, count * Classes));
            if (scores is null) continue;
            var target = scores.AsSpan(start * Classes, count * Classes);
            if (Options.ScoresAreProbabilities) raw.CopyTo(target);
            else for (int r = 0; r < count; r++) Softmax(raw.Slice(r * Classes, Classes), target.Slice(r * Classes, Classes));
        }
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _session.Dispose();
    }

    private IDisposableReadOnlyCollection<OrtValue> Evaluate(float[] prepared, int start, int count, IReadOnlyCollection<string> outputs)
    {
        var memory = new Memory<float>(prepared, start * _modelSize, count * _modelSize);
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, [count, .. _modelShape.Select(v => (long)v)]);
        using var runOptions = new RunOptions();
        return _session.Run(runOptions, [_inputName], [input], outputs);
    }

    /// <summary>Runs two zero inputs (one when the graph fixes the batch) and returns each output's per-input shape.</summary>
    private (int[][] Shapes, bool Batches) Probe(string[] outputs)
    {
        var zeros = new float[2 * _modelSize];
        var two = TryProbe(zeros, 2, outputs, out _);
        if (two is not null) return (two, true);
        // The graph pins batch 1 somewhere (a Reshape constant, say): run one input per session Run.
        var one = TryProbe(zeros, 1, outputs, out var error);
        if (one is null)
            throw new ArgumentException($"{Source} rejected an input of shape [1, {string.Join(", ", _modelShape)}] on '{_inputName}': {error}");
        return (one, false);
    }

    /// <summary>Per-input output shapes for <paramref name="rows"/> zero inputs, or null (with the reason) when the run fails or an output loses the batch.</summary>
    private int[][]? TryProbe(float[] zeros, int rows, string[] outputs, out string error)
    {
        try
        {
            using var results = Evaluate(zeros, 0, rows, outputs);
            var shapes = new int[outputs.Length][];
            for (int k = 0; k < outputs.Length; k++)
            {
                var shape = results[k].GetTensorTypeAndShape().Shape;
                if (shape.Length == 0 || shape[0] != rows)
                {
                    error = $"output '{outputs[k]}' has shape [{string.Join(", ", shape)}] for {rows} input(s): its first dimension is not the batch, so it cannot be read per input (select another node)";
                    return null;
                }
                shapes[k] = shape.Length == 1 ? [1] : shape.Skip(1).Select(v => checked((int)v)).ToArray();
            }
            error = "";
            return shapes;
        }
        catch (OnnxRuntimeException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>The data's inputs as the model's: bilinear resize, grey repeated over channels, normalisation; the same array when nothing is to do.</summary>
    private float[] Prepare(float[] inputs, int rows)
    {
        bool resize = InputShape[1] != _modelShape[1] || InputShape[2] != _modelShape[2];
        bool expand = InputShape[0] != _modelShape[0];
        if (!resize && !expand && Options.Normalization == OnnxInputNormalization.None) return inputs;
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        int size = InputShape.Aggregate(1, (a, b) => a * b);
        var x = torch.tensor(inputs.AsSpan(0, rows * size).ToArray(), [rows, InputShape[0], InputShape[1], InputShape[2]]);
        if (resize) x = nn.functional.interpolate(x, [_modelShape[1], _modelShape[2]], mode: InterpolationMode.Bilinear, align_corners: false);
        if (expand) x = x.expand(rows, _modelShape[0], _modelShape[1], _modelShape[2]);
        if (Options.Normalization == OnnxInputNormalization.ImageNet)
            x = (x - torch.tensor(ImageNetMean).view(1, 3, 1, 1)) / torch.tensor(ImageNetStd).view(1, 3, 1, 1);
        var result = new float[rows * _modelSize];
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(x.contiguous().bytes).CopyTo(result);
        return result;
    }

    private static ReadOnlySpan<float> Floats(OrtValue value, int rows, int size, string name)
    {
        var info = value.GetTensorTypeAndShape();
        if (info.ElementDataType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float)
            throw new InvalidOperationException($"Output '{name}' holds {info.ElementDataType} values; only float tensors can be read.");
        var span = value.GetTensorDataAsSpan<float>();
        if (span.Length != (long)rows * size)
            throw new InvalidOperationException($"Output '{name}' produced {span.Length} values for {rows} input(s); the probe run gave {size} per input (its shape depends on the input).");
        return span;
    }

    private static void AveragePool(ReadOnlySpan<float> values, Span<float> destination)
    {
        int plane = values.Length / destination.Length;
        for (int i = 0; i < destination.Length; i++)
        {
            double sum = 0;
            foreach (float v in values.Slice(i * plane, plane)) sum += v;
            destination[i] = (float)(sum / plane);
        }
    }

    private static void Softmax(ReadOnlySpan<float> logits, Span<float> target)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = Math.Max(max, v);
        double sum = 0;
        for (int c = 0; c < logits.Length; c++) sum += Math.Exp(logits[c] - max);
        for (int c = 0; c < logits.Length; c++) target[c] = (float)(Math.Exp(logits[c] - max) / sum);
    }

    private int[] PooledShape(OnnxNode node) => node.Shape!.Length == 3
        ? [node.Shape[0]]
        : throw new ArgumentException($"Layer '{node.Name}' of {Source} has per-input shape [{string.Join(", ", node.Shape)}]; global average pooling needs C x H x W.");

    internal static ModelProto Parse(byte[] bytes, string source)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source} is not an ONNX model: it does not parse as an ONNX ModelProto ({e.Message}).", e);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0 || model.Graph.Input.Count == 0 || model.Graph.Output.Count == 0)
            throw new InvalidDataException($"{source} is not an ONNX model: it holds no graph with nodes, inputs and outputs.");
        return model;
    }

    private static List<OnnxNode> ListNodes(GraphProto graph)
    {
        var shapes = new Dictionary<string, int[]>();
        foreach (var info in graph.ValueInfo.Concat(graph.Output))
        {
            var dims = info.Type?.TensorType?.Shape?.Dim;
            if (dims is { Count: > 1 } && dims.Skip(1).All(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > 0))
                shapes[info.Name] = dims.Skip(1).Select(d => checked((int)d.DimValue)).ToArray();
        }
        return graph.Node.Where(n => n.Output.Count > 0)
            .Select(n => new OnnxNode(string.IsNullOrEmpty(n.Name) ? n.Output[0] : n.Name, n.OpType, n.Output[0], shapes.GetValueOrDefault(n.Output[0])))
            .ToList();
    }

    private static OnnxNode[] Select(IReadOnlyList<OnnxNode> nodes, OnnxActivationOptions options, string source)
    {
        string Available() => string.Join(", ", nodes.Select(n => n.Name == n.Output ? $"{n.Name} ({n.OpType})" : $"{n.Name} ({n.OpType}, output {n.Output})"));
        if (options.LayerNames is { } names)
        {
            if (names.Count == 0) throw new ArgumentException("The 'LayerNames' option of OnnxActivationOptions is empty; give at least one node name or null.");
            var wanted = new HashSet<OnnxNode>();
            foreach (var name in names)
                wanted.Add(nodes.FirstOrDefault(n => n.Name == name || n.Output == name)
                    ?? throw new ArgumentException($"Unknown node '{name}' in {source}. Available nodes: {Available()}."));
            return nodes.Where(wanted.Contains).ToArray();
        }
        Regex? pattern;
        try
        {
            pattern = options.LayerPattern is null ? null : new Regex($"^(?:{options.LayerPattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The 'LayerPattern' option of OnnxActivationOptions is not a valid regular expression: {e.Message}", e);
        }
        var ops = options.OpTypes ?? (pattern is null ? OnnxActivationOptions.Defaults.OpTypes : null);
        var selected = nodes.Where(n => (pattern is null || pattern.IsMatch(n.Name) || pattern.IsMatch(n.Output))
            && (ops is null || ops.Contains(n.OpType, StringComparer.OrdinalIgnoreCase))).ToArray();
        if (selected.Length == 0)
        {
            var present = nodes.GroupBy(n => n.OpType).Select(g => $"{g.Key} ({g.Count()})");
            throw new ArgumentException($"No node of {source} matches the layer selection (pattern {options.LayerPattern ?? "none"}, op types {(ops is null ? "any" : string.Join(", ", ops))}). "
                + $"Op types in the model: {string.Join(", ", present)}.");
        }
        return selected;
    }

    private static ValueInfoProto FindInput(GraphProto graph, OnnxActivationOptions options, string source)
    {
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        var input = options.InputName is { } name
            ? inputs.FirstOrDefault(i => i.Name == name) ?? throw new ArgumentException($"The 'InputName' option names '{name}', which is not an input of {source}. Its inputs: {string.Join(", ", inputs.Select(i => i.Name))}.")
            : inputs.Count == 1 ? inputs[0]
            : throw new ArgumentException($"{source} has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); set the 'InputName' option of OnnxActivationOptions.");
        var tensor = input.Type?.TensorType;
        if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float)
            throw new ArgumentException($"Input '{input.Name}' of {source} is not a float tensor (element type {tensor?.ElemType.ToString(CultureInfo.InvariantCulture) ?? "none"}); only float NCHW inputs are supported.");
        return input;
    }

    private static int[] ModelShape(ValueInfoProto input, OnnxActivationOptions options, string source)
    {
        var dims = input.Type.TensorType.Shape?.Dim;
        if (dims is null || dims.Count != 4)
            throw new ArgumentException($"Input '{input.Name}' of {source} has {(dims is null ? "no declared shape" : $"{dims.Count} dimensions")}; an NCHW image input (4 dimensions) is expected.");
        var declared = dims.Skip(1).Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > 0 ? checked((int)d.DimValue) : -1).ToArray();
        string Declared() => "[N, " + string.Join(", ", declared.Select(v => v < 0 ? "?" : v.ToString(CultureInfo.InvariantCulture))) + "]";
        if (options.ModelInputShape is not { } given)
        {
            return declared.All(v => v > 0) ? declared
                : throw new ArgumentException($"Input '{input.Name}' of {source} has dynamic dimensions {Declared()} that cannot be inferred; set the 'ModelInputShape' option of OnnxActivationOptions (channels, height, width).");
        }
        if (given.Count != 3 || given.Any(v => v < 1))
            throw new ArgumentException($"The 'ModelInputShape' option of OnnxActivationOptions must list three positive sizes (channels, height, width). Got [{string.Join(", ", given)}] instead.");
        for (int i = 0; i < 3; i++)
            if (declared[i] > 0 && declared[i] != given[i])
                throw new ArgumentException($"The 'ModelInputShape' option [{string.Join(", ", given)}] does not fit input '{input.Name}' of {source}, declared {Declared()}.");
        return given.ToArray();
    }

    private static void CheckDataShape(int[] data, int[] model, OnnxActivationOptions options, string source)
    {
        string Fmt(IEnumerable<int> s) => $"[{string.Join(", ", s)}]";
        if (data.Length != 3 || data.Any(v => v < 1))
            throw new ArgumentException($"The 'DataShape' option of OnnxActivationOptions must list three positive sizes (channels, height, width). Got {Fmt(data)} instead.");
        if (data[0] != model[0] && data[0] != 1)
            throw new ArgumentException($"Inputs of shape {Fmt(data)} cannot feed {source}, which takes {Fmt(model)}: only one grey channel can be repeated over the model's channels.");
        if (options.Normalization == OnnxInputNormalization.ImageNet && model[0] != 3)
            throw new ArgumentException($"ImageNet normalisation needs a 3-channel model input; {source} takes {Fmt(model)}.");
    }

    /// <summary>Appends the layers' tensors to the graph outputs and makes the batch dimension symbolic everywhere it is declared.</summary>
    private static void ExposeWithSymbolicBatch(GraphProto graph, IEnumerable<string> layerOutputs)
    {
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        foreach (var info in graph.Input.Where(i => !initializers.Contains(i.Name)).Concat(graph.Output))
        {
            var dims = info.Type?.TensorType?.Shape?.Dim;
            if (dims is not { Count: > 0 }) continue;
            dims[0].ClearValue();
            dims[0].DimParam = "N";
        }
        // value_info of exported files pins batch 1 on every intermediate tensor; ONNX Runtime re-infers the shapes.
        graph.ValueInfo.Clear();
        var present = graph.Output.Select(o => o.Name).ToHashSet();
        foreach (var name in layerOutputs)
            if (present.Add(name)) graph.Output.Add(new ValueInfoProto { Name = name });
    }
}

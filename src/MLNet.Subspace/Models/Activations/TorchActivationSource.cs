using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Models.Activations;

/// <summary>
/// The TorchSharp activation source: runs a network in eval mode under <c>no_grad</c> on batches of flat inputs and copies
/// the chosen layers' outputs (read through forward hooks, flattened or globally average-pooled) and the softmax scores
/// into managed arrays.
/// </summary>
/// <remarks>
/// Thread-safe: forward passes of one engine are serialised by a lock (libtorch already uses every
/// core inside each op), hooks are installed for one batch and removed after it, and the
/// <c>no_grad</c> guard and dispose scope are opened on the calling thread. Cost per batch: one
/// forward pass plus a copy of sum_l d_l floats per input.
/// </remarks>
public sealed class TorchActivationSource : IActivationSource
{
    private readonly object _gate = new();
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly nn.Module<Tensor, Tensor>[] _modules;

    /// <summary>Probes <paramref name="model"/> once with two zero inputs to learn every layer's shape and the number of classes.</summary>
    /// <param name="model">The network; moved to <paramref name="device"/> and set to eval mode.</param>
    /// <param name="layers">The layers to read (see <see cref="LayerSelector.Select"/>).</param>
    /// <param name="inputShape">Shape of one input (channels, height, width).</param>
    /// <param name="pooling">Flatten (the paper) or global average pooling.</param>
    /// <param name="device">Where to run.</param>
    /// <param name="inputDescription">Where the inputs come from, for messages (e.g. "column 'Features'").</param>
    /// <exception cref="ArgumentException">A layer cannot be captured, or the model rejects the input shape.</exception>
    public TorchActivationSource(nn.Module<Tensor, Tensor> model, IReadOnlyList<SelectedLayer> layers, int[] inputShape, ActivationPooling pooling, Device device, string inputDescription)
    {
        _model = model;
        Layers = layers;
        InputShape = inputShape;
        Pooling = pooling;
        Device = device;
        _modules = layers.Select(l => l.Module as nn.Module<Tensor, Tensor>
            ?? throw new ArgumentException($"Layer '{l.Name}' is a {l.TypeName}, which takes or returns something other than one tensor, so its output cannot be captured.")).ToArray();
        if (model is ImageClassifier image && !image.InputShape.SequenceEqual(inputShape))
            throw new ArgumentException($"The model expects inputs of shape [{string.Join(", ", image.InputShape)}] (channels, height, width) but {inputDescription} has shape [{string.Join(", ", inputShape)}].");
        lock (_gate)
        {
            _model.to(device);
            _model.eval();
            var shapes = new long[layers.Count][];
            var all = Enumerable.Repeat(true, layers.Count).ToArray();
            try
            {
                Forward(new float[2 * InputSize], 2, all, (l, t) => shapes[l] = t.shape.Skip(1).ToArray(), out var classes);
                Classes = classes;
            }
            catch (System.Runtime.InteropServices.ExternalException e)
            {
                throw new ArgumentException($"The model rejected an input of shape [{string.Join(", ", inputShape)}] from {inputDescription}: {e.Message}", e);
            }
            LayerShapes = shapes.Select(s => s.Select(v => (int)v).ToArray()).ToArray();
            LayerSizes = LayerShapes.Select(s => s.Aggregate(1, (a, b) => checked(a * b))).ToArray();
        }
    }

    /// <summary>The layers read, in registration order.</summary>
    public IReadOnlyList<SelectedLayer> Layers { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> LayerNames => Layers.Select(l => l.Name).ToArray();

    /// <inheritdoc />
    public int[] InputShape { get; }

    /// <summary>Values in one input.</summary>
    public int InputSize => InputShape.Aggregate(1, (a, b) => a * b);

    /// <summary>Flatten or global average pooling.</summary>
    public ActivationPooling Pooling { get; }

    /// <summary>Where the network runs.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    public int Classes { get; }

    /// <inheritdoc />
    public int[][] LayerShapes { get; private set; } = [];

    /// <inheritdoc />
    public int[] LayerSizes { get; private set; } = [];

    /// <inheritdoc />
    public void Run(float[] inputs, int rows, bool[] active, float[]?[] layerOutputs, float[]? scores, float[]? logits = null)
    {
        lock (_gate)
        {
            Forward(inputs, rows, active, (l, t) => Copy(t, layerOutputs[l]!, Layers[l].Name), out _, scores, logits);
        }
    }

    private void Forward(float[] inputs, int rows, bool[] active, Action<int, Tensor> sink, out int classes, float[]? scores = null, float[]? logits = null)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var fired = new bool[_modules.Length];
        using (var hooks = new ForwardHookSet())
        {
            for (int l = 0; l < _modules.Length; l++)
            {
                if (!active[l]) continue;
                int layer = l;
                hooks.Add(_modules[l], output =>
                {
                    if (fired[layer])
                        throw new InvalidOperationException($"Layer '{Layers[layer].Name}' ran more than once in one forward pass (a reused module); its activations are ambiguous. Select another layer.");
                    fired[layer] = true;
                    var pooled = Pooling == ActivationPooling.GlobalAverage ? GlobalAverage(output, Layers[layer].Name) : output;
                    sink(layer, pooled);
                });
            }
            var batch = torch.tensor(inputs, [inputs.Length / InputSize, .. InputShape.Select(v => (long)v)]);
            if (batch.shape[0] != rows) batch = batch.narrow(0, 0, rows);
            var output = _model.call(batch.to(Device));
            if (output.dim() != 2 || output.shape[0] != rows)
                throw new InvalidOperationException($"The model returned logits of shape [{string.Join(", ", output.shape)}]; expected [{rows}, classes].");
            classes = (int)output.shape[1];
            if (scores is not null) Copy(output.softmax(1), scores, "Score");
            if (logits is not null) Copy(output, logits, "logits");
        }
        for (int l = 0; l < fired.Length; l++)
        {
            if (active[l] && !fired[l])
                throw new InvalidOperationException($"Layer '{Layers[l].Name}' did not run in a forward pass: it is unused or invoked with forward() instead of call(), so hooks cannot see it.");
        }
    }

    private static Tensor GlobalAverage(Tensor output, string name)
        => output.dim() == 4 ? output.mean([2L, 3L])
            : throw new InvalidOperationException($"Layer '{name}' returns a tensor of shape [{string.Join(", ", output.shape)}]; global average pooling needs N x C x H x W.");

    private static void Copy(Tensor t, float[] destination, string name)
    {
        using var cpu = t.detach().to(torch.CPU).to_type(ScalarType.Float32).contiguous();
        long n = cpu.numel();
        if (n > destination.LongLength)
            throw new InvalidOperationException($"Layer '{name}' produced {n} values for a buffer of {destination.LongLength}.");
        // A view of the tensor's own memory: one memcpy, no per-element accessor.
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(cpu.bytes).CopyTo(destination);
    }
}

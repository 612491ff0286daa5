using MLNet.Subspace.Data;
using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Models.Activations;

/// <summary>
/// Activations of chosen layers for N inputs, computed once and held in memory: per layer an
/// N x d_l row-major float array (one row per input), the per-input layer shapes, the network's
/// scores and predictions, and the true labels when known.
/// </summary>
/// <remarks>
/// Use this when an analysis reads every layer several times (SSC per layer, the L x L CKA matrix,
/// per-epoch comparisons): the lazy transform would rerun the network on every pass. Memory:
/// 4 N (sum_l d_l + classes) bytes; <see cref="CheckFits"/> refuses with an estimate beforehand.
/// </remarks>
public sealed class LayerActivations
{
    internal LayerActivations(string[] layerNames, int[][] shapes, float[][] values, float[] scores, int classes, int[]? labels, string[] classNames)
    {
        LayerNames = layerNames;
        LayerShapes = shapes;
        Values = values;
        Scores = scores;
        Classes = classes;
        Count = classes == 0 ? 0 : scores.Length / classes;
        Labels = labels;
        ClassNames = classNames;
        Predictions = new int[Count];
        for (int i = 0; i < Count; i++)
        {
            var row = scores.AsSpan(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            Predictions[i] = best;
        }
    }

    /// <summary>The same inputs' outputs with these layers' values (the scores, labels and class names are shared).</summary>
    internal LayerActivations WithLayers(string[] names, int[][] shapes, float[][] values)
        => new(names, shapes, values, Scores, Classes, Labels, ClassNames.ToArray());

    /// <summary>Layer paths, in registration order.</summary>
    public IReadOnlyList<string> LayerNames { get; }

    /// <summary>Per-input shape of each layer (C, H, W flattened, or C when pooled).</summary>
    public IReadOnlyList<int[]> LayerShapes { get; }

    /// <summary>Per layer, N x d_l values, input-major.</summary>
    public IReadOnlyList<float[]> Values { get; }

    /// <summary>N x classes softmax scores.</summary>
    public float[] Scores { get; }

    /// <summary>The network's predicted class of each input.</summary>
    public int[] Predictions { get; }

    /// <summary>True class of each input, when known.</summary>
    public int[]? Labels { get; }

    /// <summary>Class names (or "0", "1", ...).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Number of inputs N.</summary>
    public int Count { get; }

    /// <summary>Per-input length d_l of a layer's vector.</summary>
    /// <param name="layer">Index in <see cref="LayerNames"/>.</param>
    /// <returns>d_l.</returns>
    public int Size(int layer) => Values[layer].Length / Math.Max(Count, 1);

    /// <summary>The N x d_l values of a layer by name.</summary>
    /// <param name="name">A layer path.</param>
    /// <returns>The values and d_l.</returns>
    /// <exception cref="ArgumentException">The layer was not materialised; the message lists those that were.</exception>
    public (float[] Values, int Size) Layer(string name)
    {
        int l = LayerNames.ToList().IndexOf(name);
        if (l < 0) throw new ArgumentException($"Layer '{name}' was not materialised. Available layers: {string.Join(", ", LayerNames)}.", nameof(name));
        return (Values[l], Size(l));
    }

    /// <summary>
    /// Runs <paramref name="model"/> once over <paramref name="inputs"/> (for instance a
    /// class-balanced probe set from <see cref="ProbeSampling.ClassBalanced"/>) and keeps the
    /// selected layers.
    /// </summary>
    /// <param name="model">The trained network (set to eval mode and moved to the device).</param>
    /// <param name="inputs">The probe images; their labels become <see cref="Labels"/>.</param>
    /// <param name="layers">The layers (see <see cref="LayerSelector.Select"/>); null means every Conv2d.</param>
    /// <param name="pooling">Flatten (the paper) or global average pooling.</param>
    /// <param name="batchSize">Inputs per forward pass.</param>
    /// <param name="device">Where to run; null means the CPU.</param>
    /// <param name="maximumBytes">The memory the result may take; null means half of what .NET may use.</param>
    /// <returns>The activations.</returns>
    /// <exception cref="InsufficientMemoryException">The result would not fit; the message gives the estimate.</exception>
    public static LayerActivations Extract(nn.Module<Tensor, Tensor> model, ImageDataset inputs, IReadOnlyList<SelectedLayer>? layers = null,
        ActivationPooling pooling = ActivationPooling.Flatten, int batchSize = 64, Device? device = null, long? maximumBytes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The 'batchSize' argument must be 1 or more. Got {batchSize} instead.");
        layers ??= LayerSelector.Select(model);
        return Extract(new TorchActivationSource(model, layers, inputs.ImageShape, pooling, device ?? torch.CPU, "the probe images"), inputs, batchSize, maximumBytes);
    }

    /// <summary>Runs <paramref name="source"/> once over <paramref name="inputs"/> and keeps every layer it reads.</summary>
    /// <param name="source">The activation source (a TorchSharp network today; see <see cref="IActivationSource"/>).</param>
    /// <param name="inputs">The probe images, of the source's input shape; their labels become <see cref="Labels"/>.</param>
    /// <param name="batchSize">Inputs per forward pass.</param>
    /// <param name="maximumBytes">The memory the result may take; null means half of what .NET may use.</param>
    /// <returns>The activations.</returns>
    /// <exception cref="ArgumentException">The images do not have the source's input shape.</exception>
    /// <exception cref="InsufficientMemoryException">The result would not fit; the message gives the estimate.</exception>
    public static LayerActivations Extract(IActivationSource source, ImageDataset inputs, int batchSize = 64, long? maximumBytes = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(inputs);
        CheckInputs(source, inputs, batchSize);
        var names = source.LayerNames.ToArray();
        CheckFits(inputs.Count, names, source.LayerSizes, source.Classes, maximumBytes);
        var values = source.LayerSizes.Select(d => new float[(long)inputs.Count * d]).ToArray();
        var scores = RunBatches(source, inputs, batchSize, (start, rows, batchOut) =>
        {
            for (int l = 0; l < values.Length; l++)
                Array.Copy(batchOut[l], 0, values[l], (long)start * source.LayerSizes[l], (long)rows * source.LayerSizes[l]);
        });
        return Outputs(source, inputs, names, source.LayerShapes, values, scores);
    }

    /// <summary>
    /// Runs <paramref name="source"/> once over <paramref name="inputs"/> and streams each layer to its own
    /// <see cref="ActivationMatrixFile"/>, batch by batch, so only one batch of every layer is in memory: the full-scale
    /// route, where the layers of 10,000 inputs (4.8 GB for resnet18-16 at 28 x 28) do not fit beside the analysis.
    /// </summary>
    /// <param name="source">The activation source.</param>
    /// <param name="inputs">The probe images, of the source's input shape.</param>
    /// <param name="layerFiles">One destination per layer of the source, in its order (written under a temporary name, then renamed).</param>
    /// <param name="batchSize">Inputs per forward pass.</param>
    /// <returns>The files, their content hashes, and the scores, predictions and labels (a <see cref="LayerActivations"/> of no layers).</returns>
    public static ActivationFiles Stream(IActivationSource source, ImageDataset inputs, IReadOnlyList<string> layerFiles, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(layerFiles);
        if (layerFiles.Count != source.LayerNames.Count)
            throw new ArgumentException($"Give one file per layer: the source has {source.LayerNames.Count} layers, {layerFiles.Count} files were given.", nameof(layerFiles));
        CheckInputs(source, inputs, batchSize);
        if (layerFiles.Count > 0)
            MemoryBudget.CheckDisk($"Streaming {layerFiles.Count} layer(s) of {inputs.Count} inputs", Path.GetDirectoryName(Path.GetFullPath(layerFiles[0]))!,
                4L * inputs.Count * source.LayerSizes.Sum(d => (long)d), "Free disk space, use fewer probe inputs, or fewer layers.");
        var writers = new List<ActivationMatrixFile.Writer>();
        try
        {
            for (int l = 0; l < layerFiles.Count; l++) writers.Add(ActivationMatrixFile.Create(layerFiles[l], source.LayerSizes[l]));
            var scores = RunBatches(source, inputs, batchSize, (_, rows, batchOut) =>
            {
                for (int l = 0; l < writers.Count; l++) writers[l].Append(batchOut[l].AsSpan(0, rows * source.LayerSizes[l]));
            });
            var hashes = writers.Select(w => w.Complete()).ToArray();
            return new ActivationFiles(source.LayerNames.ToArray(), source.LayerShapes, layerFiles.Select(Path.GetFullPath).ToArray(), hashes,
                Outputs(source, inputs, [], [], [], scores));
        }
        finally
        {
            foreach (var writer in writers) writer.Dispose();
        }
    }

    private static void CheckInputs(IActivationSource source, ImageDataset inputs, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The 'batchSize' argument must be 1 or more. Got {batchSize} instead.");
        if (!inputs.ImageShape.SequenceEqual(source.InputShape))
            throw new ArgumentException($"The activation source expects inputs of shape [{string.Join(", ", source.InputShape)}] but the images have shape [{string.Join(", ", inputs.ImageShape)}].", nameof(inputs));
    }

    /// <summary>One pass over the inputs in batches: every layer's batch goes to <paramref name="onBatch"/> (start, rows, per-layer
    /// buffers); returns the N x classes scores.</summary>
    private static float[] RunBatches(IActivationSource source, ImageDataset inputs, int batchSize, Action<int, int, float[][]> onBatch)
    {
        int n = inputs.Count, d0 = inputs.ImageSize;
        var scores = new float[(long)n * source.Classes];
        var all = Enumerable.Repeat(true, source.LayerNames.Count).ToArray();
        var buffer = new float[(long)batchSize * d0];
        var batchOut = source.LayerSizes.Select(d => new float[(long)batchSize * d]).ToArray();
        var batchScores = new float[(long)batchSize * source.Classes];
        for (int start = 0; start < n; start += batchSize)
        {
            int rows = Math.Min(batchSize, n - start);
            inputs.Pixels.AsSpan(start * d0, rows * d0).CopyTo(buffer);
            source.Run(buffer, rows, all, batchOut!, batchScores);
            onBatch(start, rows, batchOut);
            Array.Copy(batchScores, 0, scores, (long)start * source.Classes, (long)rows * source.Classes);
        }
        return scores;
    }

    private static LayerActivations Outputs(IActivationSource source, ImageDataset inputs, string[] names, int[][] shapes, float[][] values, float[] scores)
        => new(names, shapes, values, scores, source.Classes, inputs.Labels.ToArray(), ClassNamesFor(inputs, source.Classes));

    /// <summary>The outputs of no layers for <paramref name="inputs"/> from their saved N x classes scores (a resumed run).</summary>
    internal static LayerActivations FromScores(float[] scores, int classes, ImageDataset inputs)
        => new([], [], [], scores, classes, inputs.Labels.ToArray(), ClassNamesFor(inputs, classes));

    /// <summary>The inputs' class names when the network scores those classes, else "0", "1", ...</summary>
    private static string[] ClassNamesFor(ImageDataset inputs, int classes)
        => inputs.ClassNames.Count == classes ? inputs.ClassNames.ToArray() : Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Bytes the activations of <paramref name="rows"/> inputs take: 4 rows (sum_l d_l + classes).</summary>
    /// <param name="rows">N.</param>
    /// <param name="layerSizes">d_l per layer.</param>
    /// <param name="classes">Number of classes.</param>
    /// <returns>The estimate in bytes.</returns>
    public static long EstimateBytes(long rows, IReadOnlyList<int> layerSizes, int classes)
        => checked(4 * rows * (layerSizes.Sum(d => (long)d) + classes) + 8 * rows);

    /// <summary>The default memory limit: half of what the .NET runtime may use.</summary>
    public static long DefaultMaximumBytes => MemoryBudget.HalfOfTotal();

    internal static void CheckFits(long rows, string[] names, IReadOnlyList<int> sizes, int classes, long? maximumBytes)
    {
        if (rows > int.MaxValue) throw new InsufficientMemoryException($"Cannot materialise {rows} rows: at most {int.MaxValue} are supported.");
        long need = EstimateBytes(rows, sizes, classes), limit = maximumBytes ?? DefaultMaximumBytes;
        long largest = sizes.Count == 0 ? 0 : sizes.Max(d => (long)d) * rows * 4;
        int biggest = sizes.Count == 0 ? 0 : sizes.ToList().IndexOf(sizes.Max());
        // One .NET array holds each layer, so the largest layer is also bounded by the array limit.
        MemoryBudget.Check(
            $"Materialising {names.Length} layer(s) for {rows} inputs ({rows} x {sizes.Sum(d => (long)d)} floats; the largest layer, '{(names.Length > 0 ? names[biggest] : "")}', alone {MemoryBudget.Format(largest)})",
            largest > Array.MaxLength ? long.MaxValue : need, limit,
            "Use fewer inputs (ProbeSampling.ClassBalanced), fewer layers, GlobalAverage pooling, or the lazy transform (Transform) which holds one batch at a time.");
    }
}

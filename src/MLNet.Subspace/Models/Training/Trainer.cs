using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLNet.Subspace.Data;
using MLNet.Subspace.IO;
using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Models.Training;

/// <summary>
/// Trains an image classifier with SGD (momentum, weight decay), a per-epoch learning-rate schedule,
/// optional random-crop/flip augmentation and an optional class-balanced fraction of the training
/// set; saves a snapshot every epoch and resumes from the last one after an interruption.
/// </summary>
/// <remarks>
/// <para>Determinism: the subset, every epoch's shuffle, the augmentation and torch's generator are
/// all derived from <see cref="TrainerOptions.Seed"/> and the epoch number, and a snapshot holds the
/// weights, the batch-norm statistics and the momentum buffers. So a run interrupted after epoch e
/// and resumed continues exactly as the uninterrupted run would (on the same device and thread count).</para>
/// <para>Snapshots: <c>epoch-NNN.pt</c> (TorchSharp format, see <see cref="ModelWeights"/>),
/// <c>epoch-NNN.optim.pt</c> (optimizer state) and <c>epoch-NNN.json</c> (settings fingerprint, the training data's
/// <see cref="ImageDataset.ContentHash"/> and the
/// metrics of every epoch so far), each written atomically; the JSON is written last and marks a
/// complete snapshot.</para>
/// <para>Cost per epoch: one forward and backward pass per training image, one forward pass per evaluation image.</para>
/// </remarks>
public sealed class Trainer
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly Action<string>? _log;
    private readonly TrainerOptions _options;

    /// <summary>Creates a trainer.</summary>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="log">Receives one line when a run resumes and one per finished epoch, or null.</param>
    public Trainer(TrainerOptions? options = null, Action<string>? log = null)
    {
        _log = log;
        _options = options ?? new TrainerOptions();
        _options.Validate();
    }

    /// <summary>Trains <paramref name="model"/> in place.</summary>
    /// <param name="model">The network (freshly built, or the same architecture as the snapshots when resuming).</param>
    /// <param name="train">Training images.</param>
    /// <param name="evaluation">Images to measure accuracy on after every epoch, or null.</param>
    /// <param name="progress">Receives a report after every batch and every epoch, or null.</param>
    /// <param name="cancellationToken">Stops between batches; completed epochs keep their snapshots.</param>
    /// <returns>The metrics of every epoch.</returns>
    public TrainingResult Train(nn.Module<Tensor, Tensor> model, ImageDataset train, ImageDataset? evaluation = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        if (evaluation is not null && !evaluation.ImageShape.SequenceEqual(train.ImageShape))
            throw new ArgumentException($"The evaluation images have shape [{string.Join(", ", evaluation.ImageShape)}] but the training images [{string.Join(", ", train.ImageShape)}].", nameof(evaluation));
        if (_options.SnapshotFolder is not null) CheckWritable(_options.SnapshotFolder);
        var device = TorchDevice.Resolve(_options.Device);
        int[] subset = Subset(train.Labels, train.ClassNames.Count, _options.TrainingFraction, _options.Seed);
        model.to(device);
        var parameters = model.parameters().ToList();
        using var optimizer = torch.optim.SGD(parameters, _options.LearningRate, _options.Momentum, weight_decay: _options.WeightDecay);

        var history = new List<EpochMetrics>();
        string? data = _options.SnapshotFolder is null ? null : train.ContentHash();
        int start = data is null ? 0 : Resume(model, optimizer, history, data);
        if (start > 0) _log?.Invoke($"Resumed from the snapshot of epoch {start} in {_options.SnapshotFolder}.");
        int batches = (subset.Length + _options.BatchSize - 1) / _options.BatchSize;
        for (int epoch = start; epoch < _options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double lr = _options.LearningRateAt(epoch);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            torch.manual_seed(EpochSeed(epoch));
            var rng = new Random(EpochSeed(epoch));
            int[] order = subset.ToArray();
            rng.Shuffle(order);

            model.train();
            double lossSum = 0;
            long correct = 0;
            var buffer = new float[(long)_options.BatchSize * train.ImageSize];
            var labels = new long[_options.BatchSize];
            for (int b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int from = b * _options.BatchSize, rows = Math.Min(_options.BatchSize, order.Length - from);
                Gather(train, order.AsSpan(from, rows), buffer, labels, _options.Augment ? rng : null, _options.CropPadding);
                using var scope = torch.NewDisposeScope();
                var x = torch.tensor(buffer, [_options.BatchSize, .. train.ImageShape.Select(v => (long)v)]).narrow(0, 0, rows).to(device);
                var y = torch.tensor(labels, [_options.BatchSize]).narrow(0, 0, rows).to(device);
                var logits = model.call(x);
                var loss = nn.functional.cross_entropy(logits, y);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * rows;
                correct += logits.argmax(1).eq(y).sum().item<long>();
                progress?.Report(new TrainingProgress(epoch + 1, _options.Epochs, b + 1, batches, lossSum / (from + rows), null));
            }
            var (testLoss, testAccuracy) = evaluation is null ? (null, null) : Evaluate(model, evaluation, device, _options.EvaluationBatchSize);
            var metrics = new EpochMetrics(epoch + 1, lr, lossSum / order.Length, (double)correct / order.Length, testLoss, testAccuracy, order.Length, clock.Elapsed.TotalSeconds);
            history.Add(metrics);
            if (data is not null) SaveSnapshot(model, optimizer, history, data);
            _log?.Invoke(Describe(metrics, _options.Epochs));
            progress?.Report(new TrainingProgress(epoch + 1, _options.Epochs, batches, batches, metrics.TrainLoss, metrics));
        }
        model.eval();
        return new TrainingResult(history, start);
    }

    /// <summary>Accuracy and mean cross-entropy of <paramref name="model"/> on <paramref name="data"/>, in eval mode.</summary>
    /// <param name="model">The network.</param>
    /// <param name="data">Labelled images.</param>
    /// <param name="device">Where to run; null means the CPU.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <returns>(loss, accuracy).</returns>
    public static (double? Loss, double? Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, ImageDataset data, Device? device = null, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        device ??= torch.CPU;
        model.eval();
        using var _ = torch.no_grad();
        double loss = 0;
        long correct = 0;
        for (int from = 0; from < data.Count; from += batchSize)
        {
            int rows = Math.Min(batchSize, data.Count - from);
            using var scope = torch.NewDisposeScope();
            var x = torch.tensor(data.Pixels.AsSpan(from * data.ImageSize, rows * data.ImageSize).ToArray(), [rows, .. data.ImageShape.Select(v => (long)v)]).to(device);
            var y = torch.tensor(data.Labels.AsSpan(from, rows).ToArray().Select(v => (long)v).ToArray(), [rows]).to(device);
            var logits = model.call(x);
            loss += nn.functional.cross_entropy(logits, y).item<float>() * rows;
            correct += logits.argmax(1).eq(y).sum().item<long>();
        }
        return (loss / data.Count, (double)correct / data.Count);
    }

    /// <summary>
    /// A class-balanced, seeded share of the inputs: ceil(fraction x n_c) of each class c, chosen
    /// uniformly, returned in ascending order.
    /// </summary>
    /// <param name="labels">Class of each input.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="fraction">Share in (0, 1].</param>
    /// <param name="seed">Seed.</param>
    /// <returns>Indices of the chosen inputs.</returns>
    public static int[] Subset(IReadOnlyList<int> labels, int classes, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (fraction >= 1) return Enumerable.Range(0, labels.Count).ToArray();
        var counts = new int[classes];
        foreach (int y in labels) counts[y]++;
        int perClassMin = counts.Where(c => c > 0).DefaultIfEmpty(0).Min();
        // Equal class counts: reuse the project's class-balanced probe sampler.
        if (counts.All(c => c == perClassMin) && perClassMin > 0)
            return ProbeSampling.ClassBalanced(labels, classes, (int)Math.Ceiling(fraction * perClassMin), new Random(seed)).Order().ToArray();
        var rng = new Random(seed);
        var chosen = new List<int>();
        for (int c = 0; c < classes; c++)
        {
            var pool = Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToArray();
            rng.Shuffle(pool);
            chosen.AddRange(pool.Take((int)Math.Ceiling(fraction * pool.Length)));
        }
        return chosen.Order().ToArray();
    }

    private static string Describe(EpochMetrics m, int epochs)
        => string.Create(CultureInfo.InvariantCulture,
            $"Epoch {m.Epoch}/{epochs}: lr {m.LearningRate:G4}, train loss {m.TrainLoss:F4}, train accuracy {m.TrainAccuracy:P2}{(m.TestAccuracy is { } a ? $", test accuracy {a:P2}" : "")}, {m.Seconds:F1} s.");

    private int EpochSeed(int epoch) => unchecked(_options.Seed * 1_000_003 + (epoch + 1) * 7919);

    /// <summary>Copies a batch of images (randomly cropped from a zero-padded copy and flipped when <paramref name="augment"/> is set) into <paramref name="buffer"/>.</summary>
    private static void Gather(ImageDataset data, ReadOnlySpan<int> indices, float[] buffer, long[] labels, Random? augment, int padding)
    {
        int c = data.Channels, h = data.Height, w = data.Width, size = data.ImageSize;
        for (int i = 0; i < indices.Length; i++)
        {
            var src = data.Image(indices[i]);
            var dst = buffer.AsSpan(i * size, size);
            labels[i] = data.Labels[indices[i]];
            if (augment is null)
            {
                src.CopyTo(dst);
                continue;
            }
            int dy = augment.Next(2 * padding + 1) - padding, dx = augment.Next(2 * padding + 1) - padding;
            bool flip = augment.Next(2) == 1;
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                {
                    int sy = y + dy;
                    var row = dst.Slice(ch * h * w + y * w, w);
                    if ((uint)sy >= (uint)h) { row.Clear(); continue; }
                    var srow = src.Slice(ch * h * w + sy * w, w);
                    for (int x = 0; x < w; x++)
                    {
                        int sx = (flip ? w - 1 - x : x) + dx;
                        row[x] = (uint)sx < (uint)w ? srow[sx] : 0f;
                    }
                }
        }
    }

    /// <summary>Refuses a snapshot folder that cannot be written before the first batch, not after the first epoch.</summary>
    private static void CheckWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The snapshot folder {Path.GetFullPath(folder)} is not writable ({e.Message}). Choose another folder.", e);
        }
    }

    /// <summary>The per-epoch metrics recorded with a snapshot (its epoch-NNN.json), from epoch 1 to that snapshot's epoch.</summary>
    /// <param name="weightsFile">A snapshot's epoch-NNN.pt, written by a <see cref="Trainer"/> with a snapshot folder.</param>
    /// <returns>The metrics, or null when the file has no metadata beside it (weights from elsewhere).</returns>
    /// <exception cref="InvalidDataException">The metadata is not a snapshot record.</exception>
    public static IReadOnlyList<EpochMetrics>? History(string weightsFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(weightsFile);
        string json = Path.ChangeExtension(weightsFile, ".json");
        if (!File.Exists(json)) return null;
        try
        {
            return JsonSerializer.Deserialize<Snapshot>(File.ReadAllText(json))?.Metrics ?? throw new InvalidDataException($"Snapshot metadata {json} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Snapshot metadata {json} is corrupt{(e.LineNumber is long line ? $" at line {line + 1}" : "")}: it is not a snapshot record.", e);
        }
    }

    private string SnapshotPath(int epoch, string suffix) => Path.Combine(_options.SnapshotFolder!, $"epoch-{epoch:D3}{suffix}");

    private void SaveSnapshot(nn.Module model, TorchSharp.Modules.SGD optimizer, List<EpochMetrics> history, string data)
    {
        Directory.CreateDirectory(_options.SnapshotFolder!);
        int epoch = history.Count;
        ModelWeights.Save(model, SnapshotPath(epoch, ".pt"));
        AtomicFile.Write(SnapshotPath(epoch, ".optim.pt"), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            optimizer.save_state_dict(writer);
        });
        var record = new Snapshot(epoch, _options.Fingerprint(), data, Path.GetFileName(SnapshotPath(epoch, ".pt")), Path.GetFileName(SnapshotPath(epoch, ".optim.pt")), history.ToArray());
        AtomicFile.WriteAllText(SnapshotPath(epoch, ".json"), w => w.Write(JsonSerializer.Serialize(record, Json)));
    }

    /// <summary>Loads the last complete snapshot, if any, and returns its epoch (0 when none).</summary>
    private int Resume(nn.Module model, TorchSharp.Modules.SGD optimizer, List<EpochMetrics> history, string data)
    {
        if (!Directory.Exists(_options.SnapshotFolder)) return 0;
        var last = Directory.EnumerateFiles(_options.SnapshotFolder!, "epoch-*.json")
            .Select(f => (File: f, Epoch: int.TryParse(Path.GetFileNameWithoutExtension(f)["epoch-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int e) ? e : -1))
            .Where(s => s.Epoch > 0 && File.Exists(SnapshotPath(s.Epoch, ".pt")) && File.Exists(SnapshotPath(s.Epoch, ".optim.pt")))
            .OrderByDescending(s => s.Epoch)
            .FirstOrDefault();
        if (last.File is null) return 0;
        Snapshot record;
        try
        {
            record = JsonSerializer.Deserialize<Snapshot>(File.ReadAllText(last.File)) ?? throw new InvalidDataException("empty");
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            throw new InvalidDataException($"Snapshot metadata {last.File} is corrupt{where}: it is not a snapshot record. Delete it (and its epoch's .pt files) to train that epoch again.", e);
        }
        if (record.Fingerprint != _options.Fingerprint())
            throw new InvalidOperationException(
                $"Snapshot folder {_options.SnapshotFolder} holds a run with other settings ({record.Fingerprint}) than this one ({_options.Fingerprint()}: epochs;batch;lr;momentum;decay;schedule;step;gamma;augment;padding;fraction;seed). Use another folder or the same settings.");
        if (record.Data != data)
            throw new InvalidOperationException(
                $"Snapshot folder {_options.SnapshotFolder} holds a run on other training data (sha256 {record.Data ?? "not recorded"}) than this one (sha256 {data}). Use another folder, or the data that run was trained on.");
        ModelWeights.Load(model, SnapshotPath(record.Epoch, ".pt"), WeightsFormat.TorchSharp);
        using (var stream = File.OpenRead(SnapshotPath(record.Epoch, ".optim.pt")))
        using (var reader = new BinaryReader(stream))
            optimizer.load_state_dict(reader);
        history.AddRange(record.Metrics);
        return record.Epoch;
    }

    private sealed record Snapshot(int Epoch, string Fingerprint, string? Data, string Weights, string Optimizer, EpochMetrics[] Metrics);
}

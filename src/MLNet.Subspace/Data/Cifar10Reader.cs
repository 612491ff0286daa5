namespace MLNet.Subspace.Data;

/// <summary>
/// Reads CIFAR-10 binary batches (data_batch_1.bin ... data_batch_5.bin, test_batch.bin).
/// </summary>
/// <remarks>
/// Each record is one label byte followed by 3072 pixel bytes: the 1024 red, then green, then blue
/// values of a 32x32 image, row-major, which is already the C x H x W layout torch expects.
/// </remarks>
public static class Cifar10Reader
{
    /// <summary>Bytes per record: a label and 3 x 32 x 32 pixels.</summary>
    public const int RecordSize = 1 + ImageSize;

    private const int ImageSize = 3 * 32 * 32;

    /// <summary>CIFAR-10's class names, index = label.</summary>
    public static readonly IReadOnlyList<string> ClassNames =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Reads one or more binary batch files into one dataset, pixels scaled to [0, 1].</summary>
    /// <param name="batchFiles">The batch files, read in the order given.</param>
    /// <returns>3 x 32 x 32 images with CIFAR-10's class names.</returns>
    /// <exception cref="DataFileException">A file's size is not a whole number of records, or a label is not in 0..9.</exception>
    public static ImageDataset Load(params string[] batchFiles)
    {
        ArgumentNullException.ThrowIfNull(batchFiles);
        if (batchFiles.Length == 0) throw new ArgumentException("Give at least one CIFAR-10 batch file.", nameof(batchFiles));
        var pixels = new List<float[]>();
        var labels = new List<int>();
        foreach (string path in batchFiles)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"CIFAR-10 batch file not found: {path}", path);
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
            {
                throw new DataFileException(path, $"byte {bytes.Length - bytes.Length % RecordSize}",
                    $"expected whole records of {RecordSize} bytes (1 label + 3072 pixels); the file's {bytes.Length} bytes leave {bytes.Length % RecordSize} over (truncated or not a CIFAR-10 binary batch)");
            }
            int count = bytes.Length / RecordSize;
            var block = new float[count * ImageSize];
            for (int r = 0; r < count; r++)
            {
                int offset = r * RecordSize;
                byte label = bytes[offset];
                if (label >= ClassNames.Count)
                    throw new DataFileException(path, $"byte {offset} (record {r})", $"label {label} is not a CIFAR-10 class (expected 0..9); is this a CIFAR-100 file?");
                labels.Add(label);
                for (int p = 0; p < ImageSize; p++) block[r * ImageSize + p] = bytes[offset + 1 + p] / 255f;
            }
            pixels.Add(block);
        }
        return new ImageDataset(pixels.SelectMany(b => b).ToArray(), labels.ToArray(), 3, 32, 32, ClassNames);
    }

    /// <summary>Reads the standard split from a cifar-10-batches-bin folder.</summary>
    /// <param name="folder">The folder holding data_batch_1.bin ... data_batch_5.bin and test_batch.bin.</param>
    /// <param name="train">True for the five training batches, false for the test batch.</param>
    public static ImageDataset LoadFolder(string folder, bool train = false)
    {
        string[] names = train ? Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray() : ["test_batch.bin"];
        return Load(names.Select(n => Path.Combine(folder, n)).ToArray());
    }
}

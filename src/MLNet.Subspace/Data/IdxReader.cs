using System.Buffers.Binary;
using System.IO.Compression;

namespace MLNet.Subspace.Data;

/// <summary>
/// Reads IDX files (the MNIST / Fashion-MNIST format), raw or gzip-compressed.
/// </summary>
/// <remarks>
/// Layout: two zero bytes, a type byte (0x08 = unsigned byte), a dimension count, one big-endian
/// int32 per dimension, then the values. Images are idx3 (count, rows, cols), labels idx1 (count).
/// </remarks>
public static class IdxReader
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Fashion-MNIST's class names, index = label.</summary>
    public static readonly IReadOnlyList<string> FashionMnistClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Digit names "0".."9" for MNIST.</summary>
    public static readonly IReadOnlyList<string> DigitClassNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>The folder Debian's dataset-fashion-mnist package installs to.</summary>
    public const string DebianFashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Reads an IDX file of unsigned bytes.</summary>
    /// <param name="path">The file (.gz is decompressed).</param>
    /// <returns>The dimensions and the values.</returns>
    /// <exception cref="DataFileException">The file is not IDX, is not of unsigned bytes, or is truncated.</exception>
    public static (int[] Dimensions, byte[] Values) ReadBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            Span<byte> magic = stackalloc byte[4];
            ReadExactly(stream, magic, path, 0, "a 4-byte IDX magic number");
            if (magic[0] != 0 || magic[1] != 0)
                throw new DataFileException(path, "byte 0", $"expected an IDX magic number starting 00 00, found {magic[0]:X2} {magic[1]:X2}; this is not an IDX file (or a .gz file without the .gz extension)");
            if (magic[2] != UnsignedByte)
                throw new DataFileException(path, "byte 2", $"expected IDX type 0x08 (unsigned byte), found 0x{magic[2]:X2}");
            int rank = magic[3];
            if (rank == 0) throw new DataFileException(path, "byte 3", "expected at least one dimension, found 0");

            var dims = new int[rank];
            Span<byte> dim = stackalloc byte[4];
            long total = 1;
            for (int i = 0; i < rank; i++)
            {
                ReadExactly(stream, dim, path, 4 + 4 * i, $"dimension {i} of {rank}");
                dims[i] = BinaryPrimitives.ReadInt32BigEndian(dim);
                if (dims[i] < 0) throw new DataFileException(path, $"byte {4 + 4 * i}", $"dimension {i} is negative ({dims[i]})");
                total *= dims[i];
            }
            if (total > Array.MaxLength)
                throw new DataFileException(path, "header", $"dimensions {string.Join("x", dims)} give {total} values, more than one array can hold");

            var values = new byte[total];
            int header = 4 + 4 * rank;
            int read = stream.ReadAtLeast(values, values.Length, throwOnEndOfStream: false);
            if (read < values.Length)
            {
                throw new DataFileException(path, $"byte {header + read}",
                    $"file is truncated: the header declares {string.Join("x", dims)} = {total} values ({header + total} bytes in all) but only {read} values follow");
            }
            return (dims, values);
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(path, "gzip stream", $"the compressed data is corrupt: {e.Message}");
        }
    }

    /// <summary>Reads an idx3 image file and its idx1 label file into an <see cref="ImageDataset"/> scaled to [0, 1].</summary>
    /// <param name="imagesPath">idx3 images (count x rows x cols).</param>
    /// <param name="labelsPath">idx1 labels (count).</param>
    /// <param name="classNames">Class names; default: "0".."9".</param>
    /// <returns>The dataset, one channel per image.</returns>
    /// <exception cref="DataFileException">A file is malformed, or the two files disagree on the count.</exception>
    public static ImageDataset Load(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        classNames ??= DigitClassNames;
        var (imageDims, imageBytes) = ReadBytes(imagesPath);
        if (imageDims.Length != 3)
            throw new DataFileException(imagesPath, "byte 3", $"expected an idx3 image file (count, rows, cols), found {imageDims.Length} dimension(s)");
        var (labelDims, labelBytes) = ReadBytes(labelsPath);
        if (labelDims.Length != 1)
            throw new DataFileException(labelsPath, "byte 3", $"expected an idx1 label file (count), found {labelDims.Length} dimension(s)");
        if (labelDims[0] != imageDims[0])
            throw new DataFileException(labelsPath, "byte 4", $"holds {labelDims[0]} labels but {imagesPath} holds {imageDims[0]} images; the counts must match");

        var labels = new int[labelBytes.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = labelBytes[i];
            if (labels[i] >= classNames.Count)
                throw new DataFileException(labelsPath, $"byte {8 + i} (label {i})", $"label {labels[i]} is outside [0, {classNames.Count}) (the class count)");
        }
        var pixels = new float[imageBytes.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = imageBytes[i] / 255f;
        return new ImageDataset(pixels, labels, 1, imageDims[1], imageDims[2], classNames);
    }

    /// <summary>Loads a Fashion-MNIST split from a folder holding the four standard IDX files (.gz or raw).</summary>
    /// <param name="folder">The folder; default: where Debian's dataset-fashion-mnist installs them.</param>
    /// <param name="train">True for the 60,000 training images, false for the 10,000 test images.</param>
    /// <param name="classNames">Class names to use; null means Fashion-MNIST's (<see cref="FashionMnistClassNames"/>) when the labels
    /// are Fashion-MNIST's own split (recognised by their content), and "0".."9" for any other data in the folder.</param>
    /// <returns>The split.</returns>
    public static ImageDataset LoadFashionMnist(string? folder = null, bool train = false, IReadOnlyList<string>? classNames = null)
    {
        var data = LoadSplit(folder ?? DebianFashionMnistFolder, train, classNames,
            "Fashion-MNIST", " On Debian install it with 'apt-get install -y dataset-fashion-mnist', or pass the folder that holds the IDX files.");
        return classNames is null && FashionMnistSplits.Matches(data.Labels, train)
            ? new ImageDataset(data.Pixels, data.Labels, data.Channels, data.Height, data.Width, FashionMnistClassNames)
            : data;
    }

    /// <summary>
    /// Loads a split from a folder in the MNIST layout (<c>train-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, ...,
    /// each .gz or raw): MNIST, Fashion-MNIST, KMNIST and the like.
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <param name="train">True for the training split, false for the test split.</param>
    /// <param name="classNames">Class names; null means "0", "1", ...</param>
    /// <returns>The split.</returns>
    public static ImageDataset LoadSplit(string folder, bool train, IReadOnlyList<string>? classNames = null)
        => LoadSplit(folder, train, classNames, "IDX", "");

    private static ImageDataset LoadSplit(string folder, bool train, IReadOnlyList<string>? classNames, string dataset, string hint)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string prefix = train ? "train" : "t10k";
        string Locate(string stem)
        {
            foreach (string candidate in new[] { stem + ".gz", stem })
            {
                string path = Path.Combine(folder, candidate);
                if (File.Exists(path)) return path;
            }
            throw new FileNotFoundException($"{dataset} file '{stem}[.gz]' not found in {folder}.{hint}", Path.Combine(folder, stem));
        }
        return Load(Locate($"{prefix}-images-idx3-ubyte"), Locate($"{prefix}-labels-idx1-ubyte"), classNames);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, long offset, string expected)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
            throw new DataFileException(path, $"byte {offset + read}", $"file ends early: expected {expected}");
    }
}

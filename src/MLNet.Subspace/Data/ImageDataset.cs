namespace MLNet.Subspace.Data;

/// <summary>
/// Labelled images held in memory as one contiguous float array (N x C x H x W, row-major),
/// the layout torch's NCHW tensors use, so a batch becomes a tensor without copying per pixel.
/// </summary>
public sealed class ImageDataset
{
    /// <summary>Creates a dataset, checking that the arrays agree.</summary>
    /// <param name="pixels">N*C*H*W values.</param>
    /// <param name="labels">N class indices in [0, number of classes).</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="classNames">Names of the classes; index = label.</param>
    public ImageDataset(float[] pixels, int[] labels, int channels, int height, int width, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(channels), $"Image shape must be positive. Got {channels}x{height}x{width} instead.");
        long size = (long)channels * height * width;
        if (pixels.LongLength != size * labels.Length)
            throw new ArgumentException($"Expected {labels.Length} images of {channels}x{height}x{width} = {size * labels.Length} values. Got {pixels.LongLength} instead.", nameof(pixels));
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classNames.Count)
                throw new ArgumentException($"Label {labels[i]} of image {i} is outside [0, {classNames.Count}) (the class count).", nameof(labels));
        }
        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ClassNames = classNames;
    }

    /// <summary>All pixels, N x C x H x W row-major.</summary>
    public float[] Pixels { get; }

    /// <summary>One class index per image.</summary>
    public int[] Labels { get; }

    /// <summary>
    /// SHA-256 of the content (pixels, labels, class names) as lower-case hex: run folders and training snapshots record it,
    /// so a resumed run refuses other data of the same size. Cost: one pass over 4 N C H W bytes.
    /// </summary>
    public string ContentHash()
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Pixels.AsSpan()));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Labels.AsSpan()));
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", ClassNames)));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Class names; index = label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Values per image (C*H*W).</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>The shape of one image as (C, H, W).</summary>
    public int[] ImageShape => [Channels, Height, Width];

    /// <summary>The pixels of one image.</summary>
    /// <param name="index">Image index.</param>
    public ReadOnlySpan<float> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);

    /// <summary>A new dataset holding the images at <paramref name="indices"/>, in that order.</summary>
    /// <param name="indices">Image indices.</param>
    public ImageDataset Select(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var pixels = new float[(long)indices.Count * ImageSize];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            int k = indices[i];
            if ((uint)k >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), k, $"Index must be in [0, {Count}).");
            Image(k).CopyTo(pixels.AsSpan(i * ImageSize, ImageSize));
            labels[i] = Labels[k];
        }
        return new ImageDataset(pixels, labels, Channels, Height, Width, ClassNames);
    }

    /// <summary>How many images each class has.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        foreach (int y in Labels) counts[y]++;
        return counts;
    }
}

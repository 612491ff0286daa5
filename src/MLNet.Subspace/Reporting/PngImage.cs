using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MLNet.Subspace.Reporting;

/// <summary>Encodes small images (probe inputs for neighbour galleries) as PNG, with no native dependency.</summary>
internal static class PngImage
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes a C x H x W image with values in [0, 1] (C = 1 grey, C = 3 RGB planes) as PNG bytes.</summary>
    /// <param name="pixels">C*H*W values, channel planes first (torch's CHW layout); clamped to [0, 1].</param>
    /// <param name="channels">1 or 3.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    public static byte[] Encode(ReadOnlySpan<float> pixels, int channels, int height, int width)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "PNG export supports 1 (grey) or 3 (RGB) channels.");
        if (pixels.Length != channels * height * width)
            throw new ArgumentException($"Expected {channels}x{height}x{width} = {channels * height * width} values. Got {pixels.Length} instead.", nameof(pixels));
        int plane = height * width;
        var raw = new byte[height * (1 + width * channels)];
        for (int y = 0; y < height; y++)
        {
            int row = y * (1 + width * channels); // filter byte 0 (none) precedes each scanline
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    raw[row + 1 + x * channels + c] = (byte)Math.Round(Math.Clamp(pixels[c * plane + y * width + x], 0f, 1f) * 255f);
        }
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;                                  // bit depth
        header[9] = (byte)(channels == 1 ? 0 : 2);      // grey or truecolour
        WriteChunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
            WriteChunk(png, "IDAT", compressed.ToArray());
        }
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The image as a data: URI for an &lt;img&gt; tag in a self-contained HTML file.</summary>
    /// <param name="pixels">C*H*W values in [0, 1].</param>
    /// <param name="channels">1 or 3.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    public static string DataUri(ReadOnlySpan<float> pixels, int channels, int height, int width)
        => "data:image/png;base64," + Convert.ToBase64String(Encode(pixels, channels, height, width));

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }

    private static uint Crc(uint crc, byte[] data)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}

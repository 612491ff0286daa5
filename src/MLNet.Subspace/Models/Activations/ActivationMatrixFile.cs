using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MLNet.Subspace.Models.Activations;

/// <summary>
/// One layer's activations of N inputs on disk: an N x d float32 matrix, row-major, behind a 32-byte header
/// (the magic <c>MLNSACT1</c>, N and d as little-endian int64, 8 reserved bytes). Full-scale runs stream each layer to
/// such a file during one forward pass, so the layers of 10,000 inputs never sit in memory together; the file is also the
/// content-addressed input of a work unit (<see cref="ContentHash"/>).
/// </summary>
/// <remarks>Files are written under a temporary name and renamed when complete, so a reader never sees a half-written one.</remarks>
public static class ActivationMatrixFile
{
    private const int HeaderBytes = 32;
    private static ReadOnlySpan<byte> Magic => "MLNSACT1"u8;

    /// <summary>Starts a file of <paramref name="columns"/> values per row; rows are appended, then <see cref="Writer.Complete"/> renames it into place.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="columns">d, the values per input.</param>
    public static Writer Create(string path, int columns) => new(path, columns);

    /// <summary>Writes a whole matrix.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="values">rows x columns values, row-major.</param>
    /// <param name="columns">Values per row.</param>
    /// <returns>The content hash.</returns>
    public static string Write(string path, ReadOnlySpan<float> values, int columns)
    {
        using var writer = Create(path, columns);
        writer.Append(values);
        return writer.Complete();
    }

    /// <summary>Reads a whole matrix.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The row-major values, N and d.</returns>
    /// <exception cref="InvalidDataException">Not an activation matrix file, or its length disagrees with its header (the file is named).</exception>
    public static (float[] Values, int Rows, int Columns) Read(string path)
    {
        using var stream = File.OpenRead(path);
        var (rows, columns) = ReadHeader(stream, path);
        if (rows * columns > Array.MaxLength)
            throw new InvalidDataException($"{path}: {rows} x {columns} values do not fit one .NET array.");
        var values = new float[rows * columns];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Activation matrix files are little-endian.");
        return (values, (int)rows, (int)columns);
    }

    /// <summary>Reads a whole matrix straight into a new N x d float32 CPU tensor (no managed copy: the file is read into the
    /// tensor's own memory, in chunks of whole rows).</summary>
    /// <param name="path">The file.</param>
    internal static TorchSharp.torch.Tensor ReadTensor(string path)
    {
        using var stream = File.OpenRead(path);
        var (rows, columns) = ReadHeader(stream, path);
        var result = TorchSharp.torch.empty(rows, columns, TorchSharp.torch.ScalarType.Float32);
        long chunk = Math.Max(1, (1L << 28) / (4 * columns)); // rows per read: at most 256 MB, so each span fits an int
        for (long start = 0; start < rows; start += chunk)
            stream.ReadExactly(result.narrow(0, start, Math.Min(chunk, rows - start)).bytes);
        return result;
    }

    /// <summary>Reads rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1.</summary>
    /// <param name="path">The file.</param>
    /// <param name="start">First row, from 0.</param>
    /// <param name="count">Rows to read.</param>
    /// <returns>count x d values, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rows are not all in the file.</exception>
    public static float[] ReadRows(string path, long start, int count)
    {
        using var stream = File.OpenRead(path);
        var (rows, columns) = ReadHeader(stream, path);
        if (start < 0 || count < 0 || start + count > rows)
            throw new ArgumentOutOfRangeException(nameof(start), $"{path}: rows {start} to {start + count - 1} asked for, the file has rows 0 to {rows - 1}.");
        var values = new float[count * columns];
        stream.Position = HeaderBytes + 4 * start * columns;
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>Reads only the header.</summary>
    /// <param name="path">The file.</param>
    /// <returns>N and d.</returns>
    public static (int Rows, int Columns) Shape(string path)
    {
        using var stream = File.OpenRead(path);
        var (rows, columns) = ReadHeader(stream, path);
        return ((int)rows, (int)columns);
    }

    /// <summary>The content hash of a file: lower-case hex SHA-256 of the float32 values followed by N and d (int64,
    /// little-endian), the same string <see cref="Writer.Complete"/> returned when it was written.</summary>
    /// <param name="path">The file.</param>
    public static string ContentHash(string path)
    {
        using var stream = File.OpenRead(path);
        var (rows, columns) = ReadHeader(stream, path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        hash.AppendData(Dimensions(rows, columns));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] Dimensions(long rows, long columns)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, rows);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), columns);
        return bytes;
    }

    private static (long Rows, long Columns) ReadHeader(FileStream stream, string path)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (stream.Length < HeaderBytes || stream.Read(header) != HeaderBytes || !header[..8].SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not an activation matrix file (expected the 32-byte header starting 'MLNSACT1').");
        long rows = BinaryPrimitives.ReadInt64LittleEndian(header[8..]), columns = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        if (rows < 0 || columns < 1 || rows > int.MaxValue || columns > int.MaxValue || stream.Length != HeaderBytes + 4 * rows * columns)
            throw new InvalidDataException($"{path}: the header says {rows} x {columns} float32 values ({HeaderBytes + 4 * rows * columns} bytes with the header) but the file has {stream.Length} bytes; it is truncated or not an activation matrix file.");
        return (rows, columns);
    }

    /// <summary>Appends rows to a temporary file beside the destination; <see cref="Complete"/> writes the header and renames it.
    /// Disposed without completing, it deletes the temporary file.</summary>
    public sealed class Writer : IDisposable
    {
        private readonly string _path;
        private readonly string _temp;
        private readonly int _columns;
        private readonly FileStream _stream;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _values;
        private bool _completed;

        internal Writer(string path, int columns)
        {
            ArgumentNullException.ThrowIfNull(path);
            if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, $"An activation matrix needs 1 or more values per row. Got {columns} instead.");
            _path = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(_path)!;
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Cannot write {_path}: the folder {folder} does not exist.");
            _temp = Path.Combine(folder, $".{Path.GetFileName(_path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            _columns = columns;
            _stream = new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            _stream.Write(new byte[HeaderBytes]);
        }

        /// <summary>Rows written so far.</summary>
        public long Rows => _values / _columns;

        /// <summary>Appends whole rows.</summary>
        /// <param name="rows">A multiple of the column count of values, row-major.</param>
        public void Append(ReadOnlySpan<float> rows)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            if (rows.Length % _columns != 0)
                throw new ArgumentException($"Append whole rows of {_columns} values; got {rows.Length} values.", nameof(rows));
            var bytes = MemoryMarshal.AsBytes(rows);
            _stream.Write(bytes);
            _hash.AppendData(bytes);
            _values += rows.Length;
        }

        /// <summary>Writes the header, flushes to disk and renames the file into place.</summary>
        /// <returns>The content hash (see <see cref="ContentHash"/>).</returns>
        public string Complete()
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            long rows = Rows;
            var header = new byte[HeaderBytes];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), rows);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), _columns);
            _stream.Position = 0;
            _stream.Write(header);
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            File.Move(_temp, _path, overwrite: true);
            _completed = true;
            // The values were hashed as they were appended; the dimensions close the hash, as ContentHash reads it.
            _hash.AppendData(Dimensions(rows, _columns));
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        /// <summary>Deletes the temporary file unless <see cref="Complete"/> ran.</summary>
        public void Dispose()
        {
            _hash.Dispose();
            if (_completed) return;
            _stream.Dispose();
            if (File.Exists(_temp)) File.Delete(_temp);
            _completed = true;
        }
    }
}

using MLNet.Subspace.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Models;

/// <summary>
/// Saves and loads a network's parameters and buffers (its state dict), checking that a file fits
/// the architecture before anything is copied.
/// </summary>
/// <remarks>PyTorch and safetensors files are read through TorchSharp.PyBridge; TorchSharp files are read here.</remarks>
public static class ModelWeights
{
    /// <summary>Writes the state dict in TorchSharp's format, atomically (temporary name, then rename).</summary>
    /// <param name="model">The network.</param>
    /// <param name="path">The file to write.</param>
    public static void Save(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            model.save(writer);
        });
    }

    /// <summary>Writes the state dict as a PyTorch <c>torch.save</c> file (loadable with <c>torch.load</c>), atomically.</summary>
    /// <param name="model">The network.</param>
    /// <param name="path">The file to write.</param>
    public static void SavePyTorch(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, stream => TorchSharp.PyBridge.PyBridgeModuleExtensions.save_py(model, stream, leaveOpen: true));
    }

    /// <summary>
    /// Reads a weights file into <paramref name="model"/>. Every name and shape is checked first; on a
    /// mismatch nothing is copied.
    /// </summary>
    /// <param name="model">The network whose parameters and buffers are overwritten.</param>
    /// <param name="path">A TorchSharp, PyTorch state_dict or safetensors file.</param>
    /// <param name="format">The format, or <see cref="WeightsFormat.Auto"/>.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, or does not fit the architecture (the message names the first mismatching parameter and both shapes).</exception>
    public static void Load(nn.Module model, string path, WeightsFormat format = WeightsFormat.Auto)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Weights file {Path.GetFullPath(path)} does not exist.", path);
        if (format == WeightsFormat.Auto) format = Detect(path);
        using var scope = torch.NewDisposeScope();
        Dictionary<string, Tensor> file;
        try
        {
            file = format switch
            {
                WeightsFormat.TorchSharp => ReadTorchSharpFile(path),
                WeightsFormat.PyTorch => PyBridgeReader.ReadPyTorch(path),
                _ => PyBridgeReader.ReadSafetensors(path),
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException and not MissingMethodException)
        {
            string name = format switch { WeightsFormat.TorchSharp => "TorchSharp", WeightsFormat.PyTorch => "PyTorch state_dict", _ => "safetensors" };
            string hint = format == WeightsFormat.TorchSharp && path.EndsWith(".optim.pt", StringComparison.OrdinalIgnoreCase)
                ? " (an epoch-NNN.optim.pt file is the optimizer's state; the weights are in epoch-NNN.pt)" : "";
            throw new InvalidDataException($"Weights file {path} is corrupt or not a {name} weights file{hint}: {e.Message}", e);
        }
        CopyInto(model, file, path);
    }

    /// <summary>
    /// Reads TorchSharp-format weights that fill <paramref name="stream"/> from its position to its end
    /// (the tail of a file that embeds them) into <paramref name="model"/>, with the checks of <see cref="Load"/>.
    /// </summary>
    /// <param name="model">The network.</param>
    /// <param name="stream">Positioned at the weights; disposed.</param>
    /// <param name="source">The file, for messages.</param>
    internal static void LoadTorchSharp(nn.Module model, Stream stream, string source)
    {
        using var scope = torch.NewDisposeScope();
        Dictionary<string, Tensor> file;
        try
        {
            file = ReadTorchSharp(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"Weights in {source} are corrupt: {e.Message}", e);
        }
        CopyInto(model, file, source);
    }

    /// <summary>Checks names and shapes, then copies the file's tensors into the model's parameters and buffers.</summary>
    internal static void CopyInto(nn.Module model, IReadOnlyDictionary<string, Tensor> file, string source)
    {
        var own = model.state_dict();
        foreach (var (name, target) in own)
        {
            if (!file.TryGetValue(name, out var value))
                throw new InvalidDataException($"Weights file {source} does not fit the architecture: parameter '{name}' (shape [{string.Join(", ", target.shape)}] in the model) is missing from the file.");
            if (!value.shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"Weights file {source} does not fit the architecture: parameter '{name}' has shape [{string.Join(", ", target.shape)}] in the model but [{string.Join(", ", value.shape)}] in the file.");
        }
        var extra = file.Keys.FirstOrDefault(k => !own.ContainsKey(k));
        if (extra is not null)
            throw new InvalidDataException($"Weights file {source} does not fit the architecture: it holds '{extra}' (shape [{string.Join(", ", file[extra].shape)}]), which the model does not have.");
        using var _ = torch.no_grad();
        foreach (var (name, target) in own)
            target.copy_(file[name].to(target.dtype));
    }

    private static WeightsFormat Detect(string path)
    {
        Span<byte> head = stackalloc byte[9];
        using var stream = File.OpenRead(path);
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return WeightsFormat.Safetensors;
        if (n >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04) return WeightsFormat.PyTorch;
        if (n == 9 && head[8] == (byte)'{' && BitConverter.ToUInt64(head[..8]) < (ulong)stream.Length) return WeightsFormat.Safetensors;
        return WeightsFormat.TorchSharp;
    }

    /// <summary>
    /// TorchSharp's format: a LEB128 count, then per entry a length-prefixed UTF-8 name, LEB128 dtype,
    /// rank and sizes, and the raw little-endian bytes.
    /// </summary>
    private static Dictionary<string, Tensor> ReadTorchSharp(Stream stream)
    {
        using var reader = new BinaryReader(stream);
        long count = Leb128(reader);
        if (count is < 0 or > 1_000_000) throw new InvalidDataException($"the header announces {count} tensors");
        var result = new Dictionary<string, Tensor>();
        for (long i = 0; i < count; i++)
        {
            long at = stream.Position;
            string name = reader.ReadString();
            // A file of another kind (an optimizer state, random bytes) reads as a "name" of arbitrary bytes: say so, never print them.
            if (name.Length > 1024 || name.Any(c => char.IsControl(c) || c == '\uFFFD'))
                throw new InvalidDataException($"entry {i + 1} (at byte {at}) has no readable name");
            var dtype = (ScalarType)Leb128(reader);
            if (!Enum.IsDefined(dtype)) throw new InvalidDataException($"tensor '{name}' has unknown element type {(int)dtype}");
            long rank = Leb128(reader);
            if (rank is < 0 or > 16) throw new InvalidDataException($"tensor '{name}' has rank {rank}");
            var shape = new long[rank];
            for (int d = 0; d < rank; d++) shape[d] = Leb128(reader);
            var t = torch.empty(shape, dtype);
            long bytes = t.numel() * t.ElementSize;
            if (bytes > stream.Length - stream.Position) throw new EndOfStreamException($"tensor '{name}' needs {bytes} bytes but the file ends after {stream.Length - stream.Position}");
            t.bytes = reader.ReadBytes(checked((int)bytes));
            result[name] = t;
        }
        if (stream.Position != stream.Length) throw new InvalidDataException($"{stream.Length - stream.Position} unexpected bytes follow the last tensor");
        return result;
    }

    private static Dictionary<string, Tensor> ReadTorchSharpFile(string path)
    {
        try
        {
            return ReadTorchSharp(File.OpenRead(path));
        }
        catch (EndOfStreamException e) when (!e.Message.Contains("tensor", StringComparison.Ordinal))
        {
            throw new InvalidDataException("the file ends before the tensors its header announces", e);
        }
    }

    private static long Leb128(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("a length field is malformed");
    }
}

using System.Text;
using System.Text.Json.Serialization;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Torch;
using static TorchSharp.torch;

namespace MLNet.Subspace.Pipeline.Units;

/// <summary>
/// A part of a split <see cref="LayerGraphUnit"/>: one row block of the layer's Gram matrix X Xᵀ against the rows from its first
/// on, exactly as the layer's own pass forms it (<see cref="StreamedEpoch"/>: one block below 4,096 samples, four from there
/// on), so the blocks put together are its Gram matrix bit for bit. The result is the block in the run's precision.
/// </summary>
/// <remarks>Cost 2 b (N − start) d flops; memory the layer (N d) and the block; the result is b (N − start) elements.</remarks>
/// <param name="Input">The layer's activation matrix file, relative to the shared folder.</param>
/// <param name="InputHash">Its content hash; execution refuses a file whose hash differs.</param>
/// <param name="Layer">The layer's name, for messages.</param>
/// <param name="UseDouble">Whether the product is formed in float64 (<see cref="Numerics.Ssc.SscOptions.UseDouble"/>).</param>
/// <param name="Block">The row block, in [0, blocks).</param>
/// <param name="Samples">N, the input's rows (the block boundaries derive from it).</param>
/// <param name="Results">The folder of the result and receipt, relative to the shared folder.</param>
public sealed record GramRowsUnit(string Input, string InputHash, string Layer, bool UseDouble, int Block, int Samples, string Results = "units") : WorkUnit
{
    private const string Kind = "gram-rows/1";
    private const string Magic = "MLNSGR01";

    /// <summary>"gram-" and 32 hex digits of SHA-256 over the kind, the input hash, the precision, the block and N.</summary>
    [JsonIgnore]
    public override string Id => HashId("gram", $"{Kind}\n{InputHash}\n{(UseDouble ? "float64" : "float32")}\n{Block}\n{Samples}");

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Description => $"layer {Layer}, Gram rows {Block + 1} of {StreamedEpoch.GramBlocks(Samples)}";

    /// <summary>The row block, relative to the shared folder.</summary>
    [JsonIgnore]
    public override string ResultPath => $"{Results}/{Id}.rows";

    private protected override bool IsComplete => Input is not null && InputHash is not null && Layer is not null && Results is not null;

    /// <summary>Computes the row block (on <paramref name="device"/>) and writes it.</summary>
    private protected override UnitReceipt Compute(string sharedFolder, string worker, Device? device)
    {
        string result = Resolve(sharedFolder, ResultPath);
        string input = CheckedInput(sharedFolder, Input, InputHash);
        var (n, d) = ActivationMatrixFile.Shape(input);
        if (n != Samples) throw new InvalidDataException($"Unit {Id} ({Description}): its input {input} has {n} rows, not the unit's {Samples}.");
        var (start, rows) = StreamedEpoch.GramBlockRows(n, Block);
        long elementBytes = UseDouble ? 8 : 4;
        MemoryBudget.Check($"The Gram rows {Block + 1} of layer '{Layer}' (N = {n}, d = {d})", elementBytes * ((long)n * d + rows * (n - start)) + 4L * n * d,
            MemoryBudget.AvailableBytes(), "Use fewer probe inputs (ProbesPerClass).");
        MemoryBudget.CheckDisk($"The Gram rows {Block + 1} of layer '{Layer}'", Path.GetDirectoryName(result)!, elementBytes * rows * (n - start), "Free disk space in the shared folder.");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = ActivationMatrixFile.ReadTensor(input).to(UseDouble ? ScalarType.Float64 : ScalarType.Float32, device ?? CPU);
        double read = clock.Elapsed.TotalSeconds;
        var block = StreamedEpoch.GramRows(x, Block).cpu().contiguous();
        double product = clock.Elapsed.TotalSeconds - read;
        IO.AtomicFile.Write(result, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Encoding.ASCII.GetBytes(Magic));
            w.Write(block.shape[0]);
            w.Write(block.shape[1]);
            w.Write((int)elementBytes);
            long chunk = Chunk(block.shape[1], elementBytes);
            for (long at = 0; at < block.shape[0]; at += chunk) w.Write(block.narrow(0, at, Math.Min(chunk, block.shape[0] - at)).bytes);
        });
        return new UnitReceipt(Id, worker, 0, 0, true, read, product, 0);
    }

    /// <summary>The row block's stored values as a CPU tensor.</summary>
    /// <exception cref="InvalidDataException">Not a Gram rows file, or not of this unit's shape and precision (the file is named).</exception>
    internal Tensor LoadRows(string sharedFolder)
    {
        string path = Resolve(sharedFolder, ResultPath);
        var (start, rows) = StreamedEpoch.GramBlockRows(Samples, Block);
        long columns = StreamedEpoch.GramBlocks(Samples) == 1 ? Samples : Samples - start;
        using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        try
        {
            string magic = Encoding.ASCII.GetString(r.ReadBytes(Magic.Length));
            long storedRows = r.ReadInt64(), storedColumns = r.ReadInt64();
            int elementBytes = r.ReadInt32();
            if (magic != Magic || storedRows != rows || storedColumns != columns || elementBytes != (UseDouble ? 8 : 4))
                throw new InvalidDataException($"{path}: not the Gram rows {Block + 1} of layer '{Layer}' (header '{magic}', {storedRows} x {storedColumns} of {elementBytes} bytes; expected {rows} x {columns} of {(UseDouble ? 8 : 4)}).");
            var block = empty(rows, columns, UseDouble ? ScalarType.Float64 : ScalarType.Float32);
            long chunk = Chunk(columns, elementBytes);
            for (long at = 0; at < rows; at += chunk) r.BaseStream.ReadExactly(block.narrow(0, at, Math.Min(chunk, rows - at)).bytes);
            return block;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: the Gram rows file is truncated.", e);
        }
    }

    /// <summary>Rows per read or write: at most 256 MB, so each span fits an int.</summary>
    private static long Chunk(long columns, long elementBytes) => Math.Max(1, (1L << 28) / (elementBytes * Math.Max(columns, 1)));

    /// <summary>The layer's Gram matrix from its done row blocks, in <paramref name="dtype"/> on the CPU, after checking that it and
    /// <paramref name="extraElements"/> more fit in memory.</summary>
    internal static Tensor Assemble(string sharedFolder, IReadOnlyList<GramRowsUnit> rows, ScalarType dtype, string what, long extraElements)
    {
        long n = rows[0].Samples, elementBytes = dtype == ScalarType.Float64 ? 8 : 4;
        var (_, largest) = StreamedEpoch.GramBlockRows(n, 0);
        MemoryBudget.Check(what, elementBytes * (n * n + largest * n * 2 + extraElements), MemoryBudget.AvailableBytes(), "Use fewer probe inputs (ProbesPerClass).");
        return StreamedEpoch.AssembleGram(n, dtype, CPU, block => rows[block].LoadRows(sharedFolder));
    }
}

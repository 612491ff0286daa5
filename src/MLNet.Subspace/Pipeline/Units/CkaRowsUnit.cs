using System.Text;
using System.Text.Json.Serialization;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Cka;
using static TorchSharp.torch;

namespace MLNet.Subspace.Pipeline.Units;

/// <summary>
/// One range of row blocks of an epoch's linear-CKA pass: for each row block of <see cref="BlockRows"/> rows, the M x M float64
/// inner products of those rows of the M centred Gram files (the epoch's layers, then the final epoch's), the shares that
/// <see cref="CentredGramProducts.Sum"/> adds in block order into P<sub>ab</sub> = ⟨K<sub>a</sub>, K<sub>b</sub>⟩. Each block's share is
/// the same GEMM wherever it runs, so any split of the blocks into units gives the bits of the pass in one process.
/// </summary>
/// <remarks>Cost 2 M² b N flops per block of b rows and reading M b N float32 values; memory <see cref="BlockRows"/> x M x N float64.
/// The result is Blocks x M² float64 values.</remarks>
/// <param name="Grams">The centred Gram files (N x N <see cref="ActivationMatrixFile"/>s), relative to the shared folder.</param>
/// <param name="GramHashes">Their content hashes, which name the unit (the layer units that wrote them report them).</param>
/// <param name="Samples">N.</param>
/// <param name="FirstBlock">The first row block.</param>
/// <param name="Blocks">Row blocks, from <paramref name="FirstBlock"/> on.</param>
/// <param name="BlockRows">Rows per block.</param>
/// <param name="Results">The folder of the result and receipt, relative to the shared folder.</param>
public sealed record CkaRowsUnit(IReadOnlyList<string> Grams, IReadOnlyList<string> GramHashes, int Samples, int FirstBlock, int Blocks, int BlockRows, string Results = "units") : WorkUnit
{
    private const string Kind = "cka-rows/1";
    private const string Magic = "MLNSCK01";

    /// <summary>"cka-" and 32 hex digits of SHA-256 over the kind, the files' content hashes, N and the blocks.</summary>
    [JsonIgnore]
    public override string Id => HashId("cka", $"{Kind}\n{string.Join(",", GramHashes)}\n{Samples}\n{FirstBlock}\n{Blocks}\n{BlockRows}");

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Description => $"linear CKA, rows {(long)FirstBlock * BlockRows + 1}-{Math.Min(Samples, (long)(FirstBlock + Blocks) * BlockRows)} of {Samples}";

    /// <summary>The blocks' shares, relative to the shared folder.</summary>
    [JsonIgnore]
    public override string ResultPath => $"{Results}/{Id}.products";

    private protected override bool IsComplete => Grams is not null && GramHashes is not null && Results is not null;

    /// <summary>Checks every file is N x N, then forms each block's share and writes them all.</summary>
    private protected override UnitReceipt Compute(string sharedFolder, string worker, Device? device)
    {
        if (Grams.Count != GramHashes.Count || Grams.Count == 0 || Blocks < 1 || BlockRows < 1 || (long)(FirstBlock + Blocks - 1) * BlockRows >= Samples)
            throw new InvalidDataException($"Unit {Id} ({Description}): expected as many hashes as files ({Grams.Count} and {GramHashes.Count}) and blocks inside the N = {Samples} rows.");
        var files = Grams.Select(g => Resolve(sharedFolder, g)).ToList();
        foreach (string file in files)
        {
            if (!File.Exists(file)) throw new InvalidDataException($"Unit {Id} ({Description}): its input {file} does not exist (is the shared folder '{sharedFolder}' the one the client wrote to?).");
            var (rows, columns) = ActivationMatrixFile.Shape(file);
            if (rows != Samples || columns != Samples) throw new InvalidDataException($"Unit {Id} ({Description}): {file} is {rows} x {columns}, not the {Samples} x {Samples} centred Gram of the unit.");
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int m = files.Count;
        var shares = new double[Blocks * m * m];
        for (int b = 0; b < Blocks; b++)
        {
            using var scope = NewDisposeScope();
            long start = (long)(FirstBlock + b) * BlockRows;
            CentredGramProducts.BlockProducts(StreamedEpoch.ReadRows(files, start, Math.Min(BlockRows, Samples - start), Samples)).CopyTo(shares, b * m * m);
        }
        IO.AtomicFile.Write(Resolve(sharedFolder, ResultPath), stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Encoding.ASCII.GetBytes(Magic));
            w.Write(m);
            w.Write(Blocks);
            foreach (double v in shares) w.Write(v);
        });
        return new UnitReceipt(Id, worker, clock.Elapsed.TotalSeconds, 0, true, 0, 0, 0);
    }

    /// <summary>The units of one linear-CKA pass over <paramref name="grams"/>: its row blocks (<see cref="StreamedEpoch.CkaBlockRows"/>,
    /// as the pass in one process reads them, unless <paramref name="blockRows"/> says otherwise) in at most <paramref name="units"/>
    /// contiguous ranges.</summary>
    internal static IReadOnlyList<CkaRowsUnit> Plan(IReadOnlyList<string> grams, IReadOnlyList<string> hashes, int n, int units, string results, int? blockRows = null)
    {
        int rows = blockRows ?? (int)StreamedEpoch.CkaBlockRows(grams.Count, n), blocks = CentredGramProducts.Blocks(n, rows);
        int count = Math.Clamp(units, 1, blocks), size = (blocks + count - 1) / count;
        return Enumerable.Range(0, (blocks + size - 1) / size)
            .Select(u => new CkaRowsUnit(grams, hashes, n, u * size, Math.Min(size, blocks - u * size), rows, results)).ToList();
    }

    /// <summary>P<sub>ab</sub> from the done units of one pass (<see cref="Plan"/>), their shares added in block order.</summary>
    internal static double[,] Products(string sharedFolder, IReadOnlyList<CkaRowsUnit> units)
        => CentredGramProducts.Sum(units[0].Grams.Count, units.SelectMany(u => u.LoadShares(sharedFolder)));

    /// <summary>The blocks' M x M shares (row-major), in block order.</summary>
    /// <exception cref="InvalidDataException">Not this unit's result (the file is named).</exception>
    internal IReadOnlyList<double[]> LoadShares(string sharedFolder)
    {
        string path = Resolve(sharedFolder, ResultPath);
        using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        try
        {
            string magic = Encoding.ASCII.GetString(r.ReadBytes(Magic.Length));
            int m = r.ReadInt32(), blocks = r.ReadInt32();
            if (magic != Magic || m != Grams.Count || blocks != Blocks)
                throw new InvalidDataException($"{path}: not the CKA shares of unit {Id} (header '{magic}', {blocks} blocks of {m} x {m}; expected {Blocks} of {Grams.Count} x {Grams.Count}).");
            return Enumerable.Range(0, blocks).Select(_ =>
            {
                var values = new double[m * m];
                for (int i = 0; i < values.Length; i++) values[i] = r.ReadDouble();
                return values;
            }).ToList();
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: the CKA shares are truncated.", e);
        }
    }
}

using System.Text;
using System.Text.Json.Serialization;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Ssc;
using static TorchSharp.torch;

namespace MLNet.Subspace.Pipeline.Units;

/// <summary>
/// A part of a split <see cref="LayerGraphUnit"/>: the OMP codes of one block of the layer's samples, from the layer's whole Gram
/// matrix (its <see cref="GramRowsUnit"/>s, the prerequisites). Each sample's greedy steps read only G and run alone in a fixed
/// order (<see cref="OmpSolver"/> on the CPU), so the blocks' codes are the rows of the layer's own codes bit for bit.
/// </summary>
/// <remarks>Cost: reading the Gram rows ((T + 1) / 2T N² elements), the unit-length scaling (N²), and O(b k² N) for b samples;
/// memory two N x N matrices in the run's precision. Solved on the CPU whatever the runner's device.</remarks>
/// <param name="LayerUnit">The layer's unit (unsplit), whose options and Gram rows this block uses.</param>
/// <param name="Block">The block, in [0, <paramref name="Blocks"/>).</param>
/// <param name="Blocks">The layer's column blocks.</param>
/// <param name="Samples">N, the layer's samples.</param>
public sealed record CodeBlockUnit(LayerGraphUnit LayerUnit, int Block, int Blocks, int Samples) : WorkUnit
{
    private const string Kind = "codes/1";
    private const string Magic = "MLNSCB01";

    /// <inheritdoc/>
    public override string Results { get; init; } = LayerUnit?.Results!;

    /// <summary>"codes-" and 32 hex digits of SHA-256 over the kind, the layer unit's id, the block, the blocks and N.</summary>
    [JsonIgnore]
    public override string Id => HashId("codes", $"{Kind}\n{LayerUnit.Id}\n{Block}\n{Blocks}\n{Samples}");

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Description => $"layer {LayerUnit.Layer}, codes {Block + 1} of {Blocks}";

    /// <summary>The block's codes (N x N, its rows only, and its most greedy steps), relative to the shared folder.</summary>
    [JsonIgnore]
    public override string ResultPath => $"{Results}/{Id}.codes";

    /// <inheritdoc/>
    [JsonIgnore]
    public override IReadOnlyList<string> Prerequisites => GramRows().Select(u => u.Id).ToList();

    private protected override bool IsComplete => LayerUnit is not null && Results is not null;

    private IReadOnlyList<GramRowsUnit> GramRows() => (LayerUnit with { Split = Split }).GramRows();

    private LayerSplit Split => new(Samples, Blocks);

    /// <summary>Puts the layer's Gram matrix together from its rows, solves this block's samples (on the CPU) and writes their codes.</summary>
    private protected override UnitReceipt Compute(string sharedFolder, string worker, Device? device)
    {
        string result = Resolve(sharedFolder, ResultPath);
        Split.Validate();
        var rows = GramRows();
        var missing = rows.FirstOrDefault(u => !u.IsDone(sharedFolder));
        if (missing is not null)
            throw new InvalidOperationException($"Unit {Id} ({Description}) reads the layer's Gram rows, but {missing.Id} ({missing.Description}) is not done; run it first (it is a prerequisite).");
        var ssc = LayerUnit.Ssc with { Device = null };
        var solver = (OmpSolver)ssc.CreateSolver(Samples);
        var (start, count) = Split.Columns(Block);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var gram = GramRowsUnit.Assemble(sharedFolder, rows, ssc.DType, $"The codes {Block + 1} of layer '{LayerUnit.Layer}' (N = {Samples})", extraElements: 0);
        double read = clock.Elapsed.TotalSeconds;
        var (codes, steps) = solver.SolveGramColumns(gram, start, count);
        double solve = clock.Elapsed.TotalSeconds - read;
        IO.AtomicFile.Write(result, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Encoding.ASCII.GetBytes(Magic));
            w.Write(steps);
            codes.Write(w);
        });
        return new UnitReceipt(Id, worker, solve, steps, true, read, 0, 0);
    }

    /// <summary>The block's codes and its most greedy steps.</summary>
    /// <exception cref="InvalidDataException">Not a code block file, or not N x N (the file is named).</exception>
    internal (SparseMatrix Codes, int Steps) LoadCodes(string sharedFolder)
    {
        string path = Resolve(sharedFolder, ResultPath);
        using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        try
        {
            string magic = Encoding.ASCII.GetString(r.ReadBytes(Magic.Length));
            if (magic != Magic) throw new InvalidDataException($"{path}: not a block of codes (header '{magic}', expected '{Magic}').");
            int steps = r.ReadInt32();
            var codes = SparseMatrix.Read(r, path);
            if (codes.Rows != Samples || codes.Columns != Samples) throw new InvalidDataException($"{path}: the codes are {codes.Rows} x {codes.Columns}, not {Samples} x {Samples}.");
            return (codes, steps);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: the block of codes is truncated.", e);
        }
    }

    /// <summary>The N x N codes whose rows are the blocks' rows (each row is in one block).</summary>
    internal static SparseMatrix Stack(int n, IEnumerable<SparseMatrix> blocks)
    {
        var rows = new List<int>();
        var columns = new List<int>();
        var values = new List<double>();
        foreach (var block in blocks)
            for (int i = 0; i < n; i++)
            {
                var indices = block.RowIndices(i);
                var entries = block.RowValues(i);
                for (int t = 0; t < indices.Length; t++)
                {
                    rows.Add(i);
                    columns.Add(indices[t]);
                    values.Add(entries[t]);
                }
            }
        return SparseMatrix.FromTriplets(n, n, rows.ToArray(), columns.ToArray(), values.ToArray());
    }
}

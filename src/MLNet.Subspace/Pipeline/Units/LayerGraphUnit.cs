using System.Text.Json;
using System.Text.Json.Serialization;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Ssc;
using static TorchSharp.torch;

namespace MLNet.Subspace.Pipeline.Units;

/// <summary>
/// One work unit: one layer's SSC graph from one activation matrix file (<see cref="ActivationMatrixFile"/>) and SSC options.
/// Its <see cref="Id"/> is derived from the input's content hash, the layer name and the options, so the same inputs give the
/// same unit wherever it is made; its result lives at <see cref="ResultPath"/> in the shared folder, and a result present is a
/// unit done.
/// </summary>
/// <remarks>
/// Paths are relative to the shared folder (every worker may mount it elsewhere). Only this small record travels between
/// machines, never the matrix. <see cref="SscOptions.Device"/> is not part of a unit: the runner that executes it picks the device.
/// Cost: the layer's pass (2 N² d flops for X Xᵀ, then the solver from G), plus hashing the 4 N d input bytes once more; the
/// centred Gram result is 4 N² bytes. A large layer solved by OMP from its Gram matrix can be split (<see cref="Parts"/>) so
/// that several machines share its pass; the unit then only puts its parts' results together, into the same bytes.
/// </remarks>
/// <param name="Input">The activation matrix file, relative to the shared folder ('/'-separated).</param>
/// <param name="InputHash">Its <see cref="ActivationMatrixFile.ContentHash"/>; execution refuses a file whose hash differs.</param>
/// <param name="Layer">The layer's name, recorded in the graph.</param>
/// <param name="Ssc">How to solve and build the graph (its Device is ignored).</param>
/// <param name="Results">The folder of the result and receipt, relative to the shared folder (an analysis run's is its run
/// folder's <c>units</c>, so the run folder holds everything); not part of the id.</param>
public sealed record LayerGraphUnit(string Input, string InputHash, string Layer, SscOptions Ssc, string Results = "units") : WorkUnit
{
    /// <summary>Version of the result format and of the id's derivation; a change gives every unit a new id.</summary>
    private const string Kind = "layer-pass/2";

    /// <summary>Null: the unit makes the layer's pass itself. Otherwise the split its <see cref="Parts"/> were made with: the unit
    /// then puts their results together. Not part of the id (the result is the same bytes).</summary>
    public LayerSplit? Split { get; init; }

    /// <summary>The stable id: "graph-" and 32 hex digits of SHA-256 over the kind, the input hash, the layer and the options.</summary>
    [JsonIgnore]
    public override string Id => HashId("graph", $"{Kind}\n{InputHash}\n{Layer}\n{JsonSerializer.Serialize(Ssc, Wire)}");

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Description => $"layer {Layer}";

    /// <summary>The result (the graph, without its wall-clock seconds, so that every execution writes the same bytes), relative to the shared folder.</summary>
    [JsonIgnore]
    public override string ResultPath => $"{Results}/{Id}.graph";

    /// <summary>The layer's centred Gram matrix H X Xᵀ H (an N x N <see cref="ActivationMatrixFile"/>, for linear CKA), relative to the
    /// shared folder; written before the graph.</summary>
    [JsonIgnore]
    public string CentredGramPath => $"{Results}/{Id}.gram.f32";

    /// <inheritdoc/>
    [JsonIgnore]
    public override IReadOnlyList<string> Prerequisites => Split is null ? [] : [.. GramRows().Select(u => u.Id), .. CodeBlocks().Select(u => u.Id)];

    private protected override bool IsComplete => Input is not null && InputHash is not null && Layer is not null && Ssc is not null && Results is not null;

    /// <summary>
    /// The units that compute this layer on several machines, in the order they may run: the Gram matrix's row blocks
    /// (<see cref="GramRowsUnit"/>), <paramref name="columnBlocks"/> blocks of codes (<see cref="CodeBlockUnit"/>, each reading the
    /// whole Gram matrix), then this unit with <see cref="Split"/> set, which puts them together (the same result bytes as the
    /// unsplit unit). Only OMP solving from the Gram matrix on the CPU splits (its samples' codes are independent; ADMM's and
    /// EnSC's iterations are not); a unit already done is returned alone.
    /// </summary>
    /// <param name="sharedFolder">The shared folder (the input's header gives N).</param>
    /// <param name="columnBlocks">Blocks of samples' codes, 2 or more (at most N; fewer when ⌈N / blocks⌉-sized blocks need fewer).</param>
    /// <exception cref="ArgumentException">The options do not split (not OMP from the Gram matrix), or the block count is out of range.</exception>
    /// <remarks>Costs: each Gram row block 2 b (N − start) d flops and one read of the input; each code block reads the
    /// (T + 1) / 2T N² stored Gram entries of T row blocks and solves its b samples (O(b k² N)); the layer unit reads them all once more.
    /// The Gram row results are deleted once the layer is put together.</remarks>
    public IReadOnlyList<WorkUnit> Parts(string sharedFolder, int columnBlocks)
    {
        ArgumentNullException.ThrowIfNull(sharedFolder);
        if (!Ssc.SolvesFromGram)
            throw new ArgumentException($"Layer {Layer}: only the omp solver solving from the Gram matrix splits into column blocks (its samples' codes are independent); these options use {Ssc.SolverDescription}.", nameof(columnBlocks));
        if (IsDone(sharedFolder)) return [this];
        var (n, _) = ActivationMatrixFile.Shape(Resolve(sharedFolder, Input));
        if (columnBlocks < 2 || columnBlocks > n)
            throw new ArgumentOutOfRangeException(nameof(columnBlocks), columnBlocks, $"Layer {Layer}: column blocks must be in [2, N] = [2, {n}]. Got {columnBlocks} instead.");
        var split = this with { Split = LayerSplit.Of(n, columnBlocks) };
        return [.. split.GramRows(), .. split.CodeBlocks(), split];
    }

    /// <summary>The units of several layers' passes, for one runner call: the layers themselves when <paramref name="columnBlocks"/> is 1;
    /// otherwise every layer's <see cref="Parts"/>, staged so that each stage spreads over every worker: all the Gram rows, then
    /// all the blocks of codes, then the layers' units.</summary>
    /// <param name="layers">The layers' units.</param>
    /// <param name="sharedFolder">The shared folder.</param>
    /// <param name="columnBlocks">1, or the blocks of codes per layer (<see cref="Parts"/>).</param>
    /// <returns>The units in an order every runner accepts; the layers' units (split or not) are the last <paramref name="layers"/>.Count.</returns>
    public static IReadOnlyList<WorkUnit> Plan(IReadOnlyList<LayerGraphUnit> layers, string sharedFolder, int columnBlocks)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (columnBlocks == 1) return layers;
        var parts = layers.Select(u => u.Parts(sharedFolder, columnBlocks)).ToList();
        return [.. parts.SelectMany(p => p.OfType<GramRowsUnit>()), .. parts.SelectMany(p => p.OfType<CodeBlockUnit>()), .. parts.Select(p => p[^1])];
    }

    /// <summary>The Gram row-block units of <see cref="Split"/>.</summary>
    internal IReadOnlyList<GramRowsUnit> GramRows()
        => Enumerable.Range(0, Split!.GramRowBlocks).Select(b => new GramRowsUnit(Input, InputHash, Layer, Ssc.UseDouble, b, Split.Samples, Results)).ToList();

    /// <summary>The code-block units of <see cref="Split"/>.</summary>
    internal IReadOnlyList<CodeBlockUnit> CodeBlocks()
        => Enumerable.Range(0, Split!.ColumnBlocks).Select(b => new CodeBlockUnit(this with { Split = null }, b, Split.ColumnBlocks, Split.Samples)).ToList();

    /// <summary>Either runs the layer's pass (<see cref="StreamedEpoch"/>: the Gram matrix, the graph from it, the centred Gram)
    /// after checking the input's hash, or, with <see cref="Split"/>, puts its done parts together; writes the centred Gram, then the graph.</summary>
    private protected override UnitReceipt Compute(string sharedFolder, string worker, Device? device)
    {
        if (Split is not null) return Assemble(sharedFolder, worker);
        string input = CheckedInput(sharedFolder, Input, InputHash);
        // The layer's pass of every analysis run: the graph, and the centred Gram that linear CKA reads.
        var (graph, seconds, hash) = StreamedEpoch.Layer(input, Layer, Ssc with { Device = device }, Resolve(sharedFolder, CentredGramPath));
        LayerGraphStore.Save(Resolve(sharedFolder, ResultPath), graph with { Expression = graph.Expression with { Seconds = 0 } });
        return new UnitReceipt(Id, worker, seconds.Graph, graph.Expression.Iterations, graph.Expression.Converged, seconds.Read, seconds.Gram, seconds.CentredGram, hash);
    }

    /// <summary>The layer from its parts: the Gram matrix from its row blocks, the codes from their blocks, then the graph and the
    /// centred Gram as the layer's pass makes them. The receipt sums the parts' seconds (their workers are in their own receipts).
    /// The Gram rows (up to 5/8 of 4 N² bytes a layer in float32) are deleted once the layer's result is written, their receipts kept.</summary>
    private UnitReceipt Assemble(string sharedFolder, string worker)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rows = GramRows();
        var blocks = CodeBlocks();
        var missing = rows.Cast<WorkUnit>().Concat(blocks).FirstOrDefault(u => !u.IsDone(sharedFolder));
        if (missing is not null)
            throw new InvalidOperationException($"Unit {Id} ({Description}) puts its parts together, but part {missing.Id} ({missing.Description}) is not done; run its parts first (they are its prerequisites).");
        var (n, d) = ActivationMatrixFile.Shape(Resolve(sharedFolder, Input));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var gram = GramRowsUnit.Assemble(sharedFolder, rows, Ssc.DType, $"Putting layer '{Layer}' together (N = {n})", extraElements: (long)n * n);
        var codes = blocks.Select(b => b.LoadCodes(sharedFolder)).ToList();
        var expression = new SelfExpression(CodeBlockUnit.Stack(n, codes.Select(c => c.Codes)), codes.Max(c => c.Steps), true, 0, "omp");
        double read = clock.Elapsed.TotalSeconds;
        string result = Resolve(sharedFolder, ResultPath), centred = Resolve(sharedFolder, CentredGramPath);
        var (graph, hash) = StreamedEpoch.Finish(gram, expression, Layer, d, Ssc, centred);
        LayerGraphStore.Save(result, graph);
        var partReceipts = rows.Cast<WorkUnit>().Concat(blocks).Select(u => u.LoadReceipt(sharedFolder)).ToList();
        foreach (var part in rows) File.Delete(Resolve(sharedFolder, part.ResultPath));
        return new UnitReceipt(Id, worker, partReceipts.Sum(r => r.Seconds), expression.Iterations, true,
            partReceipts.Sum(r => r.ReadSeconds) + read, partReceipts.Sum(r => r.GramSeconds), clock.Elapsed.TotalSeconds - read, hash);
    }

    /// <summary>The graph of a done unit, its solve seconds taken from the receipt.</summary>
    /// <param name="sharedFolder">The shared folder.</param>
    /// <exception cref="FileNotFoundException">The unit is not done.</exception>
    public LayerGraph LoadResult(string sharedFolder)
    {
        string result = Resolve(sharedFolder, ResultPath), receipt = Resolve(sharedFolder, ReceiptPath);
        if (!File.Exists(result) || !File.Exists(receipt)) throw new FileNotFoundException($"Unit {Id} ({Layer}) is not done: {result} or its receipt is missing.", result);
        var graph = LayerGraphStore.Load(result);
        return graph with { Expression = graph.Expression with { Seconds = UnitReceipt.Load(receipt).Seconds } };
    }

    /// <summary>Whether the centred Gram, the result and its receipt are in the shared folder.</summary>
    /// <param name="sharedFolder">The shared folder.</param>
    public override bool IsDone(string sharedFolder)
        => File.Exists(Resolve(sharedFolder, CentredGramPath)) && File.Exists(Resolve(sharedFolder, ResultPath)) && File.Exists(Resolve(sharedFolder, ReceiptPath));
}

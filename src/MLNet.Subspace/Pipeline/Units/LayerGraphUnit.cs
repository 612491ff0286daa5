using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Models.Activations;
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
/// centred Gram result is 4 N² bytes.
/// </remarks>
/// <param name="Input">The activation matrix file, relative to the shared folder ('/'-separated).</param>
/// <param name="InputHash">Its <see cref="ActivationMatrixFile.ContentHash"/>; execution refuses a file whose hash differs.</param>
/// <param name="Layer">The layer's name, recorded in the graph.</param>
/// <param name="Ssc">How to solve and build the graph (its Device is ignored).</param>
/// <param name="Results">The folder of the result and receipt, relative to the shared folder (an analysis run's is its run
/// folder's <c>units</c>, so the run folder holds everything); not part of the id.</param>
public sealed record LayerGraphUnit(string Input, string InputHash, string Layer, SscOptions Ssc, string Results = "units")
{
    /// <summary>Version of the result format and of the id's derivation; a change gives every unit a new id.</summary>
    private const string Kind = "layer-pass/2";

    private static readonly JsonSerializerOptions Wire = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // The torch Device and the derived DType are not options of the unit: the executing runner chooses the device.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Type != typeof(SscOptions)) return;
                    for (int i = info.Properties.Count - 1; i >= 0; i--)
                        if (info.Properties[i].Name is nameof(SscOptions.Device) or nameof(SscOptions.DType)) info.Properties.RemoveAt(i);
                },
            },
        },
    };

    /// <summary>The stable id: "graph-" and 32 hex digits of SHA-256 over the kind, the input hash, the layer and the options.</summary>
    public string Id => "graph-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Kind}\n{InputHash}\n{Layer}\n{JsonSerializer.Serialize(Ssc, Wire)}")))[..32];

    /// <summary>The result (the graph, without its wall-clock seconds, so that every execution writes the same bytes), relative to the shared folder.</summary>
    public string ResultPath => $"{Results}/{Id}.graph";

    /// <summary>The layer's centred Gram matrix H X Xᵀ H (an N x N <see cref="ActivationMatrixFile"/>, for linear CKA), relative to the
    /// shared folder; written before the graph.</summary>
    public string CentredGramPath => $"{Results}/{Id}.gram.f32";

    /// <summary>The receipt (who computed it, how long it took), relative to the shared folder; written after the result.</summary>
    public string ReceiptPath => $"{Results}/{Id}.receipt.json";

    /// <summary>The unit as JSON, the form it travels in.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Wire);

    /// <summary>A unit from <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON.</param>
    /// <exception cref="InvalidDataException">Not a unit's JSON.</exception>
    public static LayerGraphUnit FromJson(string json)
    {
        try
        {
            var unit = JsonSerializer.Deserialize<LayerGraphUnit>(json, Wire);
            if (unit is null || unit.Input is null || unit.InputHash is null || unit.Layer is null || unit.Ssc is null || unit.Results is null)
                throw new InvalidDataException($"Not a layer-graph unit (a field is missing): {json}");
            return unit;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Not a layer-graph unit: {e.Message}", e);
        }
    }

    /// <summary>
    /// Executes the unit: unless its result is already in the shared folder, checks the input's hash, runs the layer's pass
    /// (<see cref="StreamedEpoch"/>: the Gram matrix, the graph from it, the centred Gram) and writes the centred Gram, the
    /// graph, then the receipt, each under a temporary name then renamed. Idempotent: a second execution
    /// writes the same result bytes (or finds the result and only returns its receipt).
    /// </summary>
    /// <param name="sharedFolder">The shared folder, as this machine sees it.</param>
    /// <param name="worker">Who executes it (a silo's name, or "local"), recorded in the receipt.</param>
    /// <param name="device">Torch device of the dense work; null is the CPU.</param>
    /// <returns>The receipt of the execution that wrote the result.</returns>
    /// <exception cref="InvalidDataException">The input is missing, not an activation matrix, or its content hash differs.</exception>
    public UnitReceipt Execute(string sharedFolder, string worker, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(sharedFolder);
        ArgumentNullException.ThrowIfNull(worker);
        string result = Resolve(sharedFolder, ResultPath), receipt = Resolve(sharedFolder, ReceiptPath);
        if (IsDone(sharedFolder)) return UnitReceipt.Load(receipt);
        string input = Resolve(sharedFolder, Input);
        if (!File.Exists(input)) throw new InvalidDataException($"Unit {Id}: its input {input} does not exist (is the shared folder '{sharedFolder}' the one the client wrote to?).");
        string hash = ActivationMatrixFile.ContentHash(input);
        if (hash != InputHash) throw new InvalidDataException($"Unit {Id}: its input {input} has content hash {hash}, not the unit's {InputHash}; the file changed since the unit was made.");
        string gram = Resolve(sharedFolder, CentredGramPath);
        Directory.CreateDirectory(Path.GetDirectoryName(result)!);
        // The layer's pass of every analysis run: the graph, and the centred Gram that linear CKA reads.
        var (graph, seconds) = StreamedEpoch.Layer(input, Layer, Ssc with { Device = device }, gram);
        LayerGraphStore.Save(result, graph with { Expression = graph.Expression with { Seconds = 0 } });
        var done = new UnitReceipt(Id, worker, seconds.Graph, graph.Expression.Iterations, graph.Expression.Converged, seconds.Read, seconds.Gram, seconds.CentredGram);
        done.Save(receipt);
        return done;
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

    /// <summary>The receipt of a done unit.</summary>
    /// <param name="sharedFolder">The shared folder.</param>
    public UnitReceipt LoadReceipt(string sharedFolder) => UnitReceipt.Load(Resolve(sharedFolder, ReceiptPath));

    /// <summary>Whether the centred Gram, the result and its receipt are in the shared folder.</summary>
    /// <param name="sharedFolder">The shared folder.</param>
    public bool IsDone(string sharedFolder)
        => File.Exists(Resolve(sharedFolder, CentredGramPath)) && File.Exists(Resolve(sharedFolder, ResultPath)) && File.Exists(Resolve(sharedFolder, ReceiptPath));

    /// <summary>A path relative to the shared folder, checked to stay inside it.</summary>
    internal static string Resolve(string sharedFolder, string relative)
    {
        string root = Path.GetFullPath(sharedFolder), full = Path.GetFullPath(Path.Combine(root, relative));
        if (Path.IsPathRooted(relative) || !full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"The unit path '{relative}' must be relative to the shared folder and stay inside it.");
        return full;
    }
}

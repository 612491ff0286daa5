using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MLNet.Subspace.Numerics.Ssc;
using static TorchSharp.torch;

namespace MLNet.Subspace.Pipeline.Units;

/// <summary>
/// A piece of work that any runner (<see cref="IUnitRunner"/>: this process, or a cluster's silos) executes against the shared
/// folder: its <see cref="Id"/> derives from the content hashes of its inputs and its options, its result is a file there, and a
/// result present is the unit done. A unit may need the results of others first (<see cref="Prerequisites"/>); runners start it
/// once those are done.
/// </summary>
/// <remarks>
/// The kinds: <see cref="LayerGraphUnit"/> (one layer's graph and centred Gram: the unit of every analysis run), and the parts a
/// large layer splits into (<see cref="LayerGraphUnit.Parts"/>): <see cref="GramRowsUnit"/> (a row block of X Xᵀ) and
/// <see cref="CodeBlockUnit"/> (the codes of a block of samples), after which the layer's unit only puts them together. Only the
/// unit's JSON travels between machines (<see cref="ToJson"/>), never a matrix.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(LayerGraphUnit), "layer")]
[JsonDerivedType(typeof(GramRowsUnit), "gram-rows")]
[JsonDerivedType(typeof(CodeBlockUnit), "codes")]
[JsonDerivedType(typeof(CkaRowsUnit), "cka-rows")]
public abstract record WorkUnit
{
    /// <summary>How units travel: enums by name, and <see cref="SscOptions"/> without the torch Device and the derived DType,
    /// which are not options of a unit (the executing runner chooses the device).</summary>
    internal static readonly JsonSerializerOptions Wire = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
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

    /// <summary>The stable id: a prefix naming the kind and 32 hex digits of SHA-256 over the unit's inputs and options.</summary>
    [JsonIgnore]
    public abstract string Id { get; }

    /// <summary>What the unit computes, for progress lines and messages (the layer, and the part).</summary>
    [JsonIgnore]
    public abstract string Description { get; }

    /// <summary>The folder of the result and receipt, relative to the shared folder (an analysis run's is inside its run folder).</summary>
    public abstract string Results { get; init; }

    /// <summary>Ids of the units whose results this one reads; it starts once they are done.</summary>
    [JsonIgnore]
    public virtual IReadOnlyList<string> Prerequisites => [];

    /// <summary>The receipt (who computed it, how long it took), relative to the shared folder; written after the result.</summary>
    [JsonIgnore]
    public string ReceiptPath => $"{Results}/{Id}.receipt.json";

    /// <summary>The result, relative to the shared folder.</summary>
    [JsonIgnore]
    public abstract string ResultPath { get; }

    /// <summary>Whether the result and its receipt are in the shared folder.</summary>
    /// <param name="sharedFolder">The shared folder, as this machine sees it.</param>
    public virtual bool IsDone(string sharedFolder) => File.Exists(Resolve(sharedFolder, ResultPath)) && File.Exists(Resolve(sharedFolder, ReceiptPath));

    /// <summary>Executes the unit unless its result is already in the shared folder, writing each file under a temporary name then
    /// renaming it, the receipt last; idempotent (a second execution writes the same result bytes, or finds the result and only
    /// returns its receipt).</summary>
    /// <param name="sharedFolder">The shared folder, as this machine sees it.</param>
    /// <param name="worker">Who executes it (a silo's name, or "local"), recorded in the receipt.</param>
    /// <param name="device">Torch device of the dense work; null is the CPU.</param>
    /// <returns>The receipt of the execution that wrote the result.</returns>
    /// <exception cref="InvalidDataException">An input is missing, or its content hash differs from the unit's.</exception>
    public UnitReceipt Execute(string sharedFolder, string worker, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(sharedFolder);
        ArgumentNullException.ThrowIfNull(worker);
        if (IsDone(sharedFolder)) return LoadReceipt(sharedFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(Resolve(sharedFolder, ResultPath))!);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var receipt = Compute(sharedFolder, worker, device) with { WallSeconds = clock.Elapsed.TotalSeconds };
        receipt.Save(Resolve(sharedFolder, ReceiptPath));
        return receipt;
    }

    /// <summary>The unit's work: writes its result (its folder exists) and returns the receipt that <see cref="Execute"/> then writes.</summary>
    private protected abstract UnitReceipt Compute(string sharedFolder, string worker, Device? device);

    /// <summary>The receipt of a done unit.</summary>
    /// <param name="sharedFolder">The shared folder.</param>
    public UnitReceipt LoadReceipt(string sharedFolder) => UnitReceipt.Load(Resolve(sharedFolder, ReceiptPath));

    /// <summary>The unit as JSON (with its kind), the form it travels in.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Wire);

    /// <summary>A unit from <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON.</param>
    /// <exception cref="InvalidDataException">Not a unit's JSON.</exception>
    public static WorkUnit FromJson(string json)
    {
        try
        {
            var unit = JsonSerializer.Deserialize<WorkUnit>(json, Wire);
            if (unit is null || !unit.IsComplete) throw new InvalidDataException($"Not a work unit (a field is missing): {json}");
            return unit;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Not a work unit (a JSON object whose 'kind' is layer, gram-rows, codes or cka-rows): {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new InvalidDataException($"Not a work unit (its 'kind' is missing or unknown): {e.Message}", e);
        }
    }

    /// <summary>Whether every field JSON must give is there.</summary>
    private protected abstract bool IsComplete { get; }

    /// <summary>A path relative to the shared folder, checked to stay inside it.</summary>
    internal static string Resolve(string sharedFolder, string relative)
    {
        string root = Path.GetFullPath(sharedFolder), full = Path.GetFullPath(Path.Combine(root, relative));
        if (Path.IsPathRooted(relative) || !full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"The unit path '{relative}' must be relative to the shared folder and stay inside it.");
        return full;
    }

    /// <summary>"prefix-" and 32 hex digits of SHA-256 over <paramref name="text"/>.</summary>
    private protected static string HashId(string prefix, string text)
        => prefix + "-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..32];

    /// <summary>The input activation file checked against its content hash.</summary>
    private protected string CheckedInput(string sharedFolder, string input, string inputHash)
    {
        string path = Resolve(sharedFolder, input);
        if (!File.Exists(path)) throw new InvalidDataException($"Unit {Id}: its input {path} does not exist (is the shared folder '{sharedFolder}' the one the client wrote to?).");
        string hash = Models.Activations.ActivationMatrixFile.ContentHash(path);
        if (hash != inputHash) throw new InvalidDataException($"Unit {Id}: its input {path} has content hash {hash}, not the unit's {inputHash}; the file changed since the unit was made.");
        return path;
    }
}

using System.Text.Json;

namespace MLNet.Subspace.Pipeline.Units;

/// <summary>What a done unit records beside its result: who computed it and the solver's figures that vary between executions.</summary>
/// <param name="UnitId">The unit's <see cref="LayerGraphUnit.Id"/>.</param>
/// <param name="Worker">The silo (or "local") that wrote the result.</param>
/// <param name="Seconds">Wall-clock seconds of the SSC codes and graph there.</param>
/// <param name="Iterations">Solver iterations.</param>
/// <param name="Converged">Whether the solver converged.</param>
/// <param name="ReadSeconds">Reading the activation file.</param>
/// <param name="GramSeconds">The Gram product X Xᵀ.</param>
/// <param name="CentredGramSeconds">Centring the Gram matrix and writing it.</param>
/// <param name="CentredGramHash">A layer's unit: the content hash of the centred Gram it wrote (the CKA units' inputs are named by it).</param>
/// <param name="WallSeconds">Wall-clock seconds of the execution that wrote the result, on its worker (a split layer's unit: only
/// putting its parts together, while its other fields sum its parts').</param>
public sealed record UnitReceipt(string UnitId, string Worker, double Seconds, int Iterations, bool Converged, double ReadSeconds, double GramSeconds, double CentredGramSeconds,
    string? CentredGramHash = null, double WallSeconds = 0)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The receipt as JSON, the form it travels in.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A receipt from <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON.</param>
    /// <exception cref="InvalidDataException">Not a receipt.</exception>
    public static UnitReceipt FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<UnitReceipt>(json, Json) is { UnitId: not null, Worker: not null } receipt
                ? receipt : throw new InvalidDataException($"Not a unit receipt: {json}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Not a unit receipt: {e.Message}", e);
        }
    }

    internal void Save(string path) => IO.AtomicFile.WriteAllText(path, w => w.Write(ToJson()));

    internal static UnitReceipt Load(string path)
    {
        try
        {
            return FromJson(File.ReadAllText(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}

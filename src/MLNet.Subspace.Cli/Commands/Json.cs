using System.Text.Encodings.Web;
using System.Text.Json;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>One JSON object per command on stdout, as the reference peer prints.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Print(Dictionary<string, object?> values) => Console.WriteLine(JsonSerializer.Serialize(values, Options));
}

using System.Text.Encodings.Web;
using System.Text.Json;
using MLNet.Subspace.Data;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>One JSON object per command on stdout, as the reference peer prints.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Print(Dictionary<string, object?> values) => Console.WriteLine(JsonSerializer.Serialize(values, Options));

    /// <summary>Runs a command body; a bad file or input prints <c>{"error": ...}</c> and exits 1 instead of a stack trace.</summary>
    public static int Guard(Func<int> body)
    {
        try { return body(); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or DataFileException or FileNotFoundException)
        {
            Print(new() { ["error"] = e.Message });
            return 1;
        }
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using MLNet.Subspace.Data;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>
/// The tool's one error path: bad input of any kind (an option that does not parse, a value out of range, a missing
/// or corrupt file) becomes one <c>error: ...</c> line on stderr and exit code 2; anything else is a bug and keeps
/// its stack trace.
/// </summary>
internal static partial class CliErrors
{
    /// <summary>The exit code of bad input.</summary>
    public const int ExitCode = 2;

    // The library names its options as properties (ProbesPerClass); on the command line the user typed --probes-per-class.
    private static readonly Dictionary<string, string> OptionNames = new(StringComparer.Ordinal)
    {
        ["Alpha"] = "--alpha", ["NonZeros"] = "--k", ["InitialSupport"] = "--initial-support", ["ProjectedDimension"] = "--project-dim",
        ["ProbesPerClass"] = "--probes-per-class", ["SettlingThreshold"] = "--settle-threshold", ["Epochs"] = "--epochs",
        ["TrainingFraction"] = "--fraction", ["LearningRate"] = "--lr", ["BatchSize"] = "--batch", ["Layers"] = "--layer", ["SnapshotFolder"] = "--out",
        ["Ridge"] = "--ridge", ["Keep"] = "--keep", ["K"] = "--k",
        ["MaxBlocks"] = "--max-blocks", ["Permutations"] = "--permutations", ["Significance"] = "--significance", ["ColumnBlocks"] = "--column-blocks",
    };

    /// <summary>Whether <paramref name="e"/> is bad input (named by its message) rather than a bug.</summary>
    public static bool IsBadInput(Exception e) => e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException
        or InvalidOperationException or InsufficientMemoryException or DataFileException;

    /// <summary>Writes the one error line and returns the exit code.</summary>
    public static int Report(string message)
    {
        Console.Error.WriteLine($"error: {OneLine(message)}");
        return ExitCode;
    }

    /// <summary>The message of a bad-input exception in the tool's words: no "(Parameter 'x')", no "Actual value was", CLI option names, one line.</summary>
    public static string Message(Exception e)
    {
        string message = e.Message;
        message = ParameterSuffix().Replace(message, "");
        message = ActualValue().Replace(message, "");
        message = LibraryOption().Replace(message, m => OptionNames.TryGetValue(m.Groups[1].Value, out string? cli) ? $"The '{cli}' option" : m.Value);
        return OneLine(message);
    }

    /// <summary>The parse errors of a command line as one message: each error, with the option it concerns, without .NET type names.</summary>
    public static string Message(ParseResult result)
    {
        var parts = new List<string>();
        foreach (var error in result.Errors)
        {
            string text = ExpectedType().Replace(error.Message, m => $"as {Friendly(m.Groups[1].Value)}");
            text = text.Replace("Did you mean one of the following?", "Valid values:", StringComparison.Ordinal).Replace("Must be one of:", "Valid values:", StringComparison.Ordinal);
            string? option = error.SymbolResult switch
            {
                OptionResult o => o.Option.Name,
                ArgumentResult { Parent: OptionResult o } => o.Option.Name,
                _ => null,
            };
            if (option is not null && !text.Contains(option, StringComparison.Ordinal)) text = $"{option}: {text}";
            parts.Add(OneLine(text));
        }
        return string.Join(" ", parts.Distinct());
    }

    /// <summary>Refuses, at parse time, a value of <paramref name="option"/> below <paramref name="minimum"/> (a parse error names the option and the value).</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum)
    {
        option.Validators.Add(r =>
        {
            int value;
            try { value = r.GetValueOrDefault<int>(); }
            catch (InvalidOperationException) { return; } // not an integer: the parser reports that itself
            if (value < minimum) r.AddError($"The '{option.Name}' option must be an integer of {minimum} or more. Got {value} instead.");
        });
        return option;
    }

    private static string Friendly(string type)
        => type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) ? "an integer"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : "a valid value";

    private static string OneLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var joined = new System.Text.StringBuilder();
        foreach (string line in lines)
        {
            if (joined.Length > 0) joined.Append(joined[^1] is '.' or ':' or '?' or ';' ? " " : ", ");
            joined.Append(line);
        }
        return Whitespace().Replace(joined.ToString(), " ").Trim();
    }

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();

    [GeneratedRegex(@"\r?\nActual value was [^\r\n]*")]
    private static partial Regex ActualValue();

    [GeneratedRegex(@"The '(\w+)' (?:SSC option|similarity option|option of the analysis run|option of Trainer|option)")]
    private static partial Regex LibraryOption();

    [GeneratedRegex(@"as expected type '([^']*)'")]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Whitespace();
}

using System.CommandLine;
using System.CommandLine.Help;
using MLNet.Subspace.Cli.Commands;
using Spectre.Console;

// Piped or logged output has no terminal width; Spectre then assumes 80 columns and breaks table cells.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;

var root = new RootCommand("subspace: open up trained neural networks with sparse subspace clustering (SSC) and centered kernel alignment (CKA).");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(CompareCommand.Create());
root.Subcommands.Add(CompareCommand.CreateReport());
root.Subcommands.Add(CompareModelsCommand.Create());
root.Subcommands.Add(BlocksCommand.Create());
root.Subcommands.Add(SscCommand.Create());
root.Subcommands.Add(CkaCommand.Create());
root.Subcommands.Add(SimilarityCommand.Create());
root.Subcommands.Add(ModularityCommand.Create());
root.Subcommands.Add(BenchCkaCommand.Create());
root.Subcommands.Add(BenchSpectralCommand.Create());
root.Subcommands.Add(BenchTorchCommand.Create());
root.Subcommands.Add(WorkerCommand.Create());
var parsed = root.Parse(args);
// Parse errors (an unknown option, a value of the wrong type, a missing required option) are bad input like any other:
// one error line, exit 2; --help still shows help.
if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction) return CliErrors.Report(CliErrors.Message(parsed));
try
{
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (CliErrors.IsBadInput(e))
{
    // Bad input, named by the message; a stack trace would only bury it. Anything else is a bug and keeps its trace.
    return CliErrors.Report(CliErrors.Message(e));
}

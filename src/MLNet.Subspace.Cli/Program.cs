using System.CommandLine;
using MLNet.Subspace.Cli.Commands;
using MLNet.Subspace.Data;
using Spectre.Console;

// Piped or logged output has no terminal width; Spectre then assumes 80 columns and breaks table cells.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;

var root = new RootCommand("subspace: open up trained neural networks with sparse subspace clustering (SSC) and centered kernel alignment (CKA).");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(CompareCommand.Create());
root.Subcommands.Add(CompareCommand.CreateReport());
root.Subcommands.Add(SscCommand.Create());
root.Subcommands.Add(CkaCommand.Create());
root.Subcommands.Add(ModularityCommand.Create());
root.Subcommands.Add(BenchCkaCommand.Create());
root.Subcommands.Add(BenchTorchCommand.Create());
try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException
    or InvalidOperationException or InsufficientMemoryException or DataFileException)
{
    // Bad input, named by the message; a stack trace would only bury it. Anything else is a bug and keeps its trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

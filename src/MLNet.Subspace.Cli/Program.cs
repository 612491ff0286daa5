using System.CommandLine;
using MLNet.Subspace.Cli.Commands;

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
return root.Parse(args).Invoke();

using System.CommandLine;
using MLNet.Subspace.Cli.Commands;

var root = new RootCommand("subspace: open up trained neural networks with sparse subspace clustering (SSC) and centered kernel alignment (CKA).");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(BenchTorchCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
return root.Parse(args).Invoke();

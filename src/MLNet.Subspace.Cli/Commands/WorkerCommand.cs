using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MLNet.Subspace.Cluster;
using TorchSharp;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace worker</c>: hosts an Orleans silo that executes work units against a shared folder, until stopped.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var cluster = ClusterOption.ConfigurationOption();
        var shared = new Option<string>("--shared") { Description = "The folder every worker and client sees (a shared file system or mounted store); units read their inputs and write their results there.", Required = true };
        var siloPort = new Option<int?>("--silo-port") { Description = $"This silo's port (Orleans:Endpoints:SiloPort); default the configuration's, else {SubspaceCluster.DefaultSiloPort}. The first silo of a loopback cluster is its primary." };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = $"This silo's gateway port for clients (Orleans:Endpoints:GatewayPort); default the configuration's, else {SubspaceCluster.DefaultGatewayPort}." };
        var threads = new Option<int?>("--threads") { Description = "Torch intra-op threads (torch.set_num_threads). Results are byte-identical to a run with the same thread count (GEMM sums depend on it); default torch's (the cores)." };
        var command = new Command("worker", "Join (or start) an Orleans cluster as a worker silo that builds layer graphs for 'analyze --cluster' and 'demo --cluster' clients; stops on Ctrl+C. See docs/distributed.md.")
        {
            cluster, shared, siloPort, gatewayPort, threads,
        };
        command.SetAction(result =>
        {
            string folder = result.GetValue(shared)!;
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The '--shared' folder {folder} does not exist.");
            if (result.GetValue(threads) is int t && t < 1) throw new ArgumentException($"The '--threads' option must be 1 or more. Got {t} instead.");
            var overrides = new Dictionary<string, string?>();
            if (result.GetValue(siloPort) is int sp) overrides["Orleans:Endpoints:SiloPort"] = Port(sp, "--silo-port");
            if (result.GetValue(gatewayPort) is int gp) overrides["Orleans:Endpoints:GatewayPort"] = Port(gp, "--gateway-port");
            var configuration = SubspaceCluster.LoadConfiguration(result.GetValue(cluster), overrides);
            if (result.GetValue(threads) is int pinned) torch.set_num_threads(pinned);
            using var host = SubspaceCluster.CreateWorker(configuration, folder, logging => logging
                .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
                .SetMinimumLevel(LogLevel.Warning)
                .AddFilter("MLNet.Subspace", LogLevel.Information));
            host.Start();
            Console.WriteLine($"worker {SubspaceCluster.SiloName(host)} ready: shared folder {Path.GetFullPath(folder)}, {torch.get_num_threads()} torch threads");
            host.WaitForShutdown();
            return 0;
        });
        return command;
    }

    private static string Port(int port, string option) => port is > 0 and < 65536
        ? port.ToString(CultureInfo.InvariantCulture)
        : throw new ArgumentException($"The '{option}' option must be a port in [1, 65535]. Got {port} instead.");
}

using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace MLNet.Subspace.Cluster;

/// <summary>
/// Hosts worker silos and connects clients from one configuration: Orleans' own configuration section <c>Orleans</c>
/// (ClusterId, ServiceId, Clustering with its ProviderType, Endpoints, Messaging), read from a JSON file, plus
/// <c>Orleans:Membership</c> bound to <see cref="ClusterMembershipOptions"/> (failure detection). Without a Clustering
/// section the cluster is on this machine: Development clustering on loopback, the primary silo at 127.0.0.1:11111, clients
/// through the gateway 127.0.0.1:30000 (docs/distributed.md). A <c>Subspace:Tls</c> section turns on mutual TLS between
/// every silo and client (certificate file, trusted certificates).
/// </summary>
public static class SubspaceCluster
{
    /// <summary>The cluster and service id when the configuration gives none.</summary>
    public const string DefaultClusterId = "subspace";
    /// <summary>The primary silo's port (Development clustering) when the configuration gives none.</summary>
    public const int DefaultSiloPort = 11111;
    /// <summary>The gateway port when the configuration gives none.</summary>
    public const int DefaultGatewayPort = 30000;
    /// <summary>How long a client waits for a gateway to accept it when <c>Subspace:ConnectTimeout</c> gives no other time.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The configuration in a JSON file, over the loopback defaults, with <paramref name="overrides"/> last
    /// (e.g. "Orleans:Endpoints:SiloPort" for a second silo on one machine).</summary>
    /// <param name="path">The JSON file, or null for the defaults alone.</param>
    /// <param name="overrides">Keys set last, or null.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not JSON.</exception>
    public static IConfiguration LoadConfiguration(string? path, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = DefaultClusterId,
            ["Orleans:ServiceId"] = DefaultClusterId,
        });
        if (path is not null)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"The cluster configuration {path} does not exist.", path);
            builder.AddJsonFile(Path.GetFullPath(path), optional: false);
        }
        if (overrides is not null) builder.AddInMemoryCollection(overrides);
        try
        {
            var configuration = builder.Build();
            // A certificate named relative to the configuration file is found beside it, from any working directory.
            string tlsFile = $"{ClusterTls.Section}:CertificateFile";
            if (path is not null && configuration[tlsFile] is { Length: > 0 } certificate && !Path.IsPathRooted(certificate))
                configuration[tlsFile] = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, certificate);
            ClusterTls.Load(configuration); // a bad TLS setting is refused now, before any silo or client starts
            if (!configuration.GetSection("Orleans:Clustering").Exists())
            {
                // Loopback only: a silo on 127.0.0.1 is not reachable from another machine.
                configuration["Orleans:Clustering:ProviderType"] = "Development";
                configuration["Orleans:Clustering:PrimarySiloEndPoint"] = $"127.0.0.1:{DefaultSiloPort}";
                configuration["Orleans:Clustering:Gateways:0"] = $"127.0.0.1:{DefaultGatewayPort}";
            }
            return configuration;
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"The cluster configuration {path} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>A worker silo: hosts the unit workers, executing units against <paramref name="sharedFolder"/>.</summary>
    /// <param name="configuration">From <see cref="LoadConfiguration"/>.</param>
    /// <param name="sharedFolder">The shared folder as this machine mounts it.</param>
    /// <param name="logging">Logging setup (e.g. warnings to the console), or null for Orleans' default.</param>
    /// <returns>The host, not started.</returns>
    public static IHost CreateWorker(IConfiguration configuration, string sharedFolder, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!Directory.Exists(sharedFolder)) throw new DirectoryNotFoundException($"The shared folder {sharedFolder} does not exist.");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = new ConfigurationManager() });
        builder.Configuration.AddConfiguration(configuration);
        if (logging is not null) logging(builder.Logging);
        builder.UseOrleans(silo =>
        {
            ConfigureSilo(silo, configuration);
            silo.AddUnitWorkers(sharedFolder);
            silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
        });
        return builder.Build();
    }

    /// <summary>The name receipts and progress show for a silo: its address, port and generation, as the membership lists it.</summary>
    /// <param name="silo">A silo's address.</param>
    public static string SiloName(SiloAddress silo) => (silo ?? throw new ArgumentNullException(nameof(silo))).ToString();

    /// <summary>The name of a worker host's silo (see <see cref="SiloName(SiloAddress)"/>); the host must be started.</summary>
    /// <param name="worker">From <see cref="CreateWorker"/>.</param>
    public static string SiloName(IHost worker) => SiloName((worker ?? throw new ArgumentNullException(nameof(worker))).Services.GetRequiredService<ILocalSiloDetails>().SiloAddress);

    /// <summary>The cluster client of a host from <see cref="ConnectAsync"/>.</summary>
    /// <param name="client">The client host.</param>
    public static IClusterClient Client(IHost client) => (client ?? throw new ArgumentNullException(nameof(client))).Services.GetRequiredService<IClusterClient>();

    /// <summary>Adds the unit workers' settings to a silo built elsewhere (Orleans' test clusters).</summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="sharedFolder">The shared folder as the silo sees it.</param>
    public static ISiloBuilder AddUnitWorkers(this ISiloBuilder silo, string sharedFolder)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.Configure<UnitWorkerOptions>(o => o.SharedFolder = Path.GetFullPath(sharedFolder));
        return silo;
    }

    /// <summary>Connects a client (for <see cref="ClusterUnitRunner"/>); dispose the host to disconnect.</summary>
    /// <param name="configuration">From <see cref="LoadConfiguration"/>.</param>
    /// <param name="cancellationToken">Stops connecting.</param>
    /// <returns>The started host; its services hold the <see cref="IClusterClient"/>.</returns>
    public static async Task<IHost> ConnectAsync(IConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = new ConfigurationManager() });
        builder.Configuration.AddConfiguration(configuration);
        var tls = ClusterTls.Load(configuration);
        builder.UseOrleansClient(client =>
        {
            if (tls is not null) client.UseTls(tls.Certificate, o => ClusterTls.Apply(o, tls));
        });
        var host = builder.Build();
        // A gateway that refuses the client after the transport is up (a TLS peer that does not trust its certificate) leaves
        // Orleans retrying for ever: the wait is bounded, and the message says what to check.
        var timeout = configuration.GetValue("Subspace:ConnectTimeout", DefaultConnectTimeout);
        try
        {
            await host.StartAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
            return host;
        }
        catch (TimeoutException e)
        {
            host.Dispose();
            throw new TimeoutException($"No gateway of the cluster accepted this client within {timeout.TotalSeconds:0.#} s ('Subspace:ConnectTimeout'): are its "
                + "'subspace worker' silos running with this configuration's cluster id, and, with TLS, do their certificates and this one's trust each other?", e);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Endpoints on loopback unless the configuration names an address (Orleans would otherwise pick this machine's first
    /// address); mutual TLS when the configuration has a <see cref="ClusterTls.Section"/>.</summary>
    private static void ConfigureSilo(ISiloBuilder silo, IConfiguration configuration)
    {
        if (ClusterTls.Load(configuration) is { } tls) silo.UseTls(tls.Certificate, o => ClusterTls.Apply(o, tls));
        var endpoints = configuration.GetSection("Orleans:Endpoints");
        int siloPort = endpoints.GetValue("SiloPort", DefaultSiloPort), gatewayPort = endpoints.GetValue("GatewayPort", DefaultGatewayPort);
        var address = endpoints["AdvertisedIPAddress"] is { Length: > 0 } text
            ? IPAddress.TryParse(text, out var parsed) ? parsed : throw new InvalidDataException($"The cluster option 'Orleans:Endpoints:AdvertisedIPAddress' must be an IP address. Got '{text}' instead.")
            : IPAddress.Loopback;
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = address;
            o.SiloPort = siloPort;
            o.GatewayPort = gatewayPort;
            // Listen only where advertised: loopback stays loopback.
            o.SiloListeningEndpoint = new IPEndPoint(address, siloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(address, gatewayPort);
        });
    }
}

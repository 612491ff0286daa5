using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MLNet.Subspace.Cluster;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Pipeline.Units;

namespace MLNet.Subspace.Tests.Cluster;

/// <summary>Mutual TLS (Subspace:Tls) between a worker silo and clients on loopback, with pinned self-signed certificates.</summary>
public class ClusterTlsTests
{
    private static readonly SscOptions Ssc = new() { Solver = SscSolver.Admm };

    /// <summary>A self-signed certificate for <paramref name="name"/>, with its key, written as PKCS#12.</summary>
    private static X509Certificate2 Certificate(string name, string pfx)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("subspace-cluster");
        request.CertificateExtensions.Add(san.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx));
        return certificate;
    }

    private static string Config(TempFolder temp, string name, int[] ports, string? pfx, params X509Certificate2[] trusted)
    {
        string tls = pfx is null ? "" : $$"""
            , "Tls": { "CertificateFile": "{{Path.GetFileName(pfx)}}", "ServerName": "subspace-cluster",
                "TrustedCertificates": [ {{string.Join(", ", trusted.Select(c => $"\"{c.GetCertHashString(HashAlgorithmName.SHA256)}\""))}} ] }
            """;
        string path = temp.File(name);
        File.WriteAllText(path, $$"""
            { "Subspace": { "ConnectTimeout": "00:00:05" {{tls}} },
              "Orleans": { "ClusterId": "tls-test", "ServiceId": "tls-test",
                "Clustering": { "ProviderType": "Development", "PrimarySiloEndPoint": "127.0.0.1:{{ports[0]}}", "Gateways": [ "127.0.0.1:{{ports[1]}}" ] },
                "Endpoints": { "SiloPort": {{ports[0]}}, "GatewayPort": {{ports[1]}} } } }
            """);
        return path;
    }

    [Fact]
    public async Task A_Worker_With_Tls_Serves_A_Client_With_A_Trusted_Certificate_And_Refuses_Others()
    {
        using var temp = new TempFolder();
        string shared = temp.File("shared");
        var units = ClusterUnitRunnerTests.WriteLayers(shared, layers: 2, n: 30, d: 8, Ssc);
        var workerCertificate = Certificate("worker", temp.File("worker.pfx"));
        var clientCertificate = Certificate("client", temp.File("client.pfx"));
        var strangerCertificate = Certificate("stranger", temp.File("stranger.pfx"));
        int[] ports = WorkerProcessTests.FreePorts(2);
        // The worker trusts itself (silo to silo) and the client; the client trusts the worker.
        using var worker = SubspaceCluster.CreateWorker(SubspaceCluster.LoadConfiguration(Config(temp, "worker.json", ports, temp.File("worker.pfx"), workerCertificate, clientCertificate)), shared);
        await worker.StartAsync();
        try
        {
            using (var client = await SubspaceCluster.ConnectAsync(SubspaceCluster.LoadConfiguration(Config(temp, "client.json", ports, temp.File("client.pfx"), workerCertificate))))
            {
                var receipts = await new ClusterUnitRunner(SubspaceCluster.Client(client), shared).RunAsync(units).WaitAsync(TimeSpan.FromMinutes(2));
                Assert.Equal(units.Select(u => u.Id), receipts.Select(r => r.UnitId));
                Assert.All(receipts, r => Assert.Equal(SubspaceCluster.SiloName(worker), r.Worker));
            }

            // A certificate the worker does not list, and no TLS at all: the gateway never accepts either (the bounded wait says so).
            foreach (string refused in new[] { Config(temp, "stranger.json", ports, temp.File("stranger.pfx"), workerCertificate), Config(temp, "plain.json", ports, pfx: null) })
            {
                var e = await Assert.ThrowsAsync<TimeoutException>(() => SubspaceCluster.ConnectAsync(SubspaceCluster.LoadConfiguration(refused)));
                Assert.Contains("No gateway of the cluster accepted this client within 5 s", e.Message);
            }
        }
        finally
        {
            await worker.StopAsync();
        }
    }

    [Fact]
    public void Tls_Settings_Are_Checked_When_The_Configuration_Is_Loaded()
    {
        using var temp = new TempFolder();
        int[] ports = [1, 2];
        var e1 = Assert.Throws<FileNotFoundException>(() => SubspaceCluster.LoadConfiguration(Config(temp, "missing.json", ports, temp.File("missing.pfx"))));
        Assert.Contains("'Subspace:Tls:CertificateFile' names " + temp.File("missing.pfx"), e1.Message);   // relative to the configuration file

        File.WriteAllText(temp.File("garbage.pfx"), "not a certificate");
        var e2 = Assert.Throws<InvalidDataException>(() => SubspaceCluster.LoadConfiguration(Config(temp, "garbage.json", ports, temp.File("garbage.pfx"))));
        Assert.Contains("is not a PKCS#12 certificate", e2.Message);

        var certificate = Certificate("node", temp.File("node.pfx"));
        string config = Config(temp, "hash.json", ports, temp.File("node.pfx"), certificate);
        File.WriteAllText(config, File.ReadAllText(config).Replace(certificate.GetCertHashString(HashAlgorithmName.SHA256), "abc", StringComparison.Ordinal));
        var e3 = Assert.Throws<InvalidDataException>(() => SubspaceCluster.LoadConfiguration(config));
        Assert.Contains("'Subspace:Tls:TrustedCertificates:0' must be a certificate's SHA-256 hash (64 hex digits). Got 'abc'", e3.Message);

        File.WriteAllBytes(temp.File("public.pfx"), certificate.Export(X509ContentType.Cert));
        var e4 = Assert.ThrowsAny<Exception>(() => SubspaceCluster.LoadConfiguration(Config(temp, "public.json", ports, temp.File("public.pfx"))));
        Assert.Contains("Subspace:Tls:CertificateFile", e4.Message);
    }
}

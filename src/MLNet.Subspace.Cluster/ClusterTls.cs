using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace MLNet.Subspace.Cluster;

/// <summary>
/// Mutual TLS between silos and between clients and gateways, through Orleans' own <c>Microsoft.Orleans.Connections.Security</c>
/// (<c>UseTls</c> on the silo and client builders): every node presents the certificate of <c>Subspace:Tls:CertificateFile</c>
/// and accepts a peer whose certificate chains to a trusted root (the system's), or, when <c>Subspace:Tls:TrustedCertificates</c>
/// lists SHA-256 hashes, exactly the peers listed (pinned self-signed certificates of one cluster). No authentication of our own:
/// a node without an accepted certificate never completes the handshake.
/// </summary>
internal static class ClusterTls
{
    /// <summary>The configuration section: CertificateFile (PKCS#12, relative to the configuration file), CertificatePassword,
    /// TrustedCertificates (SHA-256 hex), ServerName (the name peers' certificates are checked against; default the local
    /// certificate's DNS name).</summary>
    public const string Section = "Subspace:Tls";

    /// <summary>What <see cref="Apply"/> needs, read and checked once.</summary>
    public sealed record Settings(X509Certificate2 Certificate, IReadOnlySet<string> Trusted, string ServerName);

    /// <summary>The TLS settings of a configuration, or null when it has no <see cref="Section"/>.</summary>
    /// <exception cref="FileNotFoundException">The certificate file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a PKCS#12 certificate with its private key, or a hash is malformed.</exception>
    public static Settings? Load(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (!section.Exists()) return null;
        string file = section["CertificateFile"] is { Length: > 0 } f ? f
            : throw new InvalidDataException($"The cluster option '{Section}:CertificateFile' is required with TLS: a PKCS#12 (.pfx) file holding this node's certificate and private key.");
        if (!File.Exists(file)) throw new FileNotFoundException($"The cluster option '{Section}:CertificateFile' names {file}, which does not exist.", file);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(file, section["CertificatePassword"]);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"The cluster option '{Section}:CertificateFile' names {file}, which is not a PKCS#12 certificate readable with '{Section}:CertificatePassword': {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidDataException($"The cluster option '{Section}:CertificateFile' names {file}, whose certificate has no private key: a node cannot prove it holds it.");
        var trusted = section.GetSection("TrustedCertificates").GetChildren().Select((c, i) =>
            c.Value is { Length: 64 } hash && hash.All(Uri.IsHexDigit) ? hash.ToUpperInvariant()
                : throw new InvalidDataException($"The cluster option '{Section}:TrustedCertificates:{i}' must be a certificate's SHA-256 hash (64 hex digits). Got '{c.Value}' instead.")).ToHashSet();
        string serverName = section["ServerName"] is { Length: > 0 } name ? name : certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false);
        return new Settings(certificate, trusted, serverName);
    }

    /// <summary>The SHA-256 hash of a certificate as <c>TrustedCertificates</c> lists it.</summary>
    public static string Hash(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256).ToUpperInvariant();

    /// <summary>Both ends require and check the other's certificate; outgoing connections name <see cref="Settings.ServerName"/>.</summary>
    public static void Apply(TlsOptions options, Settings settings)
    {
        options.LocalCertificate = settings.Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (certificate, _, errors) =>
            settings.Trusted.Count > 0 ? settings.Trusted.Contains(Hash(certificate)) : errors == SslPolicyErrors.None;
        options.OnAuthenticateAsClient = (_, ssl) => ssl.TargetHost = settings.ServerName;
    }
}

namespace MLNet.Subspace.Analysis;

/// <summary>One layer's class structure.</summary>
/// <param name="LayerIndex">Position of the layer, 0 = first.</param>
/// <param name="Layer">The layer's name.</param>
/// <param name="Features">d, the length of its activation vector.</param>
/// <param name="Modularity">Newman's Q of its SSC graph against the true classes.</param>
/// <param name="LouvainModularity">Q of the communities Louvain finds.</param>
/// <param name="Communities">How many communities Louvain finds.</param>
/// <param name="NonZerosPerInput">Average non-zeros per SSC code.</param>
/// <param name="SubspacePreservingError">Share of code mass on inputs of other classes.</param>
/// <param name="SpectralAccuracy">Hungarian-matched accuracy of spectral clustering of the graph.</param>
/// <param name="Nmi">Normalised mutual information of the same clusters.</param>
/// <param name="Ari">Adjusted Rand index of the same clusters.</param>
/// <param name="SolverIterations">Iterations (or greedy steps) the SSC solver ran.</param>
/// <param name="Converged">Whether the SSC solver met its tolerance before its iteration cap.</param>
/// <param name="SolveSeconds">Seconds of the SSC solve.</param>
public sealed record LayerwiseRow(int LayerIndex, string Layer, int Features, double Modularity, double LouvainModularity, int Communities,
    double NonZerosPerInput, double SubspacePreservingError, double SpectralAccuracy, double Nmi, double Ari, int SolverIterations, bool Converged, double SolveSeconds);

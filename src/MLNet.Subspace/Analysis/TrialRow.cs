namespace MLNet.Subspace.Analysis;

/// <summary>One trained model (an AutoML trial) over the evaluation inputs: how often it is right, how its SSC graph in score space votes, and how class-structured that graph is.</summary>
/// <param name="TrialIndex">Position of the trial, 0 = first.</param>
/// <param name="Trial">The trial's name.</param>
/// <param name="Accuracy">Share of inputs the model classifies correctly (argmax of its score).</param>
/// <param name="SscAccuracy">Share of inputs whose SSC prediction (the affinity-weighted vote of their neighbours' true labels in the trial's score-space graph) is the true label.</param>
/// <param name="Agreement">Share of inputs where the SSC prediction equals the model's prediction.</param>
/// <param name="Modularity">Newman's Q of the score-space graph against the true classes.</param>
/// <param name="LouvainModularity">Q of the communities Louvain finds in it.</param>
/// <param name="Communities">How many communities Louvain finds.</param>
/// <param name="SpectralAccuracy">Hungarian-matched accuracy of spectral clustering of the graph.</param>
/// <param name="Nmi">Normalised mutual information of the same clusters.</param>
/// <param name="NonZerosPerInput">Average non-zeros per SSC code.</param>
/// <param name="Converged">Whether the SSC solver met its tolerance.</param>
public sealed record TrialRow(int TrialIndex, string Trial, double Accuracy, double SscAccuracy, double Agreement, double Modularity,
    double LouvainModularity, int Communities, double SpectralAccuracy, double Nmi, double NonZerosPerInput, bool Converged);

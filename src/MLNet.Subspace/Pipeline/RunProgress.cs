namespace MLNet.Subspace.Pipeline;

/// <summary>Where a run is, for progress bars.</summary>
/// <param name="Stage">"train", "activations", "graphs", "analysis" or "report".</param>
/// <param name="Done">Units done in this stage.</param>
/// <param name="Total">Units in this stage.</param>
/// <param name="Detail">What is being worked on.</param>
public sealed record RunProgress(string Stage, int Done, int Total, string Detail);

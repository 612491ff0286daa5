using MLNet.Subspace.Reporting;

namespace MLNet.Subspace.Pipeline;

/// <summary>What a run produced.</summary>
/// <param name="Folder">The run folder.</param>
/// <param name="ReportPath">report.html.</param>
/// <param name="Findings">The results.</param>
public sealed record AnalysisRunResult(string Folder, string ReportPath, AnalysisFindings Findings);

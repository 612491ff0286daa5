using Microsoft.Data.Analysis;

namespace MLNet.Subspace.Reporting;

/// <summary>What <see cref="ComparisonReport.Write"/> produced.</summary>
/// <param name="Table">One row per run (the content of comparison.csv).</param>
/// <param name="ReportPath">The path of comparison.html.</param>
public sealed record ComparisonResult(DataFrame Table, string ReportPath);

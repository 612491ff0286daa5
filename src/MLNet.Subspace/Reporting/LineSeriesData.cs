namespace MLNet.Subspace.Reporting;

/// <summary>One named line of a line chart.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">X values.</param>
/// <param name="Y">Y values (NaN leaves a gap).</param>
public sealed record LineSeriesData(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

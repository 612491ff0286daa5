namespace MLNet.Subspace.Reporting;

/// <summary>The columns of a run's summary.csv: written by <see cref="AnalysisReport"/>, read back by <see cref="ComparisonReport"/>.</summary>
internal static class SummaryColumns
{
    public const string Title = "title";
    public const string Layers = "layers";
    public const string Probes = "probes";
    public const string TestAccuracy = "test_accuracy";
    public const string FirstLayerModularity = "first_layer_modularity";
    public const string LastLayerModularity = "last_layer_modularity";
    public const string DepthModularityRho = "depth_modularity_rho";
    public const string Blocks = "blocks";
    public const string BlockScore = "block_score";
    public const string BlockPValue = "block_p_value";
    public const string SscAccuracy = "ssc_accuracy";
    public const string NetworkAccuracy = "network_accuracy";
    public const string Agreement = "agreement";

    /// <summary>The numeric columns a comparison lists, in order.</summary>
    public static readonly string[] Compared = [TestAccuracy, FirstLayerModularity, LastLayerModularity, DepthModularityRho, BlockScore, SscAccuracy, NetworkAccuracy, Agreement];
}

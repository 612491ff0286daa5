namespace MLNet.Subspace.ML;

/// <summary>The default column names every MLNet.Subspace loader, estimator and transformer uses (ML.NET's conventions).</summary>
public static class ColumnNames
{
    /// <summary>The image / feature vector column: "Features".</summary>
    public const string Features = "Features";

    /// <summary>The true label (key) column: "Label".</summary>
    public const string Label = "Label";

    /// <summary>The score vector column: "Score".</summary>
    public const string Score = "Score";

    /// <summary>The predicted label (key) column: "PredictedLabel".</summary>
    public const string PredictedLabel = "PredictedLabel";
}

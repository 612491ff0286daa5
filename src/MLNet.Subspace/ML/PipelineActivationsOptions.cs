namespace MLNet.Subspace.ML;

/// <summary>Which columns of a fitted ML.NET pipeline <see cref="PipelineActivations.Extract"/> reads as layers, and where its labels and scores are.</summary>
public sealed record PipelineActivationsOptions
{
    /// <summary>Defaults, defined once.</summary>
    public static class Defaults
    {
        /// <summary>The input data's own vector columns are layers too (named <c>input:column</c>), the baseline every stage is compared with.</summary>
        public const bool IncludeInputs = true;
        /// <summary>The true-label column of the transformed data: ColumnNames.Label.</summary>
        public const string LabelColumnName = ColumnNames.Label;
        /// <summary>The final score column: ColumnNames.Score.</summary>
        public const string ScoreColumnName = ColumnNames.Score;
    }

    /// <summary>
    /// The layers to keep: full names (<c>2:Features</c>, <c>input:Features</c>) or bare column names (every stage's column of that
    /// name); null keeps every vector column.
    /// </summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Whether the input data's vector columns are layers (<c>input:column</c>). Default <see cref="Defaults.IncludeInputs"/>.</summary>
    public bool IncludeInputs { get; init; } = Defaults.IncludeInputs;

    /// <summary>The label column read from the model's output (so a key mapping inside the model applies); absent means no labels. Default <see cref="Defaults.LabelColumnName"/>.</summary>
    public string LabelColumnName { get; init; } = Defaults.LabelColumnName;

    /// <summary>The score column of the model's output: a vector (one slot per class) or a scalar (binary, regression). Default <see cref="Defaults.ScoreColumnName"/>.</summary>
    public string ScoreColumnName { get; init; } = Defaults.ScoreColumnName;

    /// <summary>The memory the activations may take; null means half of what .NET may use.</summary>
    public long? MaximumBytes { get; init; }
}

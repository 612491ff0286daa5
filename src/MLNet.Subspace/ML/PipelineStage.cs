namespace MLNet.Subspace.ML;

/// <summary>One stage of a fitted ML.NET pipeline as <see cref="PipelineActivations"/> sees it: what it is and which columns it adds.</summary>
/// <param name="Index">Position in the flattened chain, 0 = first (nested chains are flattened in order).</param>
/// <param name="Transformer">The transformer's type name (generic arguments dropped), e.g. <c>MulticlassPredictionTransformer</c>.</param>
/// <param name="Columns">The visible columns the stage adds, as (name, ML.NET type) pairs, e.g. ("Score", "Vector&lt;Single, 10&gt;").</param>
/// <param name="Layers">The names (<c>stage-index:column</c>) of the columns that are layers: vectors of Single or Double.</param>
public sealed record PipelineStage(int Index, string Transformer, IReadOnlyList<(string Name, string Type)> Columns, IReadOnlyList<string> Layers);

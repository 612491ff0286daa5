using Microsoft.ML;
using MLNet.Subspace.Models.Activations;

namespace MLNet.Subspace.ML;

/// <summary>Materialised activations as an ML.NET data view.</summary>
public static class LayerActivationsDataView
{
    /// <summary>An in-memory data view: one vector column per layer (named by its path), Score, PredictedLabel and (when known) Label.</summary>
    /// <param name="activations">The activations.</param>
    /// <returns>The view.</returns>
    public static IDataView ToDataView(this LayerActivations activations)
    {
        ArgumentNullException.ThrowIfNull(activations);
        var builder = InMemoryDataView.Create(activations.Count);
        for (int l = 0; l < activations.LayerNames.Count; l++)
            builder.AddVector(activations.LayerNames[l], activations.Values[l], activations.LayerShapes[l]);
        builder.AddVector(ColumnNames.Score, activations.Scores, [activations.Classes], activations.ClassNames);
        builder.AddKey(ColumnNames.PredictedLabel, activations.Predictions, activations.ClassNames);
        if (activations.Labels is not null) builder.AddKey(ColumnNames.Label, activations.Labels, activations.ClassNames);
        return builder.Build();
    }
}

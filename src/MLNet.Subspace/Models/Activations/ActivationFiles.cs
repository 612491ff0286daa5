namespace MLNet.Subspace.Models.Activations;

/// <summary>
/// N inputs' activations streamed to disk, one <see cref="ActivationMatrixFile"/> per layer (<see cref="LayerActivations.Stream"/>),
/// with what the network said about each input held in memory.
/// </summary>
/// <param name="LayerNames">The layers, in the network's order.</param>
/// <param name="LayerShapes">Per-input shape of each layer.</param>
/// <param name="Paths">The layer files (full paths), in layer order.</param>
/// <param name="Hashes">Their content hashes (<see cref="ActivationMatrixFile.ContentHash"/>).</param>
/// <param name="Outputs">Scores, predictions, labels and class names of the inputs: a <see cref="LayerActivations"/> holding no layers.</param>
public sealed record ActivationFiles(IReadOnlyList<string> LayerNames, IReadOnlyList<int[]> LayerShapes, IReadOnlyList<string> Paths,
    IReadOnlyList<string> Hashes, LayerActivations Outputs)
{
    /// <summary>Per-input length d_l of each layer.</summary>
    public IReadOnlyList<int> LayerSizes => LayerShapes.Select(s => s.Aggregate(1, (a, b) => a * b)).ToArray();

    /// <summary>Reads every layer back into memory (4 N Σd bytes; refused beforehand, with the estimate, when it would not fit).</summary>
    /// <param name="maximumBytes">The memory the result may take; null means <see cref="LayerActivations.DefaultMaximumBytes"/>.</param>
    public LayerActivations Load(long? maximumBytes = null)
    {
        LayerActivations.CheckFits(Outputs.Count, LayerNames.ToArray(), LayerSizes, Outputs.Classes, maximumBytes);
        var values = Paths.Select(p => ActivationMatrixFile.Read(p).Values).ToArray();
        return Outputs.WithLayers(LayerNames.ToArray(), LayerShapes.ToArray(), values);
    }
}

using Microsoft.ML;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Models.Activations;

namespace MLNet.Subspace.ML;

/// <summary>
/// Compares fitted ML.NET models (the trials of an AutoML experiment, or any ITransformers, or their saved .zip files) over one
/// labelled evaluation IDataView: each model's score column (and chosen feature layers) is read with
/// <see cref="PipelineActivations"/> and compared by <see cref="TrialComparison"/>.
/// </summary>
/// <remarks>Cost: one pass of each model over the data per stage that has a chosen layer, then <see cref="TrialComparison"/>'s.</remarks>
public static class ModelComparison
{
    /// <summary>Compares fitted models.</summary>
    /// <param name="names">A distinct name per model.</param>
    /// <param name="models">The fitted models.</param>
    /// <param name="data">The evaluation data with true labels, of the schema the models were trained on.</param>
    /// <param name="options">The comparison; null means <see cref="TrialComparisonOptions"/>' defaults.</param>
    /// <param name="columns">The label and score columns (its <see cref="PipelineActivationsOptions.Columns"/> is set from <paramref name="options"/>' feature layers); null means the defaults.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentException">A model cannot read the data (the message names it), or see <see cref="TrialComparison.Run"/>.</exception>
    public static TrialComparisonResult Compare(IReadOnlyList<string> names, IReadOnlyList<ITransformer> models, IDataView data,
        TrialComparisonOptions? options = null, PipelineActivationsOptions? columns = null)
        => Compare(names, models, models.Select(_ => (DataViewSchema?)null).ToArray(), data, options, columns);

    /// <summary>Loads models saved with <c>mlContext.Model.Save</c> (an AutoML experiment's trials) and compares them; every file is loaded and checked against the data before any work.</summary>
    /// <param name="mlContext">The context to load with (it must know the models' trainers: reference Microsoft.ML.LightGbm, Microsoft.ML.FastTree... as needed).</param>
    /// <param name="modelPaths">The .zip files; trials are named by <see cref="TrialNames"/>.</param>
    /// <param name="data">The evaluation data with true labels.</param>
    /// <param name="options">The comparison; null means the defaults.</param>
    /// <param name="columns">The label and score columns; null means the defaults.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is not an ML.NET model.</exception>
    /// <exception cref="ArgumentException">A model cannot read the data: the message gives ML.NET's reason, the schema the model was trained on and the data's.</exception>
    public static TrialComparisonResult Compare(MLContext mlContext, IReadOnlyList<string> modelPaths, IDataView data,
        TrialComparisonOptions? options = null, PipelineActivationsOptions? columns = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(modelPaths);
        var models = new ITransformer[modelPaths.Count];
        var schemas = new DataViewSchema?[modelPaths.Count];
        for (int m = 0; m < modelPaths.Count; m++)
        {
            models[m] = PipelineActivations.Load(mlContext, modelPaths[m], out var schema);
            schemas[m] = schema;
        }
        return Compare(TrialNames(modelPaths), models, schemas, data, options, columns);
    }

    /// <summary>Trial names for model files: each file's name without its extension, or the paths as given where two names would repeat.</summary>
    /// <param name="modelPaths">The files.</param>
    /// <returns>One distinct name per file (the paths themselves when two paths repeat).</returns>
    public static IReadOnlyList<string> TrialNames(IReadOnlyList<string> modelPaths)
    {
        ArgumentNullException.ThrowIfNull(modelPaths);
        var names = modelPaths.Select(Path.GetFileNameWithoutExtension).Select(n => n ?? "").ToArray();
        return names.Distinct(StringComparer.Ordinal).Count() == names.Length ? names : modelPaths.ToArray();
    }

    private static TrialComparisonResult Compare(IReadOnlyList<string> names, IReadOnlyList<ITransformer> models, IReadOnlyList<DataViewSchema?> trainedOn,
        IDataView data, TrialComparisonOptions? options, PipelineActivationsOptions? columns)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new TrialComparisonOptions();
        columns ??= new PipelineActivationsOptions();
        options.Ssc.Validate();
        if (names.Count != models.Count) throw new ArgumentException($"Expected one name per model ({models.Count}). Got {names.Count} instead.", nameof(names));
        for (int m = 0; m < models.Count; m++) PipelineActivations.CheckInput(models[m], trainedOn[m], data.Schema, names[m]);
        var trials = new LayerActivations[models.Count];
        for (int m = 0; m < models.Count; m++)
        {
            // Read only the score and the chosen feature layers this model has (TrialComparison names a feature no model has).
            var stages = PipelineActivations.Describe(models[m], data.Schema);
            var layers = data.Schema.Where(c => !c.IsHidden && c.Type is Microsoft.ML.Data.VectorDataViewType).Select(c => $"{PipelineActivations.InputStage}:{c.Name}")
                .Concat(stages.SelectMany(s => s.Layers)).ToList();
            var available = layers.Concat(layers.Select(l => l[(l.IndexOf(':') + 1)..])).ToHashSet(StringComparer.Ordinal);
            var wanted = new[] { columns.ScoreColumnName }.Concat(options.FeatureLayers).Where(available.Contains).ToList();
            trials[m] = PipelineActivations.Extract(models[m], data, columns with { Columns = wanted, IncludeInputs = true });
        }
        return TrialComparison.Run(names, trials, options);
    }
}

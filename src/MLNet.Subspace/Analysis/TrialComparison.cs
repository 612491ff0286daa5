using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Cka;
using static TorchSharp.torch;

namespace MLNet.Subspace.Analysis;

/// <summary>
/// Compares several trained models over the same labelled inputs, the post-analysis of an AutoML experiment's trials: the
/// linear CKA of their score columns (and chosen feature layers), each trial's SSC graph of the inputs in its score space
/// (its modularity, SSC prediction and agreement with the model), the SSC-CKA between those graphs, how often each pair
/// of trials predicts alike, and which inputs they disagree on.
/// </summary>
/// <remarks>
/// Cost for T trials, N inputs and K classes: T SSC solves on N x K scores (exact ADMM: O(N^2 K) once plus O(N^2 r) per
/// iteration, N x N dense memory per solve), linear CKA O(N^2 (T + F)) memory and O((T + F)^2 N^2) time over the Gram
/// form (F feature layers), SSC-CKA O(T (nnz + N) + T^2 N), and O(T^2 N) for the overlap.
/// </remarks>
public static class TrialComparison
{
    /// <summary>Compares the trials.</summary>
    /// <param name="names">A distinct name per trial.</param>
    /// <param name="trials">Each trial's activations over the same inputs, with the same true labels and classes (the score columns as <see cref="LayerActivations.Scores"/>).</param>
    /// <param name="options">The settings; null means <see cref="TrialComparisonOptions"/>' defaults.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentException">Fewer than two trials, names not distinct, no labels, trials over different inputs (counts, labels or classes differ), or a feature layer no trial has.</exception>
    public static TrialComparisonResult Run(IReadOnlyList<string> names, IReadOnlyList<LayerActivations> trials, TrialComparisonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(trials);
        options ??= new TrialComparisonOptions();
        options.Ssc.Validate();
        Check(names, trials);
        var first = trials[0];
        int[] labels = first.Labels!;
        int n = first.Count, classes = first.Classes, count = trials.Count;

        var cka = Cka(names, trials, options);
        var graphs = new List<LayerGraph>(count);
        for (int t = 0; t < count; t++)
        {
            using var scope = NewDisposeScope();
            var (expression, graph) = options.Ssc.BuildGraph(tensor(trials[t].Scores, [n, classes]));
            graphs.Add(new LayerGraph(names[t], classes, graph, expression));
        }
        // The layer-wise measures read only the labels and the class count, which every trial shares.
        var structure = LayerwiseAnalysis.Run(first, graphs, options.Seed);
        var ssc = graphs.Select(g => NeighbourVote.Predict(g.Graph.Weights, labels, classes)).ToArray();
        var rows = new List<TrialRow>(count);
        for (int t = 0; t < count; t++)
        {
            var agreement = PredictionAgreement.Of(labels, ssc[t], trials[t].Predictions);
            var layer = structure.Layers[t];
            rows.Add(new TrialRow(t, names[t], agreement.NetworkAccuracy, agreement.SscAccuracy, agreement.Agreement, layer.Modularity,
                layer.LouvainModularity, layer.Communities, layer.SpectralAccuracy, layer.Nmi, layer.NonZerosPerInput, layer.Converged));
        }
        var sscCka = CkaMatrix.FromGraphs(graphs.Select(g => g.Graph.Weights).ToList(), options.Debiased, names);
        return new TrialComparisonResult(names.ToArray(), rows, cka, sscCka, Overlap(trials), Disagreements(trials, labels), graphs, ssc, first.ClassNames.ToArray());
    }

    private static void Check(IReadOnlyList<string> names, IReadOnlyList<LayerActivations> trials)
    {
        if (trials.Count < 2) throw new ArgumentException($"Comparing trials needs at least two models. Got {trials.Count}.", nameof(trials));
        if (names.Count != trials.Count) throw new ArgumentException($"Expected one name per trial ({trials.Count}). Got {names.Count} instead.", nameof(names));
        var repeated = names.GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToList();
        if (repeated.Count > 0) throw new ArgumentException($"Trial names must be distinct; repeated: {string.Join(", ", repeated)}.", nameof(names));
        var first = trials[0];
        if (first.Labels is null) throw new ArgumentException($"Trial '{names[0]}' has no true labels: the comparison needs a labelled evaluation set.", nameof(trials));
        if (first.Count < 2) throw new ArgumentException($"The evaluation set has {first.Count} inputs; the comparison needs at least 2.", nameof(trials));
        for (int t = 1; t < trials.Count; t++)
        {
            var trial = trials[t];
            if (trial.Count != first.Count)
                throw new ArgumentException($"Trial '{names[t]}' scored {trial.Count} inputs but '{names[0]}' scored {first.Count}: every trial must run over the same evaluation data.", nameof(trials));
            if (trial.Classes != first.Classes)
                throw new ArgumentException($"Trial '{names[t]}' scores {trial.Classes} classes but '{names[0]}' scores {first.Classes}: the trials must solve the same task.", nameof(trials));
            if (trial.Labels is null || !trial.Labels.AsSpan().SequenceEqual(first.Labels))
            {
                int row = trial.Labels is null ? -1 : Enumerable.Range(0, first.Count).First(i => trial.Labels[i] != first.Labels[i]);
                throw new ArgumentException(trial.Labels is null
                    ? $"Trial '{names[t]}' has no true labels."
                    : $"Trials '{names[0]}' and '{names[t]}' read different labels (first at row {row + 1}: {first.Labels[row]} vs {trial.Labels[row]}): their label key mappings differ, so their class indices cannot be compared.", nameof(trials));
            }
        }
    }

    private static CkaMatrix Cka(IReadOnlyList<string> names, IReadOnlyList<LayerActivations> trials, TrialComparisonOptions options)
    {
        int n = trials[0].Count;
        using var scope = NewDisposeScope();
        var representations = new List<Tensor>();
        var labels = new List<string>();
        for (int t = 0; t < trials.Count; t++)
        {
            representations.Add(tensor(trials[t].Scores, [n, trials[t].Classes]).to(ScalarType.Float64));
            labels.Add($"{names[t]}:Score");
        }
        foreach (string feature in options.FeatureLayers)
        {
            bool found = false;
            for (int t = 0; t < trials.Count; t++)
            {
                var layers = trials[t].LayerNames;
                int l = Enumerable.Range(0, layers.Count).LastOrDefault(i => layers[i] == feature || layers[i].EndsWith($":{feature}", StringComparison.Ordinal), -1);
                if (l < 0) continue;
                found = true;
                representations.Add(tensor(trials[t].Values[l], [n, trials[t].Size(l)]).to(ScalarType.Float64));
                labels.Add($"{names[t]}:{layers[l]}");
            }
            if (!found)
                throw new ArgumentException($"No trial has a layer '{feature}'. The layers of '{names[0]}': {string.Join(", ", trials[0].LayerNames)}.", nameof(options));
        }
        return CkaMatrix.FromRepresentations(representations, CkaKernel.Linear, debiased: options.Debiased, names: labels);
    }

    private static double[,] Overlap(IReadOnlyList<LayerActivations> trials)
    {
        int count = trials.Count, n = trials[0].Count;
        var overlap = new double[count, count];
        for (int i = 0; i < count; i++)
            for (int j = i; j < count; j++)
            {
                int same = 0;
                for (int k = 0; k < n; k++) if (trials[i].Predictions[k] == trials[j].Predictions[k]) same++;
                overlap[i, j] = overlap[j, i] = same / (double)n;
            }
        return overlap;
    }

    private static List<TrialDisagreement> Disagreements(IReadOnlyList<LayerActivations> trials, int[] labels)
    {
        var result = new List<TrialDisagreement>();
        for (int k = 0; k < labels.Length; k++)
        {
            var predictions = trials.Select(t => t.Predictions[k]).ToArray();
            int distinct = predictions.Distinct().Count();
            if (distinct > 1) result.Add(new TrialDisagreement(k, labels[k], predictions, predictions.Count(p => p == labels[k]), distinct));
        }
        return result;
    }
}

using Microsoft.Data.Analysis;
using MLNet.Subspace.Numerics.Cka;

namespace MLNet.Subspace.Analysis;

/// <summary>Several trained models compared over the same labelled inputs (see <see cref="TrialComparison"/>).</summary>
/// <param name="Trials">The trials' names, in order.</param>
/// <param name="Rows">One row per trial: accuracy, SSC prediction, agreement and graph structure.</param>
/// <param name="Cka">Linear CKA between the trials' score columns (named <c>trial:Score</c>) and any chosen feature layers (<c>trial:layer</c>), in that order.</param>
/// <param name="SscCka">SSC-CKA between the trials' score-space graphs (trial order).</param>
/// <param name="PredictionOverlap">[i, j] = share of inputs trials i and j predict alike (unit diagonal).</param>
/// <param name="Disagreements">The inputs the trials do not all classify alike, in input order.</param>
/// <param name="Graphs">Each trial's SSC graph of the inputs in its score space.</param>
/// <param name="SscPredictions">Each trial's SSC prediction of every input (-1 without neighbours).</param>
/// <param name="ClassNames">The class names, indexed by class.</param>
public sealed record TrialComparisonResult(IReadOnlyList<string> Trials, IReadOnlyList<TrialRow> Rows, CkaMatrix Cka, CkaMatrix SscCka,
    double[,] PredictionOverlap, IReadOnlyList<TrialDisagreement> Disagreements, IReadOnlyList<LayerGraph> Graphs, IReadOnlyList<int[]> SscPredictions,
    IReadOnlyList<string> ClassNames)
{
    /// <summary>The column names of <see cref="Table"/> (trials.csv) and of <see cref="DisagreementTable"/> (disagreements.csv).</summary>
    public static class Columns
    {
        /// <summary>trial_index.</summary>
        public const string TrialIndex = "trial_index";
        /// <summary>trial.</summary>
        public const string Trial = "trial";
        /// <summary>accuracy.</summary>
        public const string Accuracy = "accuracy";
        /// <summary>ssc_accuracy.</summary>
        public const string SscAccuracy = "ssc_accuracy";
        /// <summary>agreement.</summary>
        public const string Agreement = "agreement";
        /// <summary>modularity.</summary>
        public const string Modularity = LayerwiseResult.Columns.Modularity;
        /// <summary>louvain_modularity.</summary>
        public const string LouvainModularity = LayerwiseResult.Columns.LouvainModularity;
        /// <summary>communities.</summary>
        public const string Communities = LayerwiseResult.Columns.Communities;
        /// <summary>spectral_accuracy.</summary>
        public const string SpectralAccuracy = LayerwiseResult.Columns.SpectralAccuracy;
        /// <summary>nmi.</summary>
        public const string Nmi = LayerwiseResult.Columns.Nmi;
        /// <summary>nnz_per_input.</summary>
        public const string NonZerosPerInput = LayerwiseResult.Columns.NonZerosPerInput;
        /// <summary>converged.</summary>
        public const string Converged = LayerwiseResult.Columns.Converged;
        /// <summary>input (disagreements: row of the input).</summary>
        public const string Input = "input";
        /// <summary>label (disagreements: the true class name).</summary>
        public const string Label = "label";
        /// <summary>correct (disagreements: trials that are right).</summary>
        public const string Correct = "correct";
        /// <summary>distinct (disagreements: different classes predicted).</summary>
        public const string Distinct = "distinct";
    }

    /// <summary>The rows as a DataFrame, one column per field (names in <see cref="Columns"/>).</summary>
    public DataFrame Table => new(
        new PrimitiveDataFrameColumn<int>(Columns.TrialIndex, Rows.Select(r => r.TrialIndex)),
        new StringDataFrameColumn(Columns.Trial, Rows.Select(r => r.Trial)),
        new DoubleDataFrameColumn(Columns.Accuracy, Rows.Select(r => r.Accuracy)),
        new DoubleDataFrameColumn(Columns.SscAccuracy, Rows.Select(r => r.SscAccuracy)),
        new DoubleDataFrameColumn(Columns.Agreement, Rows.Select(r => r.Agreement)),
        new DoubleDataFrameColumn(Columns.Modularity, Rows.Select(r => r.Modularity)),
        new DoubleDataFrameColumn(Columns.LouvainModularity, Rows.Select(r => r.LouvainModularity)),
        new PrimitiveDataFrameColumn<int>(Columns.Communities, Rows.Select(r => r.Communities)),
        new DoubleDataFrameColumn(Columns.SpectralAccuracy, Rows.Select(r => r.SpectralAccuracy)),
        new DoubleDataFrameColumn(Columns.Nmi, Rows.Select(r => r.Nmi)),
        new DoubleDataFrameColumn(Columns.NonZerosPerInput, Rows.Select(r => r.NonZerosPerInput)),
        new BooleanDataFrameColumn(Columns.Converged, Rows.Select(r => r.Converged)));

    /// <summary><see cref="Cka"/> as a DataFrame: first column <c>layer</c>, then one column per representation.</summary>
    public DataFrame CkaTable => SquareMatrixTable.Create(Cka.RowNames, Cka.Values);

    /// <summary><see cref="SscCka"/> as a DataFrame: first column <c>layer</c> (the trial), then one column per trial.</summary>
    public DataFrame SscCkaTable => SquareMatrixTable.Create(SscCka.RowNames, SscCka.Values);

    /// <summary><see cref="PredictionOverlap"/> as a DataFrame: first column <c>layer</c> (the trial), then one column per trial.</summary>
    public DataFrame OverlapTable => SquareMatrixTable.Create(Trials, PredictionOverlap);

    /// <summary>One row per disagreement: input, label (class name), one column per trial (its predicted class name), correct, distinct.</summary>
    public DataFrame DisagreementTable
    {
        get
        {
            var columns = new List<DataFrameColumn>
            {
                new PrimitiveDataFrameColumn<int>(Columns.Input, Disagreements.Select(d => d.Input)),
                new StringDataFrameColumn(Columns.Label, Disagreements.Select(d => ClassNames[d.Label])),
            };
            for (int t = 0; t < Trials.Count; t++)
                columns.Add(new StringDataFrameColumn(Trials[t], Disagreements.Select(d => ClassNames[d.Predictions[t]])));
            columns.Add(new PrimitiveDataFrameColumn<int>(Columns.Correct, Disagreements.Select(d => d.Correct)));
            columns.Add(new PrimitiveDataFrameColumn<int>(Columns.Distinct, Disagreements.Select(d => d.Distinct)));
            return new DataFrame(columns);
        }
    }
}

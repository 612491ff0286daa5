using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Torch;
using TorchSharp;

namespace MLNet.Subspace.ML;

/// <summary>
/// Sparse subspace clustering as an ML.NET estimator: <see cref="Fit"/> reads the N rows of a vector column, writes every
/// row as a sparse combination of the others (x<sub>i</sub> ≈ Σ<sub>j≠i</sub> c<sub>ij</sub> x<sub>j</sub>), builds the affinity graph
/// W = |C| + |C|<sup>T</sup> and clusters it spectrally; the fitted <see cref="SscAffinityTransformer"/> adds the cluster, a
/// per-cluster distance-like score (ML.NET's clustering convention), the per-cluster share of affinity and optionally the
/// strongest neighbours to each row.
/// </summary>
/// <remarks>
/// <para><b>Estimator characteristics.</b> Needs to look at the data: yes (all rows at once). Input: known-size vector of
/// Single. Output: <c>PredictedLabel</c> (key, 1..NumberOfClusters), <c>Score</c> (vector of k Single, distance-like as ML.NET's
/// clustering trainers write it: smaller is closer and its argmin is <c>PredictedLabel</c>, so <c>mlContext.Clustering.Evaluate</c>
/// reads the clusters right), <c>AffinityShare</c> (vector of k Single, share of the row's affinity per cluster, summing to 1),
/// optional neighbour ids (vector of Int32) and weights (vector of Single). Exportable to ONNX: no.</para>
/// <para><b>Score.</b> Score<sub>c</sub> = 1 − AffinityShare<sub>c</sub>, the share of the row's affinity that lies outside cluster c;
/// where the row's own cluster (from spectral clustering) does not hold its largest share, that one entry is lowered to just
/// below the smallest other entry, so the argmin is always the predicted cluster. ML.NET's evaluator then reports
/// <c>AverageDistance</c> = mean over rows of Score<sub>PredictedLabel</sub>, the average share of a row's affinity that leaves
/// its cluster (0 for a perfectly block-diagonal graph). A row with no cluster (an unseen all-zero row, missing key) has a NaN
/// Score, which the evaluator counts as a bad score and skips. ML.NET's NMI is I(class; cluster) / H(class):
/// <see cref="Numerics.Metrics.NmiNormalization.TruthEntropy"/> in the library's metrics, whose default is the arithmetic mean.</para>
/// <para><b>Objective.</b> min ||c<sub>i</sub>||<sub>1</sub> + (λ/2)||x<sub>i</sub> − Xc<sub>i</sub>||² with c<sub>ii</sub> = 0 (ADMM, Elhamifar–Vidal),
/// its elastic-net form (EnSC, You et al. 2016; τ = 1 is the Lasso), or the greedy l0 form (SSC-OMP). See docs/ssc.md.</para>
/// <para><b>Limits.</b> The transformer maps the rows it was fitted on (matched by their feature vector, exactly or within
/// <see cref="Options.FittedRowTolerance"/> of the nearest fitted row). Other rows get
/// an out-of-sample code by OMP over the training rows and are scored by the clusters of the rows they use. ADMM and the
/// faithful solver hold N x N matrices and refuse N beyond memory (use OMP or EnSC).</para>
/// <para><b>References.</b> [1] Elhamifar &amp; Vidal, TPAMI 2013. [2] You, Robinson &amp; Vidal, CVPR 2016 (SSC-OMP).
/// [3] You, Li, Robinson &amp; Vidal, CVPR 2016 (EnSC). [4] Saini et al., arXiv 2107.01296.</para>
/// </remarks>
public sealed class SscAffinityEstimator : IEstimator<SscAffinityTransformer>
{
    /// <summary>Defaults, defined once and used by <see cref="Options"/>, the catalog and the docs.</summary>
    public static class Defaults
    {
        /// <summary>Default predicted label column name: ColumnNames.PredictedLabel.</summary>
        public const string PredictedLabelColumnName = ColumnNames.PredictedLabel;
        /// <summary>Default score column name: ColumnNames.Score.</summary>
        public const string ScoreColumnName = ColumnNames.Score;
        /// <summary>Default feature column name: ColumnNames.Features.</summary>
        public const string FeatureColumnName = ColumnNames.Features;
        /// <summary>Default affinity-share column name: "AffinityShare".</summary>
        public const string AffinityShareColumnName = "AffinityShare";
        /// <summary>Default relative tolerance within which a row is recognised as a fitted one: 1e-5 of the fitted row's norm
        /// (about 84 float32 ulps, ε = 2<sup>−23</sup>).</summary>
        public const double FittedRowTolerance = 1e-5;
        /// <summary>Default number of neighbours: 0.</summary>
        public const int NumberOfNeighbours = 0;
    }

    /// <summary>Every knob of the estimator.</summary>
    public sealed class Options
    {
        /// <summary>Input vector column (known-size vector of Single). Default <see cref="ColumnNames.Features"/>.</summary>
        public string FeatureColumnName { get; set; } = Defaults.FeatureColumnName;

        /// <summary>Output cluster column (key 1..k). Default <see cref="ColumnNames.PredictedLabel"/>.</summary>
        public string PredictedLabelColumnName { get; set; } = Defaults.PredictedLabelColumnName;

        /// <summary>Output score column (vector of k Single, distance-like: 1 − the row's affinity share per cluster, argmin = the
        /// predicted cluster; ML.NET's clustering convention, see the class remarks). Default <see cref="ColumnNames.Score"/>.</summary>
        public string ScoreColumnName { get; set; } = Defaults.ScoreColumnName;

        /// <summary>Output affinity-share column (vector of k Single: the share of the row's affinity per cluster, summing to 1;
        /// larger is closer). Default "AffinityShare".</summary>
        public string AffinityShareColumnName { get; set; } = Defaults.AffinityShareColumnName;

        /// <summary>Number of clusters k, in [2, rows]. Required.</summary>
        public int NumberOfClusters { get; set; }

        /// <summary>How to solve, build the graph and code rows not seen in training (solver, α, non-zeros, normalisation,
        /// graph post-processing, dtype, device, seed); see <see cref="SscOptions.Defaults"/>. A null <see cref="SscOptions.Device"/>
        /// follows the MLContext's GPU settings; a null <see cref="SscOptions.Seed"/> takes the MLContext's seed.</summary>
        public SscOptions Ssc { get; set; } = new();

        /// <summary>How close a row must be to a fitted row to be recognised as that row and given its fitted outputs: the
        /// Euclidean distance to the nearest fitted row x<sub>i</sub>, relative to ||x<sub>i</sub>||, at most this (an exact copy
        /// always matches; 0 = exact copies only). Rows farther from every fitted row are coded out of sample. It exists because one
        /// row through a network differs from the same row inside a batch at float32 rounding (measured up to 9.5e-7 per value),
        /// so a <c>PredictionEngine</c> would otherwise never see a fitted row. In [0, 1). Default 1e-5.</summary>
        public double FittedRowTolerance { get; set; } = Defaults.FittedRowTolerance;

        /// <summary>How many strongest neighbours to output per row (0 = no neighbour columns), in [0, rows − 1].</summary>
        public int NumberOfNeighbours { get; set; } = Defaults.NumberOfNeighbours;

        /// <summary>Name of the neighbour-id column (vector of Int32, row indices of the training data, −1 where fewer exist). Default "Neighbours".</summary>
        public string NeighboursColumnName { get; set; } = "Neighbours";

        /// <summary>Name of the neighbour-weight column (vector of Single). Default "NeighbourWeights".</summary>
        public string NeighbourWeightsColumnName { get; set; } = "NeighbourWeights";
    }

    private readonly IHostEnvironment _env;
    private readonly Options _options;

    internal SscAffinityEstimator(IHostEnvironment env, Options options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        _env = env;
        _options = options;
        Check(options.NumberOfClusters >= 2, nameof(Options.NumberOfClusters), "an integer in [2, rows]", options.NumberOfClusters);
        Check(options.NumberOfNeighbours >= 0, nameof(Options.NumberOfNeighbours), "an integer in [0, rows - 1]", options.NumberOfNeighbours);
        Check(options.FittedRowTolerance is >= 0 and < 1, nameof(Options.FittedRowTolerance), "a number in [0, 1)", options.FittedRowTolerance);
        Check(options.Ssc is not null, nameof(Options.Ssc), "an SscOptions", "null");
        options.Ssc!.Validate();
        foreach (var (name, value) in new[] { (nameof(Options.FeatureColumnName), options.FeatureColumnName), (nameof(Options.PredictedLabelColumnName), options.PredictedLabelColumnName), (nameof(Options.ScoreColumnName), options.ScoreColumnName), (nameof(Options.AffinityShareColumnName), options.AffinityShareColumnName) })
            Check(!string.IsNullOrWhiteSpace(value), name, "a column name", value ?? "null");
    }

    /// <summary>Degenerate input gets a warning on the ML.NET channel, not a silent result: all-zero rows, and rows (or a whole
    /// graph) with no affinity, whose clusters spectral clustering assigns arbitrarily.</summary>
    private void WarnIfDegenerate(IChannel channel, float[] values, int rows, int size, SscResult result)
    {
        int zeroRows = 0;
        for (int i = 0; i < rows; i++)
            if (!values.AsSpan(i * size, size).ContainsAnyExcept(0f)) zeroRows++;
        var weights = result.Graph.Weights;
        int isolated = 0;
        for (int i = 0; i < rows; i++)
        {
            var val = weights.RowValues(i);
            bool any = false;
            foreach (double v in val) if (v != 0) { any = true; break; }
            if (!any) isolated++;
        }
        string column = _options.FeatureColumnName;
        if (zeroRows == rows)
            channel.Warning(MessageSensitivity.None, $"Every row of column '{column}' is zero ({rows} rows): no row can be written as a combination of the others, the affinity graph has no edges and the {_options.NumberOfClusters} clusters are arbitrary.");
        else if (isolated == rows)
            channel.Warning(MessageSensitivity.None, $"The affinity graph of column '{column}' has no edges (0 non-zero codes over {rows} rows): the {_options.NumberOfClusters} clusters are arbitrary.");
        else
        {
            if (zeroRows > 0)
                channel.Warning(MessageSensitivity.None, $"{zeroRows} of {rows} rows of column '{column}' are zero: they have no affinity to any row and their clusters are arbitrary.");
            if (isolated > zeroRows)
                channel.Warning(MessageSensitivity.None, $"{isolated - zeroRows} non-zero row(s) of column '{column}' have no affinity to any other row (an empty code, used by no other code): their clusters are arbitrary.");
        }
    }

    private static void Check(bool ok, string option, string expected, object value)
    {
        if (!ok) throw new ArgumentOutOfRangeException(option, $"The '{option}' option of SscAffinityEstimator must be {expected}. Got {value} instead.");
    }

    /// <summary>The output schema: the input columns plus the cluster, score, affinity-share and optional neighbour columns.</summary>
    /// <param name="inputSchema">Input schema shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        VectorColumn.CheckShape(inputSchema, _options.FeatureColumnName);
        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[_options.PredictedLabelColumnName] = MLNetInterop.Column(_options.PredictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, isKey: true);
        columns[_options.ScoreColumnName] = MLNetInterop.Column(_options.ScoreColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, isKey: false);
        columns[_options.AffinityShareColumnName] = MLNetInterop.Column(_options.AffinityShareColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, isKey: false);
        if (_options.NumberOfNeighbours > 0)
        {
            columns[_options.NeighboursColumnName] = MLNetInterop.Column(_options.NeighboursColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Int32, isKey: false);
            columns[_options.NeighbourWeightsColumnName] = MLNetInterop.Column(_options.NeighbourWeightsColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, isKey: false);
        }
        return new SchemaShape(columns.Values);
    }

    /// <summary>Reads every row, solves, builds the graph and clusters it.</summary>
    /// <param name="input">The data.</param>
    /// <returns>The fitted transformer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or not a known-size vector of Single, or an option does not fit the row count.</exception>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite (row and slot named).</exception>
    /// <exception cref="InsufficientMemoryException">A dense solver would not fit in memory (estimate and suggestion given).</exception>
    public SscAffinityTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var host = _env.Register(nameof(SscAffinityEstimator));
        var (values, rows, size) = VectorColumn.Read(input, _options.FeatureColumnName);
        if (rows < 2)
            throw new ArgumentOutOfRangeException(nameof(input), $"Found {rows} row(s) in column '{_options.FeatureColumnName}' while a minimum of 2 is required by SscAffinityEstimator.");
        Check(_options.NumberOfClusters <= rows, nameof(Options.NumberOfClusters), $"an integer in [2, rows] = [2, {rows}]", _options.NumberOfClusters);
        Check(_options.NumberOfNeighbours <= rows - 1, nameof(Options.NumberOfNeighbours), $"an integer in [0, rows - 1] = [0, {rows - 1}]", _options.NumberOfNeighbours);
        var ssc = _options.Ssc with
        {
            Device = _options.Ssc.Device ?? TorchDevice.Resolve(MLNetInterop.Device(_env)),
            Seed = _options.Ssc.Seed ?? MLNetInterop.Settings(_env).Seed ?? SscOptions.Defaults.Seed,
        };
        ssc.Validate(rows);
        using var channel = host.Start("Fit");
        SscResult result;
        using (var scope = torch.NewDisposeScope())
            result = ssc.Cluster(torch.tensor(values, [rows, size], torch.float32), _options.NumberOfClusters);
        channel.Info(MessageSensitivity.None, $"{ssc.Describe()}: N = {rows}, D = {size}, {result.Expression.Iterations} iterations, {result.Expression.NonZerosPerSample:F2} non-zeros per code, solve {result.Expression.Seconds:F2} s, spectral {result.SpectralSeconds:F2} s, seed {ssc.Seed} ({(_options.Ssc.Seed is null ? "the MLContext's" : "the options'")})");
        WarnIfDegenerate(channel, values, rows, size, result);
        var settings = new SscAffinityTransformer.Settings(_options.FeatureColumnName, _options.PredictedLabelColumnName, _options.ScoreColumnName,
            _options.AffinityShareColumnName, _options.NumberOfNeighbours, _options.NeighboursColumnName, _options.NeighbourWeightsColumnName, ssc.NonZerosFor(rows), _options.NumberOfClusters, _options.FittedRowTolerance);
        return new SscAffinityTransformer(_env, settings, values, size, result.Graph, result.Labels, result.Expression);
    }
}

using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.Models.Activations;

namespace MLNet.Subspace.ML;

/// <summary>
/// A fitted ML.NET pipeline (a <c>TransformerChain</c>, or a model .zip loaded with <see cref="Load"/>) read as a stack of
/// layers: every vector column of Single or Double (known or variable size) a stage adds is a layer named
/// <c>stage-index:column</c>, so the final trainer's <c>Score</c> is one too; the input data's own vector columns are
/// <c>input:column</c>. The result is the <see cref="LayerActivations"/> every analysis takes (LayerGraphs,
/// LayerwiseAnalysis, ArchitectureAnalysis, LayerSimilarity), with the model's <c>Score</c> as its scores.
/// </summary>
/// <remarks>
/// Stages are the transformers of the chain, nested chains flattened in order. A column is a stage's own when the stage's
/// output schema adds it (ML.NET appends new columns after its input's, hiding any of the same name), so a normaliser that
/// replaces <c>Features</c> gives a layer <c>s:Features</c> beside <c>input:Features</c>. Variable-size vectors are padded
/// with zeros to their longest row (a missing trailing slot reads as 0, as in a sparse vector of that length).
/// Cost: one pass over the data per stage that has layers (ML.NET computes a stage's columns and what they depend on),
/// plus 4 N (sum_l d_l + classes) bytes held, checked before reading (<see cref="LayerActivations.EstimateBytes"/>).
/// </remarks>
public static class PipelineActivations
{
    /// <summary>The stage name of the input data's own columns: <c>input</c>.</summary>
    public const string InputStage = "input";

    /// <summary>Loads a model saved with <c>mlContext.Model.Save</c>, with errors that name the file.</summary>
    /// <param name="mlContext">The context (its component catalog must know the model's trainers: reference their packages, e.g. Microsoft.ML.LightGbm).</param>
    /// <param name="path">The model .zip.</param>
    /// <param name="inputSchema">The schema of the data the model was trained on.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an ML.NET model, or it needs a component this application does not have.</exception>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        try
        {
            return mlContext.Model.Load(path, out inputSchema);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException or ArgumentException or IOException or EndOfStreamException)
        {
            throw new InvalidDataException(LoadFailure(path, e), e);
        }
        catch (System.Reflection.TargetInvocationException e) when (Innermost(e) is FileNotFoundException { FileName: { } assembly })
        {
            // ML.NET creates a stage's loader by reflection from the assembly named in the file; without it the innermost error names it.
            string name = assembly.Split(',')[0];
            throw new InvalidDataException($"'{path}' needs the assembly '{name}' to load, which this application does not have: reference the {name} package (its trainer made a stage of this model).", e);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    /// <summary>The stages of <paramref name="model"/> with the columns each adds to <paramref name="inputSchema"/>, read from schemas only (no data).</summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="inputSchema">The schema of the data it will read.</param>
    /// <returns>One entry per stage, in order.</returns>
    /// <exception cref="ArgumentException">A stage cannot read its input (the message names the stage and gives ML.NET's reason).</exception>
    public static IReadOnlyList<PipelineStage> Describe(ITransformer model, DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        var stages = Flatten(model);
        var result = new List<PipelineStage>(stages.Count);
        var schema = inputSchema;
        for (int s = 0; s < stages.Count; s++)
        {
            var next = StageSchema(stages[s], s, schema);
            result.Add(Stage(s, stages[s], Added(schema, next)));
            schema = next;
        }
        return result;
    }

    /// <summary>
    /// Checks that <paramref name="model"/> can read <paramref name="data"/> before any work: ML.NET's own reason, with the
    /// schema the model was trained on and the data's, so the user sees what is expected.
    /// </summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="trainedOn">The schema the model was trained on (from <see cref="Load"/>), or null when unknown.</param>
    /// <param name="data">The schema of the data to run.</param>
    /// <param name="modelName">The model's name in messages (a file name).</param>
    /// <exception cref="ArgumentException">The model cannot read the data.</exception>
    public static void CheckInput(ITransformer model, DataViewSchema? trainedOn, DataViewSchema data, string modelName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        string expected = trainedOn is null ? "" : $" It was trained on data with {Columns(trainedOn)};";
        // ML.NET's stages check names and kinds when the schema is built, but some check vector sizes only when rows are read.
        var differing = trainedOn?.Where(c => !c.IsHidden && data.GetColumnOrNull(c.Name) is { IsHidden: false } d && !SameType(c.Type, d.Type))
            .Select(c => $"column '{c.Name}' is {data[c.Name].Type} where the model was trained on {c.Type}").ToList() ?? [];
        if (differing.Count > 0)
            throw new ArgumentException($"Model {modelName} cannot read the data: {string.Join("; ", differing)}.{expected} the data has {Columns(data)}.", nameof(data));
        try
        {
            Describe(model, data);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Model {modelName} cannot read the data: {e.Message}{expected} the data has {Columns(data)}.", e);
        }
    }

    /// <summary>The same item type and vector size (the dimensions may differ: 1 x 28 x 28 and 784 read alike).</summary>
    private static bool SameType(DataViewType trained, DataViewType data)
        => (trained, data) switch
        {
            (VectorDataViewType a, VectorDataViewType b) => a.ItemType.Equals(b.ItemType) && a.Size == b.Size,
            (KeyDataViewType a, KeyDataViewType b) => a.Count == b.Count,
            _ => trained.Equals(data),
        };

    /// <summary>Runs <paramref name="model"/> over <paramref name="data"/> once per stage and keeps every layer (see the class remarks).</summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="data">The data, of the schema the model was trained on.</param>
    /// <param name="options">Which layers, and the label and score columns; null means <see cref="PipelineActivationsOptions"/>' defaults.</param>
    /// <returns>The activations: one layer per kept vector column, the model's score column as the scores (one slot for a scalar score), labels from the output's label column when it has one.</returns>
    /// <exception cref="ArgumentException">No stage adds a vector column (the message lists each stage's columns and types), a requested layer does not exist (the message lists those that do), the score column is missing or not numeric, or a stage cannot read the data.</exception>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite (named by layer, row and slot), or a stage changes the number of rows.</exception>
    /// <exception cref="InsufficientMemoryException">The activations would not fit; the message gives the estimate.</exception>
    public static LayerActivations Extract(ITransformer model, IDataView data, PipelineActivationsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new PipelineActivationsOptions();
        var stages = Flatten(model);
        var views = new List<IDataView>(stages.Count + 1) { data };
        var described = new List<PipelineStage>(stages.Count);
        var layers = new List<Layer>();
        layers.AddRange(data.Schema.Where(c => !c.IsHidden && IsLayerType(c.Type)).Select(c => new Layer($"{InputStage}:{c.Name}", 0, c)));
        int inputs = layers.Count;
        for (int s = 0; s < stages.Count; s++)
        {
            StageSchema(stages[s], s, views[s].Schema); // ML.NET's schema check, named by stage, before Transform
            views.Add(stages[s].Transform(views[s]));
            var added = Added(views[s].Schema, views[s + 1].Schema);
            described.Add(Stage(s, stages[s], added));
            layers.AddRange(added.Where(c => IsLayerType(c.Type)).Select(c => new Layer($"{s.ToString(CultureInfo.InvariantCulture)}:{c.Name}", s + 1, c)));
        }
        if (layers.Count == inputs)
            throw new ArgumentException($"No stage of the model adds a vector column of Single or Double, so it has no layers to compare: {Listing(described)}.", nameof(model));
        if (!options.IncludeInputs) layers.RemoveRange(0, inputs);
        layers = Select(layers, options.Columns);

        var output = views[^1];
        var score = ScoreColumn(output.Schema, options.ScoreColumnName);
        int classes = score.Type is VectorDataViewType vector ? vector.Size : 1;
        long rows = output.GetRowCount() ?? data.GetRowCount() ?? Count(output);
        var names = layers.Select(l => l.Name).ToArray();
        LayerActivations.CheckFits(rows, names, layers.Select(l => l.KnownSize).ToArray(), classes, options.MaximumBytes);
        int n = (int)rows;

        var values = new float[layers.Count][];
        var shapes = new int[layers.Count][];
        float[] scores = [];
        foreach (var group in layers.Select((l, i) => (Layer: l, Index: i)).GroupBy(x => x.Layer.View))
        {
            var view = views[group.Key];
            var wanted = group.ToList();
            bool last = group.Key == views.Count - 1;
            var columns = wanted.Select(w => (w.Layer.Column, w.Layer.Name)).ToList();
            if (last) columns.Add((score, score.Name));
            var read = ReadColumns(view, [.. columns], n, group.Key == 0 ? "the data" : $"stage {group.Key - 1}");
            for (int k = 0; k < wanted.Count; k++)
                (values[wanted[k].Index], shapes[wanted[k].Index]) = read[k];
            if (last) scores = read[^1].Values;
        }
        if (scores.Length == 0) scores = ReadColumns(output, [(score, score.Name)], n, "the model's output")[0].Values;
        if (scores.Length != (long)n * classes)
            throw new InvalidOperationException($"The score column '{score.Name}' has {scores.Length} values for {n} rows; expected {classes} per row.");

        int[]? labels = output.Schema.GetColumnOrNull(options.LabelColumnName) is { IsHidden: false } ? VectorColumn.ReadLabels(output, options.LabelColumnName) : null;
        if (labels is not null && labels.Length != n)
            throw new InvalidOperationException($"The label column '{options.LabelColumnName}' has {labels.Length} rows but the model's output has {n}: a stage filters rows.");
        return new LayerActivations(names, shapes, values, scores, classes, labels, ClassNames(output.Schema, score, options.LabelColumnName, classes));
    }

    private sealed record Layer(string Name, int View, DataViewSchema.Column Column)
    {
        public int KnownSize => Column.Type is VectorDataViewType { IsKnownSize: true } v ? v.Size : 0;
    }

    private static List<ITransformer> Flatten(ITransformer model)
        => model is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten).ToList() : [model];

    private static DataViewSchema StageSchema(ITransformer stage, int index, DataViewSchema input)
    {
        try
        {
            return stage.GetOutputSchema(input);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Stage {index} ({TypeName(stage)}) cannot read its input: {e.Message}", e);
        }
    }

    /// <summary>
    /// The visible columns <paramref name="after"/> adds to <paramref name="before"/>. ML.NET keeps a replaced input column,
    /// hidden, beside the new one of the same name, so a name that occurs more often after the stage is a column it made.
    /// </summary>
    private static List<DataViewSchema.Column> Added(DataViewSchema before, DataViewSchema after)
    {
        var counts = before.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return after.Where(c => !c.IsHidden && after.Count(o => o.Name == c.Name) > counts.GetValueOrDefault(c.Name)).ToList();
    }

    private static PipelineStage Stage(int index, ITransformer stage, List<DataViewSchema.Column> added)
        => new(index, TypeName(stage), added.Select(c => (c.Name, c.Type.ToString() ?? "")).ToArray(),
            added.Where(c => IsLayerType(c.Type)).Select(c => $"{index.ToString(CultureInfo.InvariantCulture)}:{c.Name}").ToArray());

    private static bool IsLayerType(DataViewType type)
        => type is VectorDataViewType v && (v.ItemType == NumberDataViewType.Single || v.ItemType == NumberDataViewType.Double);

    private static string TypeName(ITransformer stage)
    {
        string name = stage.GetType().Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    private static string Listing(IReadOnlyList<PipelineStage> stages)
        => stages.Count == 0 ? "the model has no stages"
            : string.Join("; ", stages.Select(s => $"stage {s.Index} ({s.Transformer}) adds "
                + (s.Columns.Count == 0 ? "no columns" : string.Join(", ", s.Columns.Select(c => $"{c.Name}: {c.Type}")))));

    private static string Columns(DataViewSchema schema)
        => string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}: {c.Type}"));

    private static List<Layer> Select(List<Layer> layers, IReadOnlyList<string>? wanted)
    {
        if (wanted is null) return layers;
        var chosen = new List<Layer>();
        foreach (string name in wanted)
        {
            var match = layers.Where(l => l.Name == name || l.Column.Name == name).ToList();
            if (match.Count == 0)
                throw new ArgumentException($"The model has no layer '{name}'. Its layers: {string.Join(", ", layers.Select(l => l.Name))}.", nameof(wanted));
            chosen.AddRange(match.Where(m => !chosen.Contains(m)));
        }
        return chosen.OrderBy(layers.IndexOf).ToList();
    }

    private static DataViewSchema.Column ScoreColumn(DataViewSchema output, string name)
    {
        var score = output.GetColumnOrNull(name);
        if (score is not { IsHidden: false } column)
            throw new ArgumentException($"The model's output has no '{name}' column to score with. Its columns: {Columns(output)}.", nameof(output));
        var item = column.Type is VectorDataViewType v ? (v.IsKnownSize ? v.ItemType : null) : column.Type;
        if (item != NumberDataViewType.Single && item != NumberDataViewType.Double)
            throw new ArgumentException($"The model's score column '{name}' is {column.Type}; expected Single or Double, or a known-size vector of them.", nameof(output));
        return column;
    }

    private static long Count(IDataView view)
    {
        long n = 0;
        using var cursor = view.GetRowCursor([]);
        while (cursor.MoveNext()) n++;
        return n;
    }

    /// <summary>Reads whole columns of one view in one pass, each as rows x d floats (variable-size vectors padded with zeros to the longest row).</summary>
    private static (float[] Values, int[] Shape)[] ReadColumns(IDataView view, (DataViewSchema.Column Column, string Name)[] columns, int rows, string where)
    {
        var collected = columns.Select(_ => new List<float[]>(rows)).ToArray();
        using (var cursor = view.GetRowCursor(columns.Select(c => c.Column)))
        {
            var readers = columns.Select(c => RowReader(cursor, c.Column)).ToArray();
            while (cursor.MoveNext())
            {
                for (int k = 0; k < columns.Length; k++)
                {
                    var row = readers[k]();
                    for (int j = 0; j < row.Length; j++)
                        if (!float.IsFinite(row[j]))
                            throw new InvalidOperationException($"Layer '{columns[k].Name}', row {collected[k].Count + 1}, slot {j + 1} (counted from 1): expected a finite number, found {row[j].ToString(CultureInfo.InvariantCulture)}.");
                    collected[k].Add(row);
                }
            }
        }
        var result = new (float[], int[])[columns.Length];
        for (int k = 0; k < columns.Length; k++)
        {
            if (collected[k].Count != rows)
                throw new InvalidOperationException($"{char.ToUpperInvariant(where[0])}{where[1..]} has {collected[k].Count} rows where the data has {rows}: a stage that filters rows cannot be compared row by row.");
            var type = columns[k].Column.Type;
            int size = type is VectorDataViewType { IsKnownSize: true } known ? known.Size : collected[k].Count == 0 ? 0 : collected[k].Max(r => r.Length);
            var values = new float[(long)rows * size];
            for (int r = 0; r < rows; r++) collected[k][r].CopyTo(values, (long)r * size);
            int[] shape = type is VectorDataViewType { IsKnownSize: true, Dimensions.Length: > 1 } v ? [.. v.Dimensions] : [size];
            result[k] = (values, shape);
        }
        return result;
    }

    private static Func<float[]> RowReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var item = column.Type is VectorDataViewType v ? v.ItemType : column.Type;
        bool isVector = column.Type is VectorDataViewType;
        if (item == NumberDataViewType.Single && isVector)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> buffer = default;
            return () =>
            {
                getter(ref buffer);
                var row = new float[buffer.Length];
                buffer.CopyTo(row);
                return row;
            };
        }
        if (item == NumberDataViewType.Double && isVector)
        {
            var getter = cursor.GetGetter<VBuffer<double>>(column);
            VBuffer<double> buffer = default;
            return () =>
            {
                getter(ref buffer);
                var wide = new double[buffer.Length];
                buffer.CopyTo(wide);
                return Array.ConvertAll(wide, x => (float)x);
            };
        }
        if (item == NumberDataViewType.Single)
        {
            var getter = cursor.GetGetter<float>(column);
            float value = 0;
            return () => { getter(ref value); return [value]; };
        }
        var wideGetter = cursor.GetGetter<double>(column);
        double wideValue = 0;
        return () => { wideGetter(ref wideValue); return [(float)wideValue]; };
    }

    /// <summary>The score's slot names (ML.NET names multiclass score slots by the label's key values), else the label key's values, else "0", "1", ...</summary>
    private static string[] ClassNames(DataViewSchema output, DataViewSchema.Column score, string labelColumn, int classes)
    {
        var slots = Names(score.Annotations, "SlotNames");
        if (slots?.Length == classes) return slots;
        var label = output.GetColumnOrNull(labelColumn);
        var keys = label is { Type: KeyDataViewType } ? Names(label.Value.Annotations, "KeyValues") : null;
        if (keys?.Length == classes) return keys;
        return Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    private static string[]? Names(DataViewSchema.Annotations annotations, string kind)
    {
        var column = annotations.Schema.GetColumnOrNull(kind);
        if (column is null || column.Value.Type is not VectorDataViewType { ItemType: TextDataViewType }) return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        annotations.GetValue(kind, ref names);
        return names.DenseValues().Select(m => m.ToString()).ToArray();
    }

    private static string LoadFailure(string path, Exception e)
    {
        string reason = e.Message.Split('\n')[0].Trim();
        var head = new byte[4];
        using (var file = File.OpenRead(path)) file.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        return head is [(byte)'P', (byte)'K', 3, 4]
            ? $"'{path}' is not an ML.NET model this application can load: {reason} A .zip from mlContext.Model.Save loads only where the packages of its "
                + "trainers are referenced (Microsoft.ML.LightGbm, Microsoft.ML.FastTree, ...)."
            : $"'{path}' is not an ML.NET model: it is not a .zip file. Save models with mlContext.Model.Save.";
    }
}

using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Analysis;

/// <summary>
/// The paper's neighbourhood reading of an affinity graph: an input's neighbours are the inputs it
/// is tied to, and their classes, weighted by affinity, vote for its class ("SSC prediction").
/// </summary>
/// <remarks>Cost: O(nnz of the row + classes) per input; O(nnz + N classes) for all inputs.</remarks>
public static class NeighbourVote
{
    /// <summary>The neighbourhood of one input.</summary>
    /// <param name="graph">The affinity graph (N nodes).</param>
    /// <param name="labels">The class of each input (true labels, or any labelling to vote with).</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="input">The input.</param>
    public static Neighbourhood Of(AffinityGraph graph, IReadOnlyList<int> labels, int classCount, int input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Check(graph.Weights, labels, classCount);
        if ((uint)input >= (uint)graph.Count) throw new ArgumentOutOfRangeException(nameof(input), input, $"Input must be in [0, {graph.Count}).");
        var neighbours = graph.Neighbours(input).Where(n => n.Node != input).ToArray();
        var scores = new double[classCount];
        foreach (var (node, weight) in neighbours) scores[labels[node]] += weight;
        double total = scores.Sum();
        int predicted = -1;
        if (total > 0)
        {
            predicted = 0;
            for (int c = 0; c < classCount; c++)
            {
                scores[c] /= total;
                if (scores[c] > scores[predicted]) predicted = c;
            }
        }
        return new Neighbourhood(input, neighbours.Select(n => n.Node).ToArray(), neighbours.Select(n => n.Weight).ToArray(), scores, predicted);
    }

    /// <summary>The SSC prediction of every input (-1 for an input with no neighbours).</summary>
    /// <param name="graph">A symmetric non-negative affinity graph (N x N).</param>
    /// <param name="labels">The class of each input.</param>
    /// <param name="classCount">Number of classes.</param>
    public static int[] Predict(SparseMatrix graph, IReadOnlyList<int> labels, int classCount)
    {
        Check(graph, labels, classCount);
        var predictions = new int[graph.Rows];
        var scores = new double[classCount];
        for (int i = 0; i < graph.Rows; i++)
        {
            Array.Clear(scores);
            var cols = graph.RowIndices(i);
            var vals = graph.RowValues(i);
            for (int k = 0; k < cols.Length; k++)
                if (vals[k] > 0 && cols[k] != i) scores[labels[cols[k]]] += vals[k];
            int best = -1;
            for (int c = 0; c < classCount; c++)
                if (scores[c] > 0 && (best < 0 || scores[c] > scores[best])) best = c;
            predictions[i] = best;
        }
        return predictions;
    }

    private static void Check(SparseMatrix graph, IReadOnlyList<int> labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(labels);
        if (graph.Rows != graph.Columns) throw new ArgumentException($"An affinity graph must be square. Got {graph.Rows}x{graph.Columns} instead.", nameof(graph));
        if (labels.Count != graph.Rows) throw new ArgumentException($"Expected one label per graph node ({graph.Rows}). Got {labels.Count} instead.", nameof(labels));
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "Must be positive.");
        for (int i = 0; i < labels.Count; i++)
            if ((uint)labels[i] >= (uint)classCount) throw new ArgumentException($"Label {labels[i]} of node {i} is outside [0, {classCount}).", nameof(labels));
    }
}

using System.Text;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Numerics.Ssc;

namespace MLNet.Subspace.Pipeline;

/// <summary>Saves and loads a layer's graph with its codes and solver diagnostics, so an interrupted run need not solve it again.</summary>
internal static class LayerGraphStore
{
    private const string Magic = "MLNSLG01";

    public static void Save(string path, LayerGraph graph) => IO.AtomicFile.Write(path, stream =>
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Encoding.ASCII.GetBytes(Magic));
        w.Write(graph.Layer);
        w.Write(graph.Features);
        w.Write(graph.Expression.Solver);
        w.Write(graph.Expression.Iterations);
        w.Write(graph.Expression.Converged);
        w.Write(graph.Expression.Seconds);
        graph.Expression.Coefficients.Write(w);
        graph.Graph.Weights.Write(w);
    });

    public static LayerGraph Load(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        try
        {
            string magic = Encoding.ASCII.GetString(r.ReadBytes(Magic.Length));
            if (magic != Magic) throw new InvalidDataException($"{path}: not a saved layer graph (header '{magic}', expected '{Magic}').");
            string layer = r.ReadString();
            int features = r.ReadInt32();
            string solver = r.ReadString();
            int iterations = r.ReadInt32();
            bool converged = r.ReadBoolean();
            double seconds = r.ReadDouble();
            var codes = SparseMatrix.Read(r, path);
            var weights = SparseMatrix.Read(r, path);
            return new LayerGraph(layer, features, AffinityGraph.FromWeights(weights), new SelfExpression(codes, iterations, converged, seconds, solver));
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: the saved layer graph is truncated.", e);
        }
    }
}

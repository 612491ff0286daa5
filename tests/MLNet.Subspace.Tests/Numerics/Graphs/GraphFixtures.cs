using System.Globalization;
using MLNet.Subspace.Data;
using MLNet.Subspace.Numerics;

namespace MLNet.Subspace.Tests.Numerics.Graphs;

/// <summary>The networkx fixtures in Fixtures/graphs (see its README for the generating command).</summary>
internal static class GraphFixtures
{
    public sealed record Case(string Name, SparseMatrix Graph, int[] Labels, double Modularity, double LouvainModularity, int LouvainCommunities)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Case> All()
    {
        foreach (string line in File.ReadLines(TestPaths.Fixture("graphs", "expected.csv")).Skip(1))
        {
            if (line.Length == 0) continue;
            var f = line.Split(',');
            Matrix w = CsvMatrix.Read(TestPaths.Fixture("graphs", f[0] + "_W.csv"));
            yield return new Case(f[0], SparseMatrix.FromDense(w.Values, w.Rows, w.Columns),
                CsvMatrix.ReadLabels(TestPaths.Fixture("graphs", f[0] + "_y.csv"), w.Rows),
                double.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture));
        }
    }

    public static TheoryData<string> Names() => new(All().Select(c => c.Name));

    public static Case Get(string name) => All().Single(c => c.Name == name);
}

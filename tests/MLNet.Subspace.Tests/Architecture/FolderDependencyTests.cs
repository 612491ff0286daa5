using System.Text.RegularExpressions;

namespace MLNet.Subspace.Tests.Architecture;

/// <summary>Data flows one way through the library's folders (docs/design.md): no folder uses one downstream of it.</summary>
public class FolderDependencyTests
{
    /// <summary>Upstream first. ML (the ML.NET face) may use every room before it; Pipeline sequences whole runs over all of them.</summary>
    private static readonly string[] Order = ["IO", "Torch", "Data", "Models", "Numerics", "Analysis", "Reporting", "ML", "Pipeline"];

    private static string Library => Path.Combine(TestPaths.RepoRoot, "src", "MLNet.Subspace");

    [Fact]
    public void Every_Folder_Of_The_Library_Has_A_Place_In_The_Order()
    {
        var folders = Directory.GetDirectories(Library).Select(Path.GetFileName)
            .Where(f => f is not ("bin" or "obj" or "build" or "Properties") && Directory.EnumerateFiles(Path.Combine(Library, f!), "*.cs", SearchOption.AllDirectories).Any());

        Assert.Empty(folders.Except(Order));
    }

    [Fact]
    public void No_Folder_Uses_A_Folder_Downstream_Of_It()
    {
        var backward = new List<string>();
        foreach (string folder in Order)
        {
            string path = Path.Combine(Library, folder);
            if (!Directory.Exists(path)) continue;
            int rank = Array.IndexOf(Order, folder);
            foreach (string file in Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories))
                foreach (Match m in Regex.Matches(File.ReadAllText(file), @"MLNet\.Subspace\.([A-Za-z]+)"))
                {
                    int used = Array.IndexOf(Order, m.Groups[1].Value);
                    if (used > rank) backward.Add($"{Path.GetRelativePath(Library, file)} uses {m.Groups[1].Value}");
                }
        }

        Assert.True(backward.Count == 0, "Backward edges (a folder using one downstream of it):\n" + string.Join("\n", backward.Distinct()));
    }

    [Fact]
    public void Every_File_Holds_At_Most_One_Public_Top_Level_Type_Named_Like_It()
    {
        var declaration = new Regex(@"^public\s+(?:(?:sealed|static|abstract|readonly|partial|record)\s+)*(?:class|record|enum|interface|struct)\s+(\w+)", RegexOptions.Multiline);
        var offenders = new List<string>();
        foreach (string file in Directory.EnumerateFiles(Library, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")))
        {
            var types = declaration.Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).ToList();
            string stem = Path.GetFileNameWithoutExtension(file).Split('.')[0]; // partial files: Type.Part.cs
            if (types.Count > 1 || (types.Count == 1 && types[0] != stem)) offenders.Add($"{Path.GetRelativePath(Library, file)}: {string.Join(", ", types)}");
        }

        Assert.True(offenders.Count == 0, "Files whose public types do not match one type per file:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_Check_Sees_A_Backward_Edge()
    {
        // Guards the regex and the ranking: a Numerics file naming ML must count as backward.
        const string text = "using MLNet.Subspace.ML;";
        int used = Array.IndexOf(Order, Regex.Match(text, @"MLNet\.Subspace\.([A-Za-z]+)").Groups[1].Value);

        Assert.True(used > Array.IndexOf(Order, "Numerics"));
    }
}

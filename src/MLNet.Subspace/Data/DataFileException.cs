namespace MLNet.Subspace.Data;

/// <summary>A data file that cannot be read as the format it claims to be.</summary>
/// <remarks>The message names the file, the position and what was expected there.</remarks>
public sealed class DataFileException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="position">Where in the file, in the format's own terms (a byte offset, "line 3, column 2").</param>
    /// <param name="problem">What was expected and what was found.</param>
    public DataFileException(string path, string position, string problem)
        : base($"{path}: {position}: {problem}")
    {
        FilePath = path;
        Position = position;
    }

    /// <summary>The file that failed to load.</summary>
    public string FilePath { get; }

    /// <summary>Where in the file the problem is.</summary>
    public string Position { get; }
}

using System.Text;

namespace MLNet.Subspace.IO;

/// <summary>Writes files so that readers never see a half-written one: write to a temporary name, then rename.</summary>
internal static class AtomicFile
{
    /// <summary>Writes text through <paramref name="write"/> to a temporary file beside <paramref name="path"/>, then renames it over <paramref name="path"/>.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="write">Writes the content.</param>
    public static void WriteAllText(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            write(writer);
        });
    }

    /// <summary>Writes bytes through <paramref name="write"/> to a temporary file beside <paramref name="path"/>, then renames it over <paramref name="path"/>.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="write">Writes the content.</param>
    /// <exception cref="IOException">The destination folder is missing or not writable (the message names it).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Cannot write {full}: the folder {folder} does not exist.");
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"Cannot write {full}: the folder {folder} is not writable ({e.Message}).", e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}

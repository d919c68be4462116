namespace Cnn.Functional.Torch;

/// <summary>
/// Writes a file so that readers only ever see the old content or the new content, whole: the content goes to a
/// temporary file in the same folder, is flushed to disk (fsync), and then renamed over the target, which POSIX
/// <c>rename(2)</c> (and .NET's <c>File.Move(…, overwrite: true)</c> on Windows, via <c>MoveFileEx</c>) does as one step.
/// A crash or exception mid-write leaves the previous file untouched; the temporary file is removed when the
/// failure is an exception, and is a hidden <c>.name.*.tmp</c> file when the process died.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with what <paramref name="write"/> puts in the stream it is given.</summary>
    /// <exception cref="IOException">The folder cannot be written, or <paramref name="write"/> failed (the original error is the inner exception).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? throw new IOException($"'{path}' has no folder");
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"cannot write '{path}': the folder '{folder}' does not exist");
        // Same folder, so the rename never crosses file systems (which would turn it into a copy).
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e)
        {
            TryDelete(temp);
            if (e is IOException or UnauthorizedAccessException) throw;
            throw new IOException($"writing '{path}' failed; the previous file, if any, is unchanged: {e.Message}", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: the target is intact, and a leftover .tmp file is harmless.
        }
    }
}

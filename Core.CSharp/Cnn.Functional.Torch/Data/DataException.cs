namespace Cnn.Functional.Torch;

/// <summary>
/// The library's one error type for data: a missing, truncated or corrupt file, or data that does not fit what it is
/// used for. The message names the file (when there is one), the place in it, what was expected and what was found,
/// so that a user can fix the data without reading the code. Readers never modify the files they complain about.
/// </summary>
public sealed class DataException : Exception
{
    /// <param name="message">What is wrong: expected versus found, and where.</param>
    /// <param name="path">The file concerned, if any; it is put at the front of the message.</param>
    /// <param name="inner">The lower-level error (an I/O or decompression failure), if any.</param>
    public DataException(string message, string? path = null, Exception? inner = null)
        : base(path is null ? message : $"{path}: {message}", inner) => Path = path;

    /// <summary>The file the error is about, or null when it is about data already in memory.</summary>
    public string? Path { get; }
}

using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Cnn.Functional.Torch;

/// <summary>
/// SHA-256 checksums of a zip's entries, kept in one more entry in <c>sha256sum</c>'s format (<c>hash  name</c> per line),
/// so that a damaged file is refused instead of loaded. A zip alone does not protect the library's files: .NET's
/// <see cref="ZipArchive"/> does not check an entry's CRC-32 when reading it, so one flipped byte in a stored tensor (or
/// in a deflated one, where the stream still decodes) was loaded as a different weight — found by flipping bytes of
/// checkpoints and saved ML.NET models (issue 9). Files written before checksums existed have no such entry and are read
/// as before.
/// </summary>
public static class ZipChecksums
{
    /// <summary>A stream that hashes what is written through it to <paramref name="inner"/>.</summary>
    internal sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string Hex() => Convert.ToHexStringLower(hash.GetHashAndReset());

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) hash.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Writes the checksum entry <paramref name="name"/> listing <paramref name="checksums"/> (entry name → lower-case hex SHA-256).</summary>
    public static void Write(ZipArchive zip, string name, IReadOnlyDictionary<string, string> checksums)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        entry.Write(Encoding.UTF8.GetBytes(string.Concat(checksums.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value}  {kv.Key}\n"))));
    }

    /// <summary>The SHA-256 of every entry of <paramref name="zip"/> but <paramref name="except"/> (the zip must be readable: Read or Update mode).</summary>
    public static Dictionary<string, string> Of(ZipArchive zip, string except) =>
        zip.Entries.Where(e => e.FullName != except).ToDictionary(e => e.FullName, Hash, StringComparer.Ordinal);

    /// <summary>
    /// Checks every entry of <paramref name="zip"/> against the checksum entry <paramref name="name"/>: null when they all
    /// match (or the zip has no checksum entry: an older file), else what is wrong.
    /// </summary>
    public static string? Verify(ZipArchive zip, string name)
    {
        var list = zip.GetEntry(name);
        if (list is null) return null;
        string text;
        using (var reader = new StreamReader(list.Open(), Encoding.UTF8)) text = reader.ReadToEnd();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var split = line.IndexOf("  ", StringComparison.Ordinal);
            if (split != 64) return $"{name} is damaged (a line reads \"{(line.Length > 80 ? line[..80] + "…" : line)}\")";
            expected[line[(split + 2)..]] = line[..split];
        }
        foreach (var entry in zip.Entries)
        {
            if (entry.FullName == name) continue;
            if (!expected.TryGetValue(entry.FullName, out var hash)) return $"the entry {entry.FullName} is not in {name}";
            var actual = Hash(entry);
            if (actual != hash) return $"the entry {entry.FullName} is damaged: its SHA-256 is {actual}, {name} says {hash}";
            expected.Remove(entry.FullName);
        }
        return expected.Count == 0 ? null : $"the entr{(expected.Count == 1 ? "y" : "ies")} {string.Join(", ", expected.Keys)} listed in {name} {(expected.Count == 1 ? "is" : "are")} missing";
    }

    private static string Hash(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

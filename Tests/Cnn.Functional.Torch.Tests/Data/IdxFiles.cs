using System.Buffers.Binary;
using System.IO.Compression;

namespace Cnn.Functional.Tests.Data;

/// <summary>
/// Builds IDX files byte by byte, independently of the reader under test (so the tests check the reader against
/// the format, not against a writer of the same library), including broken ones.
/// </summary>
internal static class IdxFiles
{
    /// <summary>The big-endian header 0x0000TTDD, then the sizes, then <paramref name="data"/>.</summary>
    public static byte[] Build(int magic, uint[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (var i = 0; i < dimensions.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public static byte[] Images(int count, int height, int width, byte[] pixels) =>
        Build(0x00000803, [(uint)count, (uint)height, (uint)width], pixels);

    public static byte[] Labels(byte[] labels) => Build(0x00000801, [(uint)labels.Length], labels);

    public static byte[] Gzip(byte[] raw)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(raw);
        return memory.ToArray();
    }

    /// <summary>Random bytes from a seeded generator: reproducible test data.</summary>
    public static byte[] RandomBytes(int count, int seed, int below = 256)
    {
        var random = new Random(seed);
        var bytes = new byte[count];
        for (var i = 0; i < count; i++) bytes[i] = (byte)random.Next(below);
        return bytes;
    }
}

/// <summary>A fresh temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cnnf-data-" + Guid.NewGuid().ToString("N"));

    public string Write(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

/// <summary>A file's bytes and timestamp, to prove that reading it changed nothing.</summary>
internal sealed record FileSnapshot(string Path, byte[] Bytes, DateTime LastWrite)
{
    public static FileSnapshot Of(string path) => new(path, File.ReadAllBytes(path), File.GetLastWriteTimeUtc(path));

    public void AssertUnchanged()
    {
        Assert.True(File.Exists(Path), $"{Path} was removed");
        Assert.Equal(Bytes, File.ReadAllBytes(Path));
        Assert.Equal(LastWrite, File.GetLastWriteTimeUtc(Path));
    }
}

using System.Buffers.Binary;
using System.IO.Compression;

namespace Cnn.Functional.Torch;

/// <summary>
/// An IDX file opened for reading (read-only, shared with other readers), its header parsed and checked, positioned
/// at the first data byte. Every problem becomes a <see cref="DataException"/> naming the file and the byte offset
/// (in the decompressed data, for a gzipped file). The data is read straight into memory the caller provides — a
/// tensor's native storage — so no managed copy of it is ever made.
/// </summary>
internal sealed class IdxReader : IDisposable
{
    /// <summary>
    /// Deflate's maximum compression ratio is 1032:1 (RFC 1951: a 258-byte match costs at least 2 bits), so a gzip
    /// file of L bytes decompresses to at most ~1032·L bytes: a header promising more is refused before anything is
    /// allocated.
    /// </summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>The most data one file may hold: a tensor's byte span is limited to int.MaxValue bytes.</summary>
    internal const long MaxDataBytes = int.MaxValue;

    private readonly Stream stream;
    private long position;

    private IdxReader(Stream stream, IdxHeader header, long fileLength)
    {
        this.stream = stream;
        Header = header;
        FileLength = fileLength;
        position = header.HeaderBytes;
    }

    public IdxHeader Header { get; }

    /// <summary>The file's length on disk (compressed, for a gzipped file).</summary>
    public long FileLength { get; }

    private string Path => Header.Path;

    /// <summary>Opens <paramref name="path"/>, reads its header and checks it against the file's size.</summary>
    public static IdxReader Open(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException(e is FileNotFoundException or DirectoryNotFoundException
                ? "file not found" : $"cannot open the file for reading ({e.Message})", path, e);
        }
        try
        {
            Span<byte> first = stackalloc byte[2];
            var gzipped = file.ReadAtLeast(first, 2, throwOnEndOfStream: false) == 2 && first[0] == 0x1F && first[1] == 0x8B;
            file.Position = 0;
            Stream data = gzipped ? new GZipStream(file, CompressionMode.Decompress) : file;
            var header = ReadHeader(data, path, gzipped);
            var reader = new IdxReader(data, header, file.Length);
            reader.CheckSize();
            return reader;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Fills <paramref name="target"/> with the next data bytes; a file that ends first is truncated.</summary>
    public void ReadExactly(Span<byte> target)
    {
        var done = 0;
        while (done < target.Length)
        {
            int n;
            try
            {
                n = stream.Read(target[done..]);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw Error(Failure($"the data at byte {position + done:N0}{Where}", Header.Gzipped, e), e);
            }
            if (n == 0)
            {
                throw Error($"the file is truncated: its header promises {Header.DataBytes:N0} bytes of data after the " +
                            $"{Header.HeaderBytes}-byte header ({Describe(Header.Dimensions)}), but it ends at byte " +
                            $"{position + done:N0}{Where}, {Header.HeaderBytes + Header.DataBytes - position - done:N0} bytes short");
            }
            done += n;
        }
        position += done;
    }

    /// <summary>
    /// After the whole of the data was read: a gzipped file must end there too (a plain file's length was checked
    /// when it was opened).
    /// </summary>
    public void CheckEnd()
    {
        if (!Header.Gzipped) return;
        Span<byte> scratch = stackalloc byte[4096];
        long extra = 0;
        int n;
        try
        {
            while ((n = stream.Read(scratch)) > 0) extra += n;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw Error(Failure($"what follows the data, at byte {position + extra:N0}{Where}", Header.Gzipped, e), e);
        }
        if (extra > 0)
        {
            throw Error($"the dimensions do not match the file size: the header promises {Header.DataBytes:N0} bytes of data " +
                        $"({Describe(Header.Dimensions)}), but the decompressed data goes on for {extra:N0} more bytes");
        }
    }

    public void Dispose() => stream.Dispose();

    public DataException Error(string message, Exception? inner = null) => new(message, Path, inner);

    private string Where => Header.Gzipped ? " of the decompressed data" : "";

    /// <summary>A read that failed: corrupt compressed data, or an I/O error.</summary>
    private static string Failure(string what, bool gzipped, Exception e) => e is InvalidDataException && gzipped
        ? $"the gzip data is corrupt: decompressing {what} failed ({e.Message})"
        : $"cannot read {what} ({e.Message})";

    internal static string Describe(IEnumerable<int> dimensions) => string.Join(" × ", dimensions.Select(d => d.ToString("N0")));

    private static IdxHeader ReadHeader(Stream data, string path, bool gzipped)
    {
        var where = gzipped ? " of the decompressed data" : "";
        var word = new byte[4];
        int ReadWord(long offset, string what)
        {
            int n;
            try
            {
                n = data.ReadAtLeast(word, 4, throwOnEndOfStream: false);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new DataException(Failure($"{what} at byte {offset}{where}", gzipped, e), path, e);
            }
            if (n < 4)
            {
                throw new DataException($"the file is truncated: it ends at byte {offset + n}{where}, inside {what} (bytes {offset}–{offset + 3})", path);
            }
            return BinaryPrimitives.ReadInt32BigEndian(word);
        }

        var magic = ReadWord(0, "the 4-byte magic number");
        if ((magic & unchecked((int)0xFFFF0000)) != 0)
        {
            throw new DataException($"bad magic number at byte 0{where}: expected an IDX magic number 0x0000TTDD (e.g. " +
                                    $"{IdxHeader.DescribeMagic(IdxHeader.ImagesMagic)} for images), found {IdxHeader.DescribeMagic(magic)}", path);
        }
        if (IdxHeader.ElementBytesOf(magic >> 8) == 0)
        {
            throw new DataException($"bad magic number at byte 0{where}: found {IdxHeader.DescribeMagic(magic)}; IDX defines the " +
                                    "type codes 0x08, 0x09, 0x0B, 0x0C, 0x0D and 0x0E", path);
        }
        var rank = magic & 0xFF;
        var dimensions = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var offset = 4 + 4 * i;
            var size = ReadWord(offset, $"the size of dimension {i}");
            // A size with the top bit set reads as negative: above int.MaxValue, absurd for any dimension.
            if (size < 0)
            {
                throw new DataException($"absurd size of dimension {i} at byte {offset}{where}: {(uint)size:N0} " +
                                        $"(more than {int.MaxValue:N0}); the file is corrupt or not IDX", path);
            }
            dimensions[i] = size;
        }
        return new IdxHeader(path, gzipped, magic >> 8, dimensions);
    }

    /// <summary>Refuses, before anything is allocated, dimensions whose data cannot be in a file of this size.</summary>
    private void CheckSize()
    {
        long total = Header.ElementBytes;
        foreach (var d in Header.Dimensions)
        {
            total *= d;
            if (total > MaxDataBytes)
            {
                throw Error($"absurd dimensions {Describe(Header.Dimensions)}: more than {MaxDataBytes:N0} bytes of data, " +
                            $"the most this reader loads into one tensor; the file is corrupt or not what was expected");
            }
        }
        if (Header.Gzipped)
        {
            var bound = MaxDeflateRatio * FileLength;
            if (Header.DataBytes > bound)
            {
                throw Error($"the dimensions do not match the file size: the header promises {Header.DataBytes:N0} bytes of data " +
                            $"({Describe(Header.Dimensions)}), but a gzip file of {FileLength:N0} bytes decompresses to at most " +
                            $"{bound:N0} (deflate's 1032:1 limit)");
            }
            return;
        }
        var expected = Header.HeaderBytes + Header.DataBytes;
        if (FileLength != expected)
        {
            throw Error(FileLength < expected
                ? $"the file is truncated: its header promises {Header.DataBytes:N0} bytes of data after the {Header.HeaderBytes}-byte " +
                  $"header ({Describe(Header.Dimensions)}, {expected:N0} bytes in all), but the file has {FileLength:N0} bytes"
                : $"the dimensions do not match the file size: the header promises {Header.DataBytes:N0} bytes of data after the " +
                  $"{Header.HeaderBytes}-byte header ({Describe(Header.Dimensions)}, {expected:N0} bytes in all), but the file has " +
                  $"{FileLength:N0} bytes ({FileLength - expected:N0} too many)");
        }
    }
}

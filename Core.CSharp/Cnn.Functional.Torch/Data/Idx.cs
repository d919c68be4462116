using System.Buffers;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Reads IDX files (the MNIST database's format, see <see cref="IdxHeader"/>), gzipped or plain — told apart by the
/// gzip magic 1f 8b, not by the name — straight into native tensors: the bytes stream from the file (through the
/// decompressor) into the tensor's own storage, or through one pooled 1 MiB buffer that is converted into it chunk
/// by chunk, so loading leaves no managed copy for the garbage collector and peaks at the size of its result
/// (Fashion-MNIST's training images are 47 MB of bytes, 188 MB as float32). Files are opened read-only.
/// Every defect — bad magic, truncation, dimensions that do not match the file size, absurd sizes (refused before
/// anything is allocated), labels out of range, image and label counts that differ — is a <see cref="DataException"/>
/// that names the file, the byte offset, what was expected and what was found.
/// </summary>
public static class Idx
{
    /// <summary>Reads the header of an IDX file and checks it against the file's size, without reading the data.</summary>
    public static IdxHeader ReadHeader(string path)
    {
        using var reader = IdxReader.Open(path);
        return reader.Header;
    }

    /// <summary>
    /// Reads an IDX file of unsigned bytes whose magic number is <paramref name="magic"/> (e.g.
    /// <see cref="IdxHeader.ImagesMagic"/>) into a uint8 tensor of the file's shape [N, …], or of its first
    /// <paramref name="limit"/> examples [min(N, limit), …]. When the whole file is read, a gzipped file must end
    /// exactly where its header says; with a smaller limit the rest of a gzipped file is not decompressed, so not checked.
    /// The tensor is created in the current dispose scope.
    /// </summary>
    public static Tensor Read(string path, int magic, int limit = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        using var reader = IdxReader.Open(path);
        CheckMagic(reader, magic);
        return ReadData(reader, limit);
    }

    /// <summary>
    /// Loads an image file (<see cref="IdxHeader.ImagesMagic"/>, [N, H, W] bytes) and a label file
    /// (<see cref="IdxHeader.LabelsMagic"/>, [N] bytes in 0…K − 1, K = <paramref name="classNames"/>.Count) as a
    /// <see cref="Dataset"/>: images float32 [n, 1, H, W] scaled to [0, 1] by x/255 (as torchvision's ToTensor does),
    /// labels int64 [n], n = min(N, <paramref name="limit"/>). Both headers are checked against each other before any
    /// data is read. The dataset's tensors are created in the current dispose scope; the dataset owns them.
    /// </summary>
    public static Dataset LoadDataset(string name, string imagesPath, string labelsPath, IReadOnlyList<string> classNames,
        int limit = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (classNames.Count is < 1 or > 256)
        {
            throw new ArgumentException($"a dataset of IDX byte labels has 1 to 256 classes, not {classNames.Count}", nameof(classNames));
        }
        using var images = IdxReader.Open(imagesPath);
        CheckMagic(images, IdxHeader.ImagesMagic);
        using var labels = IdxReader.Open(labelsPath);
        CheckMagic(labels, IdxHeader.LabelsMagic);
        var (imageHeader, labelHeader) = (images.Header, labels.Header);
        if (imageHeader.Count != labelHeader.Count)
        {
            throw new DataException($"image and label counts differ: {imagesPath} holds {imageHeader.Count:N0} images " +
                                    $"({IdxReader.Describe(imageHeader.Dimensions)}) but {labelsPath} holds {labelHeader.Count:N0} labels");
        }
        if (imageHeader.Count == 0 || imageHeader.ExampleBytes == 0)
        {
            throw images.Error($"no examples to load: the header's dimensions are {IdxReader.Describe(imageHeader.Dimensions)}");
        }

        using var scope = NewDisposeScope();
        var x = ReadConverted(images, limit, ScalarType.Float32,
            (chunk, _, target) => ByteConversion.ToUnitFloats(chunk, MemoryMarshal.Cast<byte, float>(target))).unsqueeze(1);
        var classes = classNames.Count;
        var y = ReadConverted(labels, limit, ScalarType.Int64, (chunk, offset, target) =>
        {
            CheckLabels(labels, chunk, offset, classes);
            ByteConversion.ToInt64(chunk, MemoryMarshal.Cast<byte, long>(target));
        });
        return new Dataset(name, x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), classes, classNames.ToEquatableArray());
    }

    private static void CheckMagic(IdxReader reader, int magic)
    {
        var header = reader.Header;
        if (header.Magic == magic) return;
        var hint = header.Magic switch
        {
            IdxHeader.LabelsMagic when magic == IdxHeader.ImagesMagic => " — a label file where images were expected?",
            IdxHeader.ImagesMagic when magic == IdxHeader.LabelsMagic => " — an image file where labels were expected?",
            _ when header.TypeCode != IdxHeader.UnsignedByte => " — this reader loads unsigned bytes only",
            _ => "",
        };
        throw reader.Error($"bad magic number at byte 0{(header.Gzipped ? " of the decompressed data" : "")}: expected " +
                           $"{IdxHeader.DescribeMagic(magic)}, found {IdxHeader.DescribeMagic(header.Magic)}{hint}");
    }

    /// <summary>Streams the first min(N, limit) examples into a new uint8 tensor; disposes it again on failure.</summary>
    private static Tensor ReadData(IdxReader reader, int limit)
    {
        var (count, shape) = Extent(reader.Header, limit);
        var tensor = empty(shape, ScalarType.Byte);
        try
        {
            // bytes is a span over the tensor's native storage: the file's bytes land there and nowhere else.
            if (tensor.numel() > 0) reader.ReadExactly(tensor.bytes);
            if (count == reader.Header.Count) reader.CheckEnd();
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Bytes read per chunk (whole examples, at least one): small, and reused from the shared pool.</summary>
    private const int ChunkBytes = 1 << 20;

    /// <summary>Converts one chunk: its bytes, their offset in the data, and the target's storage for them.</summary>
    private delegate void ChunkConverter(ReadOnlySpan<byte> chunk, long offset, Span<byte> target);

    /// <summary>
    /// Streams the first min(N, limit) examples into a new tensor of <paramref name="dtype"/> and the file's shape,
    /// through one pooled 1 MiB buffer: the file's bytes never exist whole, so loading peaks at the result's size (not
    /// that plus the file's), and the buffer is reused, so it leaves no garbage. Disposes the result again on failure.
    /// </summary>
    private static Tensor ReadConverted(IdxReader reader, int limit, ScalarType dtype, ChunkConverter convert)
    {
        var header = reader.Header;
        var (count, shape) = Extent(header, limit);
        var result = empty(shape, dtype);
        var perChunk = (int)Math.Max(1, ChunkBytes / Math.Max(header.ExampleBytes, 1));
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(perChunk * header.ExampleBytes, Math.Max(header.DataBytes, 1)));
        try
        {
            for (var start = 0; start < count; start += perChunk)
            {
                var n = Math.Min(perChunk, count - start);
                var chunk = buffer.AsSpan(0, (int)(n * header.ExampleBytes));
                reader.ReadExactly(chunk);
                // A view of just these examples: the whole result's span could exceed int.MaxValue bytes.
                using var part = result.narrow(0, start, n);
                convert(chunk, start * header.ExampleBytes, part.bytes);
            }
            if (count == header.Count) reader.CheckEnd();
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>How many examples a limit admits, and the shape [count, …] they take.</summary>
    private static (int Count, long[] Shape) Extent(IdxHeader header, int limit)
    {
        var count = Math.Min(header.Count, limit);
        var shape = header.Dimensions.Select(d => (long)d).ToArray();
        if (shape.Length > 0) shape[0] = count;
        return (count, shape);
    }

    private static void CheckLabels(IdxReader reader, ReadOnlySpan<byte> values, long offset, int classes)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] >= classes)
            {
                var example = offset + i;
                throw reader.Error($"label out of range at byte {reader.Header.HeaderBytes + example:N0}{(reader.Header.Gzipped ? " of the decompressed data" : "")} " +
                                   $"(example {example:N0}): expected 0–{classes - 1} ({classes} classes), found {values[i]}");
            }
        }
    }
}

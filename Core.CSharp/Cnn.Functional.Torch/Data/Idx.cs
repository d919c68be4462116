using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Reads IDX files (the MNIST database's format, see <see cref="IdxHeader"/>), gzipped or plain — told apart by the
/// gzip magic 1f 8b, not by the name — straight into native tensors: the bytes stream from the file (through the
/// decompressor) into the tensor's own storage, so loading leaves no managed copy for the garbage collector
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
        var pixels = ReadData(images, limit);
        // x/255 in float32 maps 0…255 onto [0, 1] with 255 ↦ exactly 1.
        var x = pixels.unsqueeze(1).to_type(ScalarType.Float32).div_(255f);
        pixels.Dispose(); // 47 MB of bytes for Fashion-MNIST's training set: free them before the labels are read.
        var bytes = ReadData(labels, limit);
        CheckLabels(labels, bytes, classNames.Count);
        var y = bytes.to_type(ScalarType.Int64);
        return new Dataset(name, x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), classNames.Count, classNames.ToEquatableArray());
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
        var header = reader.Header;
        var count = Math.Min(header.Count, limit);
        var shape = header.Dimensions.Select(d => (long)d).ToArray();
        if (shape.Length > 0) shape[0] = count;
        var tensor = empty(shape, ScalarType.Byte);
        try
        {
            // bytes is a span over the tensor's native storage: the file's bytes land there and nowhere else.
            if (tensor.numel() > 0) reader.ReadExactly(tensor.bytes);
            if (count == header.Count) reader.CheckEnd();
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    private static void CheckLabels(IdxReader reader, Tensor labels, int classes)
    {
        var values = labels.bytes;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] >= classes)
            {
                throw reader.Error($"label out of range at byte {reader.Header.HeaderBytes + i:N0}{(reader.Header.Gzipped ? " of the decompressed data" : "")} " +
                                   $"(example {i:N0}): expected 0–{classes - 1} ({classes} classes), found {values[i]}");
            }
        }
    }
}

namespace Cnn.Functional.Torch;

/// <summary>
/// The header of an IDX file (LeCun et al., the MNIST database's format; Fashion-MNIST uses it too): a 4-byte magic
/// number <c>0x00 0x00 T D</c> (T the element type, D the number of dimensions), then D big-endian unsigned 32-bit
/// sizes, then the elements in row-major order. Images are <c>0x00000803</c> (unsigned bytes, [N, H, W]), labels
/// <c>0x00000801</c> (unsigned bytes, [N]).
/// </summary>
/// <param name="Path">The file the header was read from.</param>
/// <param name="Gzipped">Whether the file is gzip-compressed (it starts with the gzip magic 1f 8b).</param>
/// <param name="TypeCode">The element type: 0x08 unsigned byte (the only one this reader loads), 0x09 signed byte,
/// 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.</param>
/// <param name="Dimensions">The sizes, outermost first (the example count first).</param>
public sealed record IdxHeader(string Path, bool Gzipped, int TypeCode, EquatableArray<int> Dimensions)
{
    /// <summary>The type code of unsigned bytes, the only element type Fashion-MNIST and MNIST use.</summary>
    public const int UnsignedByte = 0x08;

    /// <summary>The magic number of an image file: unsigned bytes, 3 dimensions [N, H, W].</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>The magic number of a label file: unsigned bytes, 1 dimension [N].</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>The magic number as it stands in the file's first 4 bytes, read big-endian.</summary>
    public int Magic => (TypeCode << 8) | Dimensions.Count;

    /// <summary>Bytes before the data: the magic number and one 4-byte size per dimension.</summary>
    public int HeaderBytes => 4 + 4 * Dimensions.Count;

    /// <summary>The number of examples: the first dimension.</summary>
    public int Count => Dimensions.Count == 0 ? 0 : Dimensions[0];

    /// <summary>Bytes of one element: 1, 2, 4 or 8 by <see cref="TypeCode"/> (0 for a code IDX does not define).</summary>
    public int ElementBytes => ElementBytesOf(TypeCode);

    /// <summary>Bytes of one example: the element size times all dimensions but the first (1 element for labels).</summary>
    public long ExampleBytes => Dimensions.Skip(1).Aggregate((long)ElementBytes, (product, d) => product * d);

    /// <summary>Bytes of data after the header: <see cref="Count"/> × <see cref="ExampleBytes"/>.</summary>
    public long DataBytes => Count * ExampleBytes;

    /// <summary>Bytes per element for an IDX type code, or 0 for a code IDX does not define.</summary>
    public static int ElementBytesOf(int typeCode) => typeCode switch
    {
        0x08 or 0x09 => 1,
        0x0B => 2,
        0x0C or 0x0D => 4,
        0x0E => 8,
        _ => 0,
    };

    /// <summary>The magic number with what it means, e.g. <c>0x00000803 (unsigned bytes, 3 dimensions)</c>.</summary>
    public static string DescribeMagic(int magic)
    {
        var type = (magic >> 8) & 0xFF;
        var name = type switch
        {
            0x08 => "unsigned bytes",
            0x09 => "signed bytes",
            0x0B => "16-bit integers",
            0x0C => "32-bit integers",
            0x0D => "32-bit floats",
            0x0E => "64-bit floats",
            _ => $"unknown type code 0x{type:X2}",
        };
        return (magic & unchecked((int)0xFFFF0000)) == 0
            ? $"0x{magic:X8} (IDX: {name}, {magic & 0xFF} dimension{(((magic & 0xFF) == 1) ? "" : "s")})"
            : $"0x{magic:X8} (not an IDX magic number: its first two bytes must be zero)";
    }
}

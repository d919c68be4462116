namespace Cnn.Functional;

/// <summary>
/// The shape of one example flowing along an edge of the graph, without the batch dimension:
/// <c>[C]</c> for a flat vector, <c>[C, L]</c> (NCL), <c>[C, H, W]</c> (NCHW) or <c>[C, D, H, W]</c> (NCDHW).
/// </summary>
public sealed record Shape(EquatableArray<int> Dims)
{
    public static Shape Of(params int[] dims) => new(dims.ToEquatableArray());

    /// <summary>A flat vector of <paramref name="features"/> values.</summary>
    public static Shape Vector(int features) => Of(features);

    /// <summary>A 1-D signal: channels × length.</summary>
    public static Shape Sequence(int channels, int length) => Of(channels, length);

    /// <summary>An image: channels × height × width.</summary>
    public static Shape Image(int channels, int height, int width) => Of(channels, height, width);

    /// <summary>A volume (video, scan): channels × depth × height × width.</summary>
    public static Shape Volume(int channels, int depth, int height, int width) => Of(channels, depth, height, width);

    public int Rank => Dims.Count;

    /// <summary>Channels (or features, for a flat vector).</summary>
    public int Channels => Dims[0];

    /// <summary>How many spatial dimensions follow the channels: 0 for a vector, 1, 2 or 3.</summary>
    public int SpatialRank => Dims.Count - 1;

    public bool IsFlat => Dims.Count == 1;

    public int[] Spatial => Dims.Items.Skip(1).ToArray();

    /// <summary>Number of values in one example (checked: overflow is an error, never a wrap-around).</summary>
    public long Elements
    {
        get
        {
            long n = 1;
            foreach (var d in Dims) n = checked(n * d);
            return n;
        }
    }

    public Shape WithChannels(int channels) => new(Dims.SetItem(0, channels));

    /// <summary>The conventional name of spatial dimension <paramref name="index"/>: L; H, W; or D, H, W.</summary>
    public static string SpatialName(int spatialRank, int index) => spatialRank switch
    {
        1 => "L",
        2 => index == 0 ? "H" : "W",
        3 => index switch { 0 => "D", 1 => "H", _ => "W" },
        _ => $"dim{index + 1}",
    };

    public override string ToString() => "[" + string.Join(", ", Dims.Items) + "]";
}

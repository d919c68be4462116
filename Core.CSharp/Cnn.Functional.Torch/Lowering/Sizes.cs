namespace Cnn.Functional.Torch;

/// <summary>Sizes of the graph (<c>int</c>, uniform or per dimension) in the form libtorch takes (<c>long[]</c>).</summary>
internal static class Sizes
{
    /// <summary>One value per spatial dimension: a uniform size repeated <paramref name="rank"/> times, else its values.</summary>
    public static long[] Expand(Size size, int rank) =>
        size.IsUniform ? Enumerable.Repeat((long)size.Values[0], rank).ToArray() : size.Values.Items.Select(v => (long)v).ToArray();

    public static long[] Longs(this int[] values) => values.Select(v => (long)v).ToArray();

    public static long Product(this long[] values) => values.Aggregate(1L, (a, v) => a * v);

    /// <summary><paramref name="value"/> in dimension <paramref name="dim"/> and <paramref name="other"/> in the others: a per-step stride or kernel.</summary>
    public static long[] Only(int rank, int dim, long value, long other = 1) =>
        Enumerable.Range(0, rank).Select(i => i == dim ? value : other).ToArray();

    /// <summary>The shape [1, n, 1, …] that broadcasts a per-channel vector over an input of <paramref name="rank"/> dimensions (batch included).</summary>
    public static long[] PerChannel(long channels, long rank) =>
        Enumerable.Range(0, (int)rank).Select(i => i == 1 ? channels : 1L).ToArray();
}

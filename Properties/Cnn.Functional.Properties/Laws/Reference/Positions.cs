namespace Cnn.Functional.Properties;

/// <summary>Row-major positions of small N-d grids.</summary>
internal static class Positions
{
    /// <summary>Every index of a grid with these extents, row-major.</summary>
    public static IEnumerable<int[]> Grid(IReadOnlyList<int> extents) =>
        Product(extents.Select(e => Enumerable.Range(0, e).ToArray()).ToArray());

    /// <summary>The Cartesian product of per-axis value lists, row-major.</summary>
    public static IEnumerable<int[]> Product(int[][] axes)
    {
        if (axes.Any(a => a.Length == 0)) yield break;
        var index = new int[axes.Length];
        while (true)
        {
            yield return index.Select((k, i) => axes[i][k]).ToArray();
            var axis = axes.Length - 1;
            while (axis >= 0 && ++index[axis] == axes[axis].Length) index[axis--] = 0;
            if (axis < 0) yield break;
        }
    }

    public static int Flat(int[] index, IReadOnlyList<int> extents) => index.Select((x, i) => (i, x)).Aggregate(0, (a, p) => a * extents[p.i] + p.x);
}

namespace Cnn.Functional.Torch;

/// <summary>The symmetric input similarities P of t-SNE in compressed sparse rows (dense rows for the exact method); they sum to 1.</summary>
internal sealed record Affinities(int Count, int[] RowStart, int[] Columns, double[] Values);

/// <summary>
/// t-SNE's input similarities. Each row's Gaussian precision β_i = 1/2σ_i² is found by bisection so that the entropy of
/// p_(·|i) is log(perplexity) (van der Maaten &amp; Hinton 2008, eq. 1 and the definition of Perp(P_i) = 2^H(P_i); here
/// in nats). The exact form uses all other points; the Barnes–Hut form only the ⌊3u⌋ nearest neighbours (van der
/// Maaten 2014, §4.1), found here by brute force.
/// </summary>
internal static class TsneAffinities
{
    public static Affinities Exact(IReadOnlyList<float[]> points, double perplexity)
    {
        var n = points.Count;
        var neighbours = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Where(j => j != i).ToArray()).ToArray();
        return Build(points, perplexity, neighbours);
    }

    public static Affinities Sparse(IReadOnlyList<float[]> points, double perplexity)
    {
        var n = points.Count;
        var k = Math.Min(n - 1, (int)(3 * perplexity));
        var neighbours = new int[n][];
        Parallel.For(0, n, i =>
        {
            var distances = new double[n];
            for (var j = 0; j < n; j++) distances[j] = j == i ? double.PositiveInfinity : SquaredDistance(points[i], points[j]);
            var order = Enumerable.Range(0, n).ToArray();
            Array.Sort(distances, order);
            neighbours[i] = order.Take(k).ToArray();
        });
        return Build(points, perplexity, neighbours);
    }

    // Conditional p_(j|i) over each row's candidates, then P = (P_cond + P_condᵀ) / 2N as a sparse symmetric matrix.
    private static Affinities Build(IReadOnlyList<float[]> points, double perplexity, int[][] neighbours)
    {
        var n = points.Count;
        var rows = new double[n][];
        Parallel.For(0, n, i =>
        {
            var d = neighbours[i].Select(j => SquaredDistance(points[i], points[j])).ToArray();
            rows[i] = Calibrate(d, Math.Log(perplexity));
        });
        var symmetric = new Dictionary<int, double>[n];
        for (var i = 0; i < n; i++) symmetric[i] = [];
        for (var i = 0; i < n; i++)
            for (var a = 0; a < neighbours[i].Length; a++)
            {
                var (j, v) = (neighbours[i][a], rows[i][a] / (2.0 * n));
                symmetric[i][j] = symmetric[i].GetValueOrDefault(j) + v;
                symmetric[j][i] = symmetric[j].GetValueOrDefault(i) + v;
            }
        var rowStart = new int[n + 1];
        for (var i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + symmetric[i].Count;
        var columns = new int[rowStart[n]];
        var values = new double[rowStart[n]];
        for (var i = 0; i < n; i++)
        {
            var at = rowStart[i];
            foreach (var (j, v) in symmetric[i].OrderBy(e => e.Key))
            {
                columns[at] = j;
                values[at++] = v;
            }
        }
        return new Affinities(n, rowStart, columns, values);
    }

    /// <summary>p_(j|i) over the given squared distances, with β found by bisection so that the entropy is <paramref name="entropy"/> nats.</summary>
    private static double[] Calibrate(double[] distances, double entropy)
    {
        var p = new double[distances.Length];
        // Distances are shifted by their minimum so that exp does not underflow for far-away rows; p is unchanged.
        var shift = distances.Min();
        double beta = 1, low = double.NegativeInfinity, high = double.PositiveInfinity;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            double sum = 0, weighted = 0;
            for (var j = 0; j < p.Length; j++)
            {
                p[j] = Math.Exp(-beta * (distances[j] - shift));
                sum += p[j];
                weighted += p[j] * (distances[j] - shift);
            }
            // H = log Σ exp(−βd) + β ⟨d⟩ (in nats).
            var h = Math.Log(sum) + beta * weighted / sum;
            for (var j = 0; j < p.Length; j++) p[j] /= sum;
            if (Math.Abs(h - entropy) < 1e-5) break;
            if (h > entropy)
            {
                low = beta;
                beta = double.IsPositiveInfinity(high) ? beta * 2 : (beta + high) / 2;
            }
            else
            {
                high = beta;
                beta = double.IsNegativeInfinity(low) ? beta / 2 : (beta + low) / 2;
            }
        }
        return p;
    }

    internal static double SquaredDistance(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}

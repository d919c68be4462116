namespace Cnn.Functional.Torch;

/// <summary>
/// The gradient of t-SNE's cost C = KL(P‖Q) with respect to the embedding y (interleaved x, y per point), exactly
/// or with the Barnes–Hut approximation of the repulsion (van der Maaten 2014, eq. 3–4): ∂C/∂y_i = 4(F_attr − F_rep)
/// with F_attr = Σ_j p_ij q_ij Z (y_i − y_j) over the sparse P and F_rep = Σ_j q_ij² Z (y_i − y_j), where every
/// cell of the quadtree far enough away (half-width / distance &lt; θ) stands for all its points at its centre of mass.
/// </summary>
internal static class TsneGradient
{
    public static void Exact(Affinities p, double[] y, double exaggeration, double[] gradient)
    {
        var n = p.Count;
        // Unnormalised q_ij Z = (1 + ‖y_i − y_j‖²)⁻¹, and Z = Σ_(i≠j) of it.
        var kernel = new double[n * n];
        double z = 0;
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                var dx = y[2 * i] - y[2 * j];
                var dy = y[2 * i + 1] - y[2 * j + 1];
                var k = 1 / (1 + dx * dx + dy * dy);
                kernel[i * n + j] = kernel[j * n + i] = k;
                z += 2 * k;
            }
        var dense = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var a = p.RowStart[i]; a < p.RowStart[i + 1]; a++) dense[i * n + p.Columns[a]] = p.Values[a];
        Parallel.For(0, n, i =>
        {
            double gx = 0, gy = 0;
            for (var j = 0; j < n; j++)
            {
                if (j == i) continue;
                var k = kernel[i * n + j];
                var m = (exaggeration * dense[i * n + j] - k / z) * k;
                gx += m * (y[2 * i] - y[2 * j]);
                gy += m * (y[2 * i + 1] - y[2 * j + 1]);
            }
            gradient[2 * i] = 4 * gx;
            gradient[2 * i + 1] = 4 * gy;
        });
    }

    public static void BarnesHut(Affinities p, double[] y, double exaggeration, double theta, double[] gradient)
    {
        var n = p.Count;
        var tree = QuadTree.Build(y);
        var repulsion = new double[2 * n];
        var zParts = new double[n];
        Parallel.For(0, n, i =>
        {
            var (fx, fy, z) = tree.Repulsion(y[2 * i], y[2 * i + 1], theta);
            repulsion[2 * i] = fx;
            repulsion[2 * i + 1] = fy;
            zParts[i] = z;
        });
        var zSum = zParts.Sum();
        Parallel.For(0, n, i =>
        {
            double ax = 0, ay = 0;
            for (var a = p.RowStart[i]; a < p.RowStart[i + 1]; a++)
            {
                var j = p.Columns[a];
                var dx = y[2 * i] - y[2 * j];
                var dy = y[2 * i + 1] - y[2 * j + 1];
                var m = exaggeration * p.Values[a] / (1 + dx * dx + dy * dy);
                ax += m * dx;
                ay += m * dy;
            }
            gradient[2 * i] = 4 * (ax - repulsion[2 * i] / zSum);
            gradient[2 * i + 1] = 4 * (ay - repulsion[2 * i + 1] / zSum);
        });
    }

    /// <summary>KL(P‖Q) = Σ p_ij log(p_ij / q_ij) over the stored p_ij, with Z computed exactly.</summary>
    public static double KullbackLeibler(Affinities p, double[] y)
    {
        var n = p.Count;
        double z = 0;
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                var dx = y[2 * i] - y[2 * j];
                var dy = y[2 * i + 1] - y[2 * j + 1];
                z += 2 / (1 + dx * dx + dy * dy);
            }
        double kl = 0;
        for (var i = 0; i < n; i++)
            for (var a = p.RowStart[i]; a < p.RowStart[i + 1]; a++)
            {
                var j = p.Columns[a];
                var dx = y[2 * i] - y[2 * j];
                var dy = y[2 * i + 1] - y[2 * j + 1];
                var q = 1 / (1 + dx * dx + dy * dy) / z;
                if (p.Values[a] > 0) kl += p.Values[a] * Math.Log(p.Values[a] / Math.Max(q, 1e-300));
            }
        return kl;
    }
}

/// <summary>
/// A point-region quadtree over the embedding for Barnes–Hut t-SNE: each cell knows its centre, half-width, number of
/// points and centre of mass; leaves hold one point (or several that coincide).
/// </summary>
internal sealed class QuadTree
{
    private readonly double centerX, centerY, halfWidth;
    private double massX, massY;
    private int count;
    private QuadTree[]? children;
    private readonly List<(double X, double Y)> points = [];

    private QuadTree(double centerX, double centerY, double halfWidth) => (this.centerX, this.centerY, this.halfWidth) = (centerX, centerY, halfWidth);

    public static QuadTree Build(double[] y)
    {
        var n = y.Length / 2;
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        for (var i = 0; i < n; i++)
        {
            minX = Math.Min(minX, y[2 * i]); maxX = Math.Max(maxX, y[2 * i]);
            minY = Math.Min(minY, y[2 * i + 1]); maxY = Math.Max(maxY, y[2 * i + 1]);
        }
        var half = Math.Max(maxX - minX, maxY - minY) / 2 + 1e-5;
        var root = new QuadTree((minX + maxX) / 2, (minY + maxY) / 2, half);
        for (var i = 0; i < n; i++) root.Insert(y[2 * i], y[2 * i + 1], 0);
        return root;
    }

    private void Insert(double x, double y, int depth)
    {
        massX = (massX * count + x) / (count + 1);
        massY = (massY * count + y) / (count + 1);
        count++;
        if (children is null)
        {
            // A leaf keeps one point; coincident points (or a tree too deep to split further) stay together.
            if (points.Count == 0 || depth > 40 || points.All(p => p.X == x && p.Y == y))
            {
                points.Add((x, y));
                return;
            }
            children = new QuadTree[4];
            var h = halfWidth / 2;
            for (var c = 0; c < 4; c++) children[c] = new QuadTree(centerX + (c % 2 == 0 ? -h : h), centerY + (c < 2 ? -h : h), h);
            foreach (var p in points) Child(p.X, p.Y).Insert(p.X, p.Y, depth + 1);
            points.Clear();
        }
        Child(x, y).Insert(x, y, depth + 1);
    }

    private QuadTree Child(double x, double y) => children![(x < centerX ? 0 : 1) + (y < centerY ? 0 : 2)];

    /// <summary>Σ_j q_ij² Z² (y_i − y_j) and Σ_j q_ij Z over all other points, approximated by cells far enough away.</summary>
    public (double X, double Y, double Z) Repulsion(double x, double y, double theta)
    {
        if (count == 0) return (0, 0, 0);
        var dx = x - massX;
        var dy = y - massY;
        var d2 = dx * dx + dy * dy;
        if (children is null || halfWidth * halfWidth < theta * theta * d2)
        {
            // The point itself sits at distance 0 in its own leaf: it is not its own neighbour.
            var others = children is null && d2 == 0 ? count - 1 : count;
            if (others <= 0) return (0, 0, 0);
            var k = 1 / (1 + d2);
            var m = others * k * k;
            return (m * dx, m * dy, others * k);
        }
        double fx = 0, fy = 0, z = 0;
        foreach (var child in children)
        {
            var (cx, cy, cz) = child.Repulsion(x, y, theta);
            fx += cx;
            fy += cy;
            z += cz;
        }
        return (fx, fy, z);
    }
}

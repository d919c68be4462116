using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// The k-means of Dundar, Jin &amp; Culurciello (2015), §3.1, eq. 1 — the spherical ("gain-shape") k-means of Coates
/// &amp; Ng (2012) — with its preprocessing: points (patches, one per row) are contrast-normalised and optionally
/// ZCA-whitened, then for each iteration every point w⁽ⁱ⁾ gets the code s⁽ⁱ⁾ whose only non-zero entry is
/// D⁽ʲ⁾ᵀw⁽ⁱ⁾ for j = argmax_l |D⁽ˡ⁾ᵀw⁽ⁱ⁾|, and D := W·Sᵀ + D with every column renormalised. Adding the old D keeps
/// the centroid of an empty cluster where it was. The centroids start from k-means++ seeding (<see cref="Seeds"/>).
/// Everything is in float64 on the CPU.
/// </summary>
internal static class SphericalKMeans
{
    /// <summary>
    /// <paramref name="k"/> unit-norm filters [k, d] for inputs shaped like <paramref name="points"/> [M, d], most
    /// populous cluster first, each scaled to norm <see cref="ConvKMeans.Gain"/>; with whitening the ZCA matrix is
    /// folded in, so that filter·x = centroid·(W_zca·x).
    /// </summary>
    public static Tensor Filters(Tensor points, int k, ConvKMeans scheme, Generator generator)
    {
        using var scope = NewDisposeScope();
        var x = Normalize(points.to(ScalarType.Float64), scheme.Epsilon);
        Tensor? whitening = null;
        if (scheme.Whiten)
        {
            whitening = Zca(x, scheme.WhiteningEpsilon);
            x = x.matmul(whitening);
        }
        var (centroids, sizes) = Cluster(x, k, scheme.Iterations, generator);
        var filters = whitening is null ? centroids : centroids.matmul(whitening);
        filters = filters / filters.norm(1, keepdim: true).clamp_min(1e-300) * scheme.Gain;
        // Most populous first; ties keep the random initial order (a stable sort).
        var order = Enumerable.Range(0, k).OrderByDescending(j => sizes[j]).Select(j => (long)j).ToArray();
        return filters.index_select(0, tensor(order)).MoveToOuterDisposeScope();
    }

    /// <summary>Each row minus its mean, divided by its standard deviation plus <paramref name="epsilon"/>.</summary>
    public static Tensor Normalize(Tensor points, double epsilon)
    {
        using var scope = NewDisposeScope();
        var centred = points - points.mean([1], keepdim: true);
        var deviation = centred.square().mean([1], keepdim: true).sqrt();
        return (centred / (deviation + epsilon)).MoveToOuterDisposeScope();
    }

    /// <summary>The ZCA whitening matrix U·diag(1/√(λ + ε))·Uᵀ of the points' covariance (symmetric).</summary>
    public static Tensor Zca(Tensor points, double epsilon)
    {
        using var scope = NewDisposeScope();
        var covariance = points.t().matmul(points) / points.shape[0];
        var (values, vectors) = linalg.eigh(covariance);
        var scale = (values.clamp_min(0) + epsilon).rsqrt();
        return (vectors * scale).matmul(vectors.t()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Initial centroids [k, d] by k-means++ seeding (Arthur &amp; Vassilvitskii, 2007) for the sign-blind distance of
    /// eq. 1: the first is a random point, each next one a point drawn with probability ∝ its squared distance to the
    /// nearest line through a centroid, ‖x‖²·(1 − cos²). Random directions (Coates &amp; Ng's start) can leave two centroids
    /// in one cluster and one between two, a fixed point of eq. 1. Once no point is left off the chosen lines (all
    /// points zero or on them), the rest start as random directions. Rows have unit norm.
    /// </summary>
    public static Tensor Seeds(Tensor x, int k, Generator generator)
    {
        using var scope = NewDisposeScope();
        var squared = x.square().sum(1);
        var distance = squared.clone();
        var rows = new List<Tensor>();
        for (var j = 0; j < k; j++)
        {
            Tensor row;
            if (Scalars.Read<double>(distance.sum()) > 1e-12 * Math.Max(1, Scalars.Read<double>(squared.sum())))
            {
                var chosen = distance.multinomial(1, false, generator);
                row = x.index_select(0, chosen)[0];
                row = row / row.norm();
                var along = x.matmul(row).square();
                distance = minimum(distance, (squared - along).clamp_min(0));
            }
            else
            {
                row = randn([x.shape[1]], dtype: ScalarType.Float64, generator: generator);
                row = row / row.norm();
            }
            rows.Add(row);
        }
        return stack(rows.ToArray()).MoveToOuterDisposeScope();
    }

    /// <summary>The centroids [k, d] (unit rows) after <paramref name="iterations"/> updates, and each cluster's size in the last assignment.</summary>
    public static (Tensor Centroids, long[] Sizes) Cluster(Tensor x, int k, int iterations, Generator generator)
    {
        using var scope = NewDisposeScope();
        var m = x.shape[0];
        var d = Seeds(x, k, generator);
        var sizes = new long[k];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var projection = x.matmul(d.t());
            var best = projection.abs().argmax(1, keepdim: true);
            // W·Sᵀ with S one non-zero per column: each point, times its code, added to its centroid.
            var codes = projection.gather(1, best);
            d = d.index_add(0, best.squeeze(1), x * codes, 1);
            d = d / d.norm(1, keepdim: true).clamp_min(1e-300);
            if (iteration == iterations - 1)
            {
                var counts = zeros([m, k], dtype: ScalarType.Float64).scatter_(1, best, ones([m, 1], dtype: ScalarType.Float64)).sum(0L);
                sizes = counts.data<double>().Select(c => (long)c).ToArray();
            }
        }
        return (d.MoveToOuterDisposeScope(), sizes);
    }
}

namespace Cnn.Functional.Torch;

/// <summary>How t-SNE computes its gradient.</summary>
public enum TsneMethod
{
    /// <summary>Exact below 1,000 points, Barnes–Hut from there.</summary>
    Auto,

    /// <summary>All N² pairs (van der Maaten &amp; Hinton 2008): O(N²) per iteration, for a few hundred points.</summary>
    Exact,

    /// <summary>Sparse input similarities over ⌊3·perplexity⌋ neighbours and a quadtree for the repulsion (van der Maaten 2014): O(N log N).</summary>
    BarnesHut,
}

/// <summary>
/// t-SNE's settings, defaulting to the papers': perplexity 30, 1,000 iterations, learning rate 200, early exaggeration
/// 12 for the first 250 iterations, momentum 0.5 then 0.8, and θ = 0.5 for Barnes–Hut.
/// </summary>
public sealed record TsneOptions(double Perplexity = 30, int Iterations = 1000, double LearningRate = 200, double Exaggeration = 12,
    int ExaggerationIterations = 250, double Theta = 0.5, TsneMethod Method = TsneMethod.Auto, int Seed = 1)
{
    internal void Check(int points)
    {
        if (points < 4) throw new ArgumentException($"t-SNE needs at least 4 points; got {points}", "points");
        if (!(Perplexity >= 1) || Perplexity > (points - 1) / 3.0)
            throw new ArgumentOutOfRangeException(nameof(Perplexity), Perplexity, $"the perplexity (an effective number of neighbours) must be at least 1 and at most (N − 1)/3 = {(points - 1) / 3.0:0.#} for {points} points");
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "at least 1");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "a positive finite number");
        if (!(Exaggeration >= 1) || !double.IsFinite(Exaggeration)) throw new ArgumentOutOfRangeException(nameof(Exaggeration), Exaggeration, "at least 1");
        if (ExaggerationIterations < 0) throw new ArgumentOutOfRangeException(nameof(ExaggerationIterations), ExaggerationIterations, "0 or more");
        if (!(Theta > 0) || Theta >= 1) throw new ArgumentOutOfRangeException(nameof(Theta), Theta, "in (0, 1)");
    }
}

/// <summary>Points in the plane, one per input point, with the final Kullback–Leibler divergence KL(P‖Q) and the method used.</summary>
public sealed record Embedding(EquatableArray<double> X, EquatableArray<double> Y, double KullbackLeibler, TsneMethod Method, EquatableArray<int> Labels, EquatableArray<string> ClassNames)
{
    public int Count => X.Count;
}

/// <summary>
/// t-distributed stochastic neighbour embedding (van der Maaten &amp; Hinton 2008, "Visualizing Data using t-SNE",
/// §3, eq. 1 and 4–5; Barnes–Hut: van der Maaten 2014, "Accelerating t-SNE using Tree-Based Algorithms", §4–5).
/// Input similarities p_(j|i) ∝ exp(−‖x_i − x_j‖² / 2σ_i²) with σ_i set so that each row's perplexity is the given
/// one, symmetrised p_ij = (p_(j|i) + p_(i|j)) / 2N; output similarities q_ij ∝ (1 + ‖y_i − y_j‖²)⁻¹; gradient
/// ∂C/∂y_i = 4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + ‖y_i − y_j‖²)⁻¹, followed with momentum and Jacobs's adaptive gains.
/// No .NET t-SNE package is served here, so this is written out; a test checks it on data with known clusters.
/// </summary>
public static class Tsne
{
    /// <summary>Embeds CNN codes in 2-D, keeping their labels for colouring.</summary>
    public static Embedding Embed(Codes codes, TsneOptions? options = null) =>
        Embed(codes.Vectors, options) with { Labels = codes.Labels.ToEquatableArray(), ClassNames = codes.ClassNames };

    /// <summary>Embeds <paramref name="points"/> (all of one dimension) in 2-D. Deterministic for a given seed.</summary>
    /// <exception cref="ArgumentException">Fewer than 4 points, points of different dimensions or with non-finite values, or a setting out of range.</exception>
    public static Embedding Embed(IReadOnlyList<float[]> points, TsneOptions? options = null)
    {
        var o = options ?? new TsneOptions();
        ArgumentNullException.ThrowIfNull(points);
        o.Check(points.Count);
        var dimension = points[0]?.Length ?? 0;
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i] is null || points[i].Length != dimension || dimension == 0)
                throw new ArgumentException($"every point must have the same, non-zero dimension; point 0 has {dimension}, point {i} has {points[i]?.Length ?? 0}", nameof(points));
            if (points[i].Any(v => !float.IsFinite(v))) throw new ArgumentException($"point {i} has a value that is not finite", nameof(points));
        }
        var method = o.Method == TsneMethod.Auto ? (points.Count < 1000 ? TsneMethod.Exact : TsneMethod.BarnesHut) : o.Method;
        var n = points.Count;
        var p = method == TsneMethod.Exact ? TsneAffinities.Exact(points, o.Perplexity) : TsneAffinities.Sparse(points, o.Perplexity);
        var random = new Random(o.Seed);
        var y = new double[2 * n];
        // Initial solution from an isotropic Gaussian of small variance (10⁻⁴), as in the paper's Algorithm 1.
        for (var i = 0; i < y.Length; i++) y[i] = 1e-2 * Gaussian(random);
        var update = new double[2 * n];
        var gains = Enumerable.Repeat(1.0, 2 * n).ToArray();
        var gradient = new double[2 * n];
        for (var iteration = 0; iteration < o.Iterations; iteration++)
        {
            var exaggeration = iteration < o.ExaggerationIterations ? o.Exaggeration : 1;
            if (method == TsneMethod.Exact) TsneGradient.Exact(p, y, exaggeration, gradient);
            else TsneGradient.BarnesHut(p, y, exaggeration, o.Theta, gradient);
            var momentum = iteration < 250 ? 0.5 : 0.8;
            for (var i = 0; i < y.Length; i++)
            {
                // Jacobs (1988): grow the gain where the gradient keeps its direction, shrink it where it flips.
                gains[i] = Math.Sign(gradient[i]) != Math.Sign(update[i]) ? gains[i] + 0.2 : Math.Max(0.01, gains[i] * 0.8);
                update[i] = momentum * update[i] - o.LearningRate * gains[i] * gradient[i];
                y[i] += update[i];
            }
            Center(y);
        }
        var kl = TsneGradient.KullbackLeibler(p, y);
        return new Embedding(Enumerable.Range(0, n).Select(i => y[2 * i]).ToEquatableArray(), Enumerable.Range(0, n).Select(i => y[2 * i + 1]).ToEquatableArray(),
            kl, method, EquatableArray<int>.Empty, EquatableArray<string>.Empty);
    }

    private static void Center(double[] y)
    {
        var n = y.Length / 2;
        double mx = 0, my = 0;
        for (var i = 0; i < n; i++) { mx += y[2 * i]; my += y[2 * i + 1]; }
        mx /= n;
        my /= n;
        for (var i = 0; i < n; i++) { y[2 * i] -= mx; y[2 * i + 1] -= my; }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

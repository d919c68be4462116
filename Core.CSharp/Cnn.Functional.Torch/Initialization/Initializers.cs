namespace Cnn.Functional.Torch;

/// <summary>
/// One-line factories for the initialisation schemes, returning the base type <see cref="Initializer"/> (so an F#
/// list of them needs no upcasts), and the parser of their string form.
/// </summary>
/// <example><code>
/// var plan = InitializationPlan.Default(Initializers.HeNormal())
///     .With("features/conv1", Initializers.ConvKMeans(iterations: 20))
///     .With("classifier", Initializers.XavierUniform());
/// </code></example>
public static class Initializers
{
    /// <summary>The lecture's standard U[−1/√n_in, 1/√n_in] for weights and biases (see <see cref="Torch.Standard"/>).</summary>
    public static Initializer Standard() => new Standard();

    /// <summary>Glorot &amp; Bengio's uniform scheme, Var(w) = gain²·2/(n_in + n_out) (see <see cref="Torch.XavierUniform"/>).</summary>
    public static Initializer XavierUniform(double gain = 1.0) => new XavierUniform(gain);

    /// <summary>Glorot &amp; Bengio's normal scheme, σ = gain·√(2/(n_in + n_out)) (see <see cref="Torch.XavierNormal"/>).</summary>
    public static Initializer XavierNormal(double gain = 1.0) => new XavierNormal(gain);

    /// <summary>He et al.'s normal scheme, σ = √(2/(1 + a²))/√n (see <see cref="Torch.HeNormal"/>).</summary>
    public static Initializer HeNormal(FanMode mode = FanMode.FanIn, double negativeSlope = 0.0) => new HeNormal(mode, negativeSlope);

    /// <summary>He et al.'s uniform scheme, bound √(2/(1 + a²))·√(3/n) (see <see cref="Torch.HeUniform"/>).</summary>
    public static Initializer HeUniform(FanMode mode = FanMode.FanIn, double negativeSlope = 0.0) => new HeUniform(mode, negativeSlope);

    /// <summary>Xiao et al.'s delta-orthogonal kernel: an orthogonal centre tap, zeros elsewhere (see <see cref="Torch.DeltaOrthogonal"/>).</summary>
    public static Initializer DeltaOrthogonal(double gain = 1.0) => new DeltaOrthogonal(gain);

    /// <summary>The identity kernel of <c>dirac_</c> (see <see cref="Torch.Dirac"/>).</summary>
    public static Initializer Dirac() => new Dirac();

    /// <summary>Filters learned from sample images by convolutional k-means (see <see cref="Torch.ConvKMeans"/>).</summary>
    public static Initializer ConvKMeans(int patches = 10000, int iterations = 10, bool whiten = false, double epsilon = 0.1,
        double whiteningEpsilon = 0.1, double gain = 1.0) =>
        new ConvKMeans(patches, iterations, whiten, epsilon, whiteningEpsilon, gain);

    /// <summary>The names the string form accepts, in the order errors list them.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["standard", "xavier-uniform", "xavier-normal", "he-normal", "he-uniform", "delta-orthogonal", "dirac", "conv-kmeans"];

    /// <summary>
    /// Reads one scheme: a name from <see cref="Names"/>, optionally followed by arguments in parentheses, e.g.
    /// <c>xavier-uniform(gain=1.5)</c>, <c>he-normal(mode=fan-out, slope=0.2)</c>,
    /// <c>conv-kmeans(patches=5000, iterations=20, whiten=true)</c>. <see cref="Initializer.ToString"/> writes this form.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name (the message lists the valid ones), an unknown or malformed argument, or an invalid value.</exception>
    public static Initializer Parse(string text) => InitializerSyntax.Scheme(text);
}

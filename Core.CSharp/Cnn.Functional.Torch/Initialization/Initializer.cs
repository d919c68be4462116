using System.Globalization;

namespace Cnn.Functional.Torch;

/// <summary>
/// An initialisation scheme: a small immutable value that says how the weights of a layer are drawn, applied to
/// a lowered graph by <see cref="Initialization.Apply"/> (make one with <see cref="Initializers"/>). Every scheme
/// works on one weight tensor at a time with its fan-in n_in (inputs per output unit) and fan-out n_out (outputs per
/// input unit): for a convolution weight [F, C/G, *K], n_in = (C/G)·ΠK and n_out = (F/G)·ΠK; for a dense weight
/// [U, I], n_in = I and n_out = U (see <see cref="Initialization"/> for every layer kind).
/// </summary>
/// <remarks>
/// The lecture (CENG501, "Initial weight normalization"): for s = Σᵢ wᵢxᵢ with n inputs, Var(s) = n·Var(w)·Var(x),
/// so the weights' scale must shrink like 1/√n or activations explode or vanish with depth. The schemes differ in
/// which n and which target they use. <see cref="ToString"/> writes the scheme as <see cref="Initializers.Parse"/>
/// reads it, e.g. <c>he-normal(mode=fan-out)</c>.
/// </remarks>
public abstract record Initializer
{
    private protected Initializer() { }

    /// <summary>The scheme's name as the string form writes it: <c>standard</c>, <c>xavier-uniform</c>, ….</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Whether the scheme sets biases to zero (true for all but <see cref="Standard"/>, which draws them like
    /// PyTorch's default from U[−1/√n_in, 1/√n_in]).
    /// </summary>
    public virtual bool ZeroBias => true;

    /// <summary>The scheme as text, <see cref="Initializers.Parse"/>'s syntax: the name, then any non-default arguments.</summary>
    public sealed override string ToString()
    {
        var arguments = Arguments().ToList();
        return arguments.Count == 0 ? Name : $"{Name}({string.Join(", ", arguments)})";
    }

    /// <summary>The arguments that differ from their defaults, as <c>key=value</c>.</summary>
    private protected virtual IEnumerable<string> Arguments() => [];

    /// <summary>What is wrong with the scheme's arguments (empty when it is valid).</summary>
    internal virtual IEnumerable<string> Problems() => [];

    private protected static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private protected static IEnumerable<string> PositiveGain(double gain) =>
        double.IsFinite(gain) && gain > 0 ? [] : [$"gain must be a positive finite number; got {Number(gain)}"];
}

/// <summary>Which fan a He (Kaiming) scheme keeps constant: forward activations (fan-in) or backward gradients (fan-out).</summary>
public enum FanMode
{
    /// <summary>Var(w) = gain²/n_in: activations keep their variance in the forward pass (He et al.'s default).</summary>
    FanIn,

    /// <summary>Var(w) = gain²/n_out: gradients keep their variance in the backward pass.</summary>
    FanOut,
}

/// <summary>
/// The lecture's standard initialisation, w ~ U[−1/√n, 1/√n] with n the fan-in, so n·Var(w) = 1/3 (Var of U[−r, r]
/// is r²/3). It is PyTorch's default and what <see cref="GraphModule.Create(Graph)"/> already draws (from the global
/// generator); biases are drawn from the same range.
/// </summary>
public sealed record Standard() : Initializer
{
    public override string Name => "standard";

    public override bool ZeroBias => false;
}

/// <summary>
/// Xavier/Glorot uniform (Glorot &amp; Bengio, 2010; the lecture's "normalized initialization"):
/// w ~ U[−gain·√6/√(n_in + n_out), +gain·√6/√(n_in + n_out)], so Var(w) = gain²·2/(n_in + n_out), the compromise
/// between keeping forward (n_in·Var = 1) and backward (n_out·Var = 1) variances for symmetric activations such as
/// tanh. Biases are zero.
/// </summary>
public sealed record XavierUniform(double Gain = 1.0) : Initializer
{
    public override string Name => "xavier-uniform";

    private protected override IEnumerable<string> Arguments() => Gain == 1.0 ? [] : [$"gain={Number(Gain)}"];

    internal override IEnumerable<string> Problems() => PositiveGain(Gain);
}

/// <summary>
/// Xavier/Glorot normal (Glorot &amp; Bengio, 2010): w ~ N(0, σ²) with σ = gain·√2/√(n_in + n_out), the same
/// variance as <see cref="XavierUniform"/>. Biases are zero.
/// </summary>
public sealed record XavierNormal(double Gain = 1.0) : Initializer
{
    public override string Name => "xavier-normal";

    private protected override IEnumerable<string> Arguments() => Gain == 1.0 ? [] : [$"gain={Number(Gain)}"];

    internal override IEnumerable<string> Problems() => PositiveGain(Gain);
}

/// <summary>
/// He/Kaiming normal (He et al., 2015, "Delving deep into rectifiers"): w ~ N(0, σ²) with σ = gain/√n, n the fan-in
/// (or the fan-out with <see cref="FanMode.FanOut"/>) and gain = √(2/(1 + a²)) for a leaky ReLU of negative slope a —
/// √2 for ReLU, which zeroes half of its inputs and so halves the variance each layer. Biases are zero.
/// </summary>
public sealed record HeNormal(FanMode Mode = FanMode.FanIn, double NegativeSlope = 0.0) : Initializer
{
    public override string Name => "he-normal";

    /// <summary>√(2/(1 + a²)), PyTorch's <c>calculate_gain('leaky_relu', a)</c>.</summary>
    public double Gain => Math.Sqrt(2 / (1 + NegativeSlope * NegativeSlope));

    private protected override IEnumerable<string> Arguments() => HeArguments.Of(Mode, NegativeSlope);

    internal override IEnumerable<string> Problems() => HeArguments.Problems(Mode, NegativeSlope);
}

/// <summary>
/// He/Kaiming uniform (He et al., 2015): w ~ U[−gain·√(3/n), gain·√(3/n)], the variance of <see cref="HeNormal"/>
/// (gain²/n) from a uniform distribution. Biases are zero.
/// </summary>
public sealed record HeUniform(FanMode Mode = FanMode.FanIn, double NegativeSlope = 0.0) : Initializer
{
    public override string Name => "he-uniform";

    /// <summary>√(2/(1 + a²)), PyTorch's <c>calculate_gain('leaky_relu', a)</c>.</summary>
    public double Gain => Math.Sqrt(2 / (1 + NegativeSlope * NegativeSlope));

    private protected override IEnumerable<string> Arguments() => HeArguments.Of(Mode, NegativeSlope);

    internal override IEnumerable<string> Problems() => HeArguments.Problems(Mode, NegativeSlope);
}

/// <summary>
/// Delta-orthogonal (Xiao et al., 2018, "Dynamical isometry and a mean field theory of CNNs", Algorithm 2): every
/// spatial tap of the kernel is zero except the centre, which is gain·H with H a random orthogonal matrix of F/G rows
/// and C/G columns per group (QR of a Gaussian matrix, columns' signs fixed by R's diagonal so H is Haar-distributed).
/// HᵀH = I, so a stride-1 convolution with this kernel maps each position's channel vector isometrically and a deep
/// stack of them preserves the input's norm exactly (gain 1, no nonlinearity). Needs odd kernels (a centre tap) and
/// F/G ≥ C/G. A dense weight is its own centre (Saxe et al.'s orthogonal initialisation). Biases are zero.
/// </summary>
public sealed record DeltaOrthogonal(double Gain = 1.0) : Initializer
{
    public override string Name => "delta-orthogonal";

    private protected override IEnumerable<string> Arguments() => Gain == 1.0 ? [] : [$"gain={Number(Gain)}"];

    internal override IEnumerable<string> Problems() => PositiveGain(Gain);
}

/// <summary>
/// Dirac: the identity kernel of <c>torch.nn.init.dirac_</c> (as in DiracNets, Zagoruyko &amp; Komodakis, 2017),
/// w[g·F/G + i, i, centre] = 1 for i &lt; min(F/G, C/G) in each group g, every other entry 0. With 'same' padding
/// and stride 1 the convolution passes input channel i to output channel i unchanged. Needs a spatial kernel of
/// odd size. Biases are zero.
/// </summary>
public sealed record Dirac() : Initializer
{
    public override string Name => "dirac";
}

/// <summary>
/// Filters learned from the data by convolutional k-means (Dundar, Jin &amp; Culurciello, 2015, §3.1, after Coates
/// &amp; Ng, 2012, "Learning feature representations with k-means"): <see cref="Patches"/> random windows of the
/// layer's input (the sample images run through the already initialised layers before it) are each normalised to
/// zero mean and unit spread, (x − mean)/(std + <see cref="Epsilon"/>), optionally ZCA-whitened
/// (<see cref="Whiten"/>, with <see cref="WhiteningEpsilon"/> added to the covariance's eigenvalues), and clustered by
/// spherical k-means with k = F/G, the layer's filters per group, for <see cref="Iterations"/> rounds of the paper's
/// eq. 1: each patch is assigned to the centroid with the largest |Dᵀw|, D := W·Sᵀ + D, columns renormalised.
/// Centroids start from k-means++ seeding (Arthur &amp; Vassilvitskii, 2007) with eq. 1's sign-blind distance, rather
/// than Coates &amp; Ng's random directions, which can leave one centroid between two clusters; an empty cluster keeps
/// its centroid. The centroids become the filters,
/// most populous first: the whitening, being linear, is folded into them (w = W_zca·d, so the filter applied to the
/// raw input gives the centroid's response to the whitened input), then each filter is scaled to norm
/// <see cref="Gain"/> (‖w‖² = gain² is the variance gain of a filter on uncorrelated unit-variance inputs; He's
/// scheme has E‖w‖² = 2, i.e. gain √2). The per-patch contrast normalisation is not linear and is used only for
/// learning, which is the "simple" variant of the paper's convolutional clustering: patches are drawn at random
/// rather than mined from the windows the current filters explain worst. Biases are zero.
/// </summary>
/// <param name="Patches">How many random windows to cluster (with replacement; for a dense layer, how many examples at most).</param>
/// <param name="Iterations">Rounds of the spherical k-means update.</param>
/// <param name="Whiten">Whether to ZCA-whiten the normalised patches (Coates &amp; Ng found it essential on natural images).</param>
/// <param name="Epsilon">Added to each patch's standard deviation before dividing, so flat patches become ≈ 0, not noise.</param>
/// <param name="WhiteningEpsilon">Added to the eigenvalues of the patch covariance before the inverse square root.</param>
/// <param name="Gain">The norm of every learned filter.</param>
public sealed record ConvKMeans(
    int Patches = 10000,
    int Iterations = 10,
    bool Whiten = false,
    double Epsilon = 0.1,
    double WhiteningEpsilon = 0.1,
    double Gain = 1.0) : Initializer
{
    public override string Name => "conv-kmeans";

    private protected override IEnumerable<string> Arguments()
    {
        if (Patches != 10000) yield return $"patches={Patches.ToString(CultureInfo.InvariantCulture)}";
        if (Iterations != 10) yield return $"iterations={Iterations.ToString(CultureInfo.InvariantCulture)}";
        if (Whiten) yield return "whiten=true";
        if (Epsilon != 0.1) yield return $"epsilon={Number(Epsilon)}";
        if (WhiteningEpsilon != 0.1) yield return $"whitening-epsilon={Number(WhiteningEpsilon)}";
        if (Gain != 1.0) yield return $"gain={Number(Gain)}";
    }

    internal override IEnumerable<string> Problems()
    {
        if (Patches < 1) yield return $"patches must be at least 1; got {Patches}";
        if (Iterations < 1) yield return $"iterations must be at least 1; got {Iterations}";
        if (!double.IsFinite(Epsilon) || Epsilon <= 0) yield return $"epsilon must be a positive finite number; got {Number(Epsilon)}";
        if (!double.IsFinite(WhiteningEpsilon) || WhiteningEpsilon <= 0) yield return $"whitening-epsilon must be a positive finite number; got {Number(WhiteningEpsilon)}";
        foreach (var problem in PositiveGain(Gain)) yield return problem;
    }
}

/// <summary>The arguments shared by the two He schemes.</summary>
internal static class HeArguments
{
    public static IEnumerable<string> Of(FanMode mode, double slope)
    {
        if (mode == FanMode.FanOut) yield return "mode=fan-out";
        if (slope != 0) yield return $"slope={slope.ToString("R", CultureInfo.InvariantCulture)}";
    }

    public static IEnumerable<string> Problems(FanMode mode, double slope)
    {
        if (!Enum.IsDefined(mode)) yield return $"unknown fan mode {(int)mode}";
        if (!double.IsFinite(slope)) yield return $"the negative slope must be finite; got {slope.ToString("R", CultureInfo.InvariantCulture)}";
    }
}

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
/// is r²/3). It is PyTorch's default and what <see cref="GraphModule.Create(Graph, MemoryLimits)"/> already draws (from the global
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
/// &amp; Ng, 2012, "Learning feature representations with k-means"), the lecture's "option 2": unsupervised filters
/// from image patches.
/// <list type="number">
/// <item>Patches: <see cref="Patches"/> windows of the layer's input, drawn uniformly over examples and positions — the
/// sample images run through the layers before it, already initialised by the same plan (the paper's layer-by-layer
/// learning) — with the layer's kernel and dilation. For a dense layer the "patches" are its input vectors.</item>
/// <item>Each patch is normalised, (x − mean)/(std + <see cref="Epsilon"/>), with ε in the units of the layer's input
/// (0.1 suits images in [0, 1] or standardised ones), so that flat patches become ≈ 0 rather than amplified noise; then,
/// with <see cref="Whiten"/>, ZCA-whitened by W = U·diag(1/√(λ + <see cref="WhiteningEpsilon"/>))·Uᵀ.</item>
/// <item>Spherical k-means with k = F/G (the layer's filters per group, learned from the group's C/G channels), for
/// <see cref="Iterations"/> rounds of the paper's eq. 1: each patch is coded by the centroid with the largest |Dᵀw|,
/// D := W·Sᵀ + D, and the columns renormalised (an empty cluster keeps its centroid). Centroids start from k-means++
/// seeding (Arthur &amp; Vassilvitskii, 2007) with that sign-blind distance, rather than Coates &amp; Ng's random
/// directions, which can leave one centroid between two clusters.</item>
/// <item>The centroids become the filters, most populous cluster first. Whitening is linear, so it is folded in
/// (w = W·d: the filter on the raw input responds as the centroid does on the whitened input); the per-patch
/// normalisation is not, and serves the learning only. Each filter is scaled to norm <see cref="Gain"/>: on
/// uncorrelated unit-variance inputs a filter multiplies the variance by ‖w‖², so gain 1 keeps it, and gain √2 matches
/// He's E‖w‖² = 2 before a ReLU.</item>
/// </list>
/// This is the simple variant of the paper's convolutional clustering: windows are drawn at random rather than chosen
/// where the current filters respond least. Biases are zero. It applies to layers with one shared filter bank: conv,
/// binary conv, deformable conv (its main weight), coordinate conv (on the input with its coordinate channels), Dirac
/// conv and dense layers.
/// </summary>
/// <param name="Patches">How many random windows to cluster (with replacement; for a dense layer, how many input vectors at most).</param>
/// <param name="Iterations">Rounds of the spherical k-means update.</param>
/// <param name="Whiten">Whether to ZCA-whiten the normalised patches (Coates &amp; Ng found it helps on natural images).</param>
/// <param name="Epsilon">Added to each patch's standard deviation before dividing (in the units of the layer's input).</param>
/// <param name="WhiteningEpsilon">Added to the eigenvalues of the normalised patches' covariance before the inverse square root.</param>
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

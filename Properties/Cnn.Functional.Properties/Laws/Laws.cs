namespace Cnn.Functional.Properties;

/// <summary>
/// The laws of the library's layers, as values. Check one against a layer of your own
/// (<c>Laws.TranslationEquivariance.Check(Subject.For(myLayer, Shape.Image(3, 10, 10)))</c>), against a family of
/// generated layers, or every applicable law against every node of a graph with <see cref="GraphLaws.Check"/>.
/// </summary>
public static class Laws
{
    /// <summary>Convolution commutes with translation by multiples of its stride (circular padding: everywhere; else: the interior).</summary>
    public static Law TranslationEquivariance { get; } = new TranslationEquivariance();

    /// <summary>Global pooling is invariant to circular shifts.</summary>
    public static Law CircularShiftInvariance { get; } = new CircularShiftInvariance();

    /// <summary>Global pooling is invariant to any permutation of the positions.</summary>
    public static Law SpatialPermutationInvariance { get; } = new SpatialPermutationInvariance();

    /// <summary>Pooling is invariant to permutations within each (non-overlapping) window.</summary>
    public static Law WindowPermutationInvariance { get; } = new WindowPermutationInvariance();

    /// <summary>Convolution (and every linear layer) without bias is linear.</summary>
    public static Law Linearity { get; } = new Linearity();

    /// <summary>A 1×1 convolution is a fully connected layer at every pixel.</summary>
    public static Law PointwiseDense { get; } = new PointwiseDense();

    /// <summary>A spatially separable convolution is the full convolution with the rank-1 kernel.</summary>
    public static Law SeparableRankOne { get; } = new SeparableRankOne();

    /// <summary>A depthwise-separable convolution is a group convolution with groups = channels, then a 1×1 convolution.</summary>
    public static Law DepthwiseSeparableDecomposition { get; } = new DepthwiseSeparableDecomposition();

    /// <summary>A group convolution is the concatenation of independent convolutions.</summary>
    public static Law GroupDecomposition { get; } = new GroupDecomposition();

    /// <summary>Transposed convolution is the adjoint of convolution: ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩.</summary>
    public static Law Adjoint { get; } = new Adjoint();

    /// <summary>Autograd through a convolution equals the lecture's closed forms (a full convolution with the flipped kernel).</summary>
    public static Law ConvBackprop { get; } = new ConvBackprop();

    /// <summary>Max pooling routes the gradient to each window's arg-max (the switches).</summary>
    public static Law MaxPoolSwitches { get; } = new MaxPoolSwitches();

    /// <summary>Dropout in evaluation mode is the identity.</summary>
    public static Law DropoutEvalIdentity { get; } = new DropoutEvalIdentity();

    /// <summary>Dropout in training drops a fraction p, scales survivors by 1/(1 − p), and has expectation x.</summary>
    public static Law DropoutExpectation { get; } = new DropoutExpectation();

    /// <summary>Batch normalisation in training gives each channel mean 0 and variance ≈ 1.</summary>
    public static Law BatchNormStandardizes { get; } = new BatchNormStandardizes();

    /// <summary>A Dirac-initialised convolution is the identity.</summary>
    public static Law DiracIdentity { get; } = new DiracIdentity();

    /// <summary>A residual block with its branch's last weights zeroed is the identity.</summary>
    public static Law ZeroResidualIdentity { get; } = new ZeroResidualIdentity();

    /// <summary>The fully convolutional conversion of a classifier computes the same outputs on the original input size.</summary>
    public static Law FullyConvolutionalEquivalence { get; } = new FullyConvolutionalEquivalence();

    /// <summary>The lowered module's output shape is the inferred one.</summary>
    public static Law ShapeInference { get; } = new ShapeInference();

    /// <summary>Every law above, in this order.</summary>
    public static IReadOnlyList<Law> All { get; } =
    [
        TranslationEquivariance, CircularShiftInvariance, SpatialPermutationInvariance, WindowPermutationInvariance,
        Linearity, PointwiseDense, SeparableRankOne, DepthwiseSeparableDecomposition, GroupDecomposition,
        Adjoint, ConvBackprop, MaxPoolSwitches, DropoutEvalIdentity, DropoutExpectation, BatchNormStandardizes,
        DiracIdentity, ZeroResidualIdentity, FullyConvolutionalEquivalence, ShapeInference,
    ];

    /// <summary>The law called <paramref name="name"/> (as in <see cref="Law.Name"/>), or null.</summary>
    public static Law? Find(string name) => All.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));
}

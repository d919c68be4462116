namespace Cnn.Functional;

/// <summary>
/// One-line factories for every layer, with the defaults a PyTorch or Keras user expects. Each returns
/// <see cref="Layer"/>, so layers of different kinds form a list without casts (also in F#:
/// <c>[ Layers.Conv(6, 5); Layers.Relu() ]</c>). No parameter is named like an F# keyword. Sizes take an int for "the same in every dimension" or
/// <see cref="Size.Of"/> for one number per dimension.
/// </summary>
public static class Layers
{
    public static Layer Input(Shape shape) => new Input(shape);

    // ---- convolutions -------------------------------------------------------------------------------

    /// <summary>Convolution (1-D, 2-D or 3-D by the input's rank). Stride 1, no padding, dilation 1 unless given.</summary>
    public static Layer Conv(int filters, Size kernel, Size? stride = null, Padding? padding = null, Size? dilation = null,
        int groups = 1, bool bias = true, Rounding rounding = Rounding.Exact, PaddingMode paddingMode = PaddingMode.Zeros) =>
        new Conv(filters, kernel, stride ?? 1, padding ?? Padding.Valid, dilation ?? 1, groups, bias, rounding, paddingMode);

    /// <summary>The 1×1 convolution: mixes channels at each position (reduces or expands them).</summary>
    public static Layer Conv1x1(int filters, bool bias = true) => Conv(filters, 1, bias: bias);

    /// <summary>Group convolution: <paramref name="groups"/> independent convolutions over channel groups.</summary>
    public static Layer GroupConv(int filters, Size kernel, int groups, Size? stride = null, Padding? padding = null, bool bias = true) =>
        Conv(filters, kernel, stride, padding, groups: groups, bias: bias);

    /// <summary>Dilated (atrous) convolution; a 3×3 kernel with dilation D covers 2D + 1 pixels.</summary>
    public static Layer DilatedConv(int filters, Size kernel, Size dilation, Padding? padding = null, bool bias = true) =>
        Conv(filters, kernel, padding: padding, dilation: dilation, bias: bias);

    /// <summary>Transposed convolution (upsampling).</summary>
    public static Layer ConvTranspose(int filters, Size kernel, Size? stride = null, Size? padding = null, Size? outputPadding = null,
        Size? dilation = null, int groups = 1, bool bias = true) =>
        new ConvTranspose(filters, kernel, stride ?? 1, padding ?? 0, outputPadding ?? 0, dilation ?? 1, groups, bias);

    public static Layer SpatiallySeparableConv(int filters, Size kernel, Size? stride = null, Padding? padding = null, bool bias = true,
        Rounding rounding = Rounding.Exact) =>
        new SpatiallySeparableConv(filters, kernel, stride ?? 1, padding ?? Padding.Valid, bias, rounding);

    public static Layer DepthwiseSeparableConv(int filters, Size kernel, Size? stride = null, Padding? padding = null, Size? dilation = null,
        int depthMultiplier = 1, bool bias = true, Rounding rounding = Rounding.Exact) =>
        new DepthwiseSeparableConv(filters, kernel, stride ?? 1, padding ?? Padding.Valid, dilation ?? 1, depthMultiplier, bias, rounding);

    /// <summary>Unshared convolution: a convolution's geometry with separate weights at every position.</summary>
    public static Layer LocallyConnected(int filters, Size kernel, Size? stride = null, Padding? padding = null, bool bias = true,
        Rounding rounding = Rounding.Exact) =>
        new LocallyConnected(filters, kernel, stride ?? 1, padding ?? Padding.Valid, bias, rounding);

    public static Layer DeformableConv(int filters, Size kernel, Size? stride = null, Padding? padding = null, Size? dilation = null,
        int groups = 1, int offsetGroups = 1, bool bias = true, Rounding rounding = Rounding.Exact) =>
        new DeformableConv(filters, kernel, stride ?? 1, padding ?? Padding.Valid, dilation ?? 1, groups, offsetGroups, bias, rounding);

    public static Layer CoordConv(int filters, Size kernel, Size? stride = null, Padding? padding = null, Size? dilation = null,
        bool withRadius = false, bool bias = true, Rounding rounding = Rounding.Exact) =>
        new CoordConv(filters, kernel, stride ?? 1, padding ?? Padding.Valid, dilation ?? 1, withRadius, bias, rounding);

    // ---- pooling ------------------------------------------------------------------------------------

    /// <summary>Pooling of any kind; the stride defaults to the window (non-overlapping).</summary>
    public static Layer Pool(PoolKind pooling, Size window, Size? stride = null, Padding? padding = null, Rounding rounding = Rounding.Exact) =>
        new Pool(pooling, window, stride ?? window, padding ?? Padding.Valid, rounding);

    public static Layer MaxPool(Size window, Size? stride = null, Padding? padding = null, Rounding rounding = Rounding.Exact) =>
        Pool(PoolKind.Max, window, stride, padding, rounding);

    public static Layer AvgPool(Size window, Size? stride = null, Padding? padding = null, Rounding rounding = Rounding.Exact) =>
        Pool(PoolKind.Average, window, stride, padding, rounding);

    public static Layer SumPool(Size window, Size? stride = null, Padding? padding = null, Rounding rounding = Rounding.Exact) =>
        Pool(PoolKind.Sum, window, stride, padding, rounding);

    public static Layer L2Pool(Size window, Size? stride = null, Padding? padding = null, Rounding rounding = Rounding.Exact) =>
        Pool(PoolKind.L2, window, stride, padding, rounding);

    /// <summary>Overlapping max pooling, AlexNet's F = 3, S = 2 by default.</summary>
    public static Layer OverlappingMaxPool(int window = 3, int stride = 2, Rounding rounding = Rounding.Exact) =>
        Pool(PoolKind.Max, window, stride, rounding: rounding);

    public static Layer GlobalAvgPool() => new GlobalPool(PoolKind.Average);

    public static Layer GlobalMaxPool() => new GlobalPool(PoolKind.Max);

    public static Layer GlobalPool(PoolKind pooling) => new GlobalPool(pooling);

    public static Layer AdaptiveAvgPool(Size output) => new AdaptivePool(PoolKind.Average, output);

    public static Layer AdaptiveMaxPool(Size output) => new AdaptivePool(PoolKind.Max, output);

    // ---- nonlinearities -----------------------------------------------------------------------------

    public static Layer Activation(ActivationFunction activation, double alpha = 0) => new Activation(activation, alpha);

    public static Layer Sigmoid() => Activation(ActivationFunction.Sigmoid);

    public static Layer Tanh() => Activation(ActivationFunction.Tanh);

    public static Layer Relu() => Activation(ActivationFunction.Relu);

    public static Layer LeakyRelu(double slope = 0.01) => Activation(ActivationFunction.LeakyRelu, slope);

    /// <summary>Parametric ReLU: one learned slope per channel, initialised to <paramref name="initialSlope"/>.</summary>
    public static Layer PRelu(double initialSlope = 0.25) => Activation(ActivationFunction.PRelu, initialSlope);

    public static Layer Elu(double alpha = 1.0) => Activation(ActivationFunction.Elu, alpha);

    public static Layer Selu() => Activation(ActivationFunction.Selu);

    public static Layer Gelu() => Activation(ActivationFunction.Gelu);

    public static Layer Relu6() => Activation(ActivationFunction.Relu6);

    public static Layer Silu() => Activation(ActivationFunction.Silu);

    public static Layer Softplus() => Activation(ActivationFunction.Softplus);

    public static Layer Softmax() => new Softmax(false);

    public static Layer LogSoftmax() => new Softmax(true);

    // ---- normalisation and regularisation -----------------------------------------------------------

    /// <summary>Local response normalisation with Krizhevsky's constants by default: n = 5, α = 10⁻⁴, β = 0.75, k = 2.</summary>
    public static Layer LocalResponseNorm(int size = 5, double alpha = 1e-4, double beta = 0.75, double k = 2) =>
        new LocalResponseNorm(size, alpha, beta, k);

    public static Layer BatchNorm(double epsilon = 1e-5, double momentum = 0.1, bool affine = true) => new BatchNorm(epsilon, momentum, affine);

    public static Layer LayerNorm(double epsilon = 1e-5, bool affine = true) => new LayerNorm(epsilon, affine);

    public static Layer InstanceNorm(double epsilon = 1e-5, bool affine = false, bool trackRunningStats = false) =>
        new InstanceNorm(epsilon, affine, trackRunningStats);

    public static Layer GroupNorm(int groups, double epsilon = 1e-5, bool affine = true) => new GroupNorm(groups, epsilon, affine);

    public static Layer Dropout(double rate = 0.5) => new Dropout(rate, false);

    /// <summary>Drops whole channels (Dropout2d/3d).</summary>
    public static Layer SpatialDropout(double rate = 0.5) => new Dropout(rate, true);

    // ---- fully connected ----------------------------------------------------------------------------

    public static Layer Dense(int units, bool bias = true) => new Dense(units, bias);

    public static Layer Flatten() => new Flatten();

    // ---- merges -------------------------------------------------------------------------------------

    public static Layer Concat() => new Concat();

    public static Layer Add() => new Add();

    public static Layer HighwayGate() => new HighwayGate();

    /// <summary>Σᵢ σ(wᵢ)·xᵢ with learned wᵢ: a randomly wired network's node aggregation.</summary>
    public static Layer WeightedSum() => new WeightedSum();

    // ---- LeNet-5 (1998), binary networks, DiracNets ----------------------------------------------

    /// <summary>Convolution where filter f reads only the input channels in row f of <paramref name="connections"/>.</summary>
    public static Layer PartialConv(IEnumerable<IEnumerable<int>> connections, Size kernel, Size? stride = null, Padding? padding = null, bool bias = true) =>
        new PartialConv(connections.Select(row => row.ToEquatableArray()).ToEquatableArray(), kernel, stride ?? 1, padding ?? Padding.Valid, bias);

    /// <summary>LeNet's trainable subsampling: window sum × coefficient + bias, per channel.</summary>
    public static Layer Subsampling(Size window, Size? stride = null) => new Subsampling(window, stride ?? window);

    /// <summary>LeNet's fixed Euclidean RBF output units.</summary>
    public static Layer RbfOutput(int units) => new RbfOutput(units);

    /// <summary>A binary convolution: Binary-Weight-Network by default, XNOR-Net with <see cref="Binarization.WeightsAndInputs"/>.</summary>
    public static Layer BinaryConv(int filters, Size kernel, Size? stride = null, Padding? padding = null, int groups = 1, bool bias = true,
        Binarization mode = Binarization.Weights, Rounding rounding = Rounding.Exact) =>
        new BinaryConv(filters, kernel, stride ?? 1, padding ?? Padding.Valid, groups, bias, mode, rounding);

    public static Layer BinaryDense(int units, bool bias = true, Binarization mode = Binarization.Weights) => new BinaryDense(units, bias, mode);

    /// <summary>A Dirac-parameterised convolution (stride 1; the identity part covers min(filters, input channels)).</summary>
    public static Layer DiracConv(int filters, Size kernel, Padding? padding = null, Size? dilation = null, bool bias = true) =>
        new DiracConv(filters, kernel, padding ?? Padding.Valid, dilation ?? 1, bias);
}

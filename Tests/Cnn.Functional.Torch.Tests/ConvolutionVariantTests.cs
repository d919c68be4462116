using TorchSharp;
using static Cnn.Functional.Tests.OneLayer;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Tests;

/// <summary>
/// The lowered transposed, separable, unshared and position-sensitive convolutions compute what their definitions
/// say, each checked against an independent formulation on small random inputs.
/// </summary>
public class ConvolutionVariantTests
{
    [Fact]
    public void ConvTranspose_is_the_adjoint_of_the_convolution_with_the_same_weight()
    {
        torch.manual_seed(1);
        // [4, 5, 5] → [6, 10, 10]: (5 − 1)·2 + 3 − 2·1 + 1 = 10; the convolution with the same weight maps back, ⌊(10 + 2 − 3)/2⌋ + 1 = 5.
        using var module = Lower(Layers.ConvTranspose(6, 3, stride: 2, padding: 1, outputPadding: 1, groups: 2, bias: false), Shape.Image(4, 5, 5));
        using var scope = NewDisposeScope();
        var y = randn(2, 4, 5, 5);
        var x = randn(2, 6, 10, 10);
        var weight = module.Parameter("layer.weight");
        Assert.Equal(new long[] { 4, 3, 3, 3 }, weight.shape);
        var transposed = module.forward(y);
        var convolved = F.conv2d(x, weight, null, [2, 2], [1, 1], [1, 1], groups: 2);
        // ⟨Tᵀy, x⟩ = ⟨y, Tx⟩.
        var left = (transposed * x).sum().item<float>();
        var right = (y * convolved).sum().item<float>();
        Assert.True(Math.Abs(left - right) <= 1e-4 * Math.Max(1, Math.Abs(left)), $"⟨Tᵀy, x⟩ = {left}, ⟨y, Tx⟩ = {right}");
    }

    [Fact]
    public void ConvTranspose_in_3d_equals_libtorchs_conv_transpose3d()
    {
        torch.manual_seed(2);
        using var module = Lower(Layers.ConvTranspose(3, Size.Of(2, 3, 2), stride: Size.Of(2, 1, 2), padding: Size.Of(0, 1, 0), dilation: Size.Of(1, 2, 1)),
            Shape.Volume(2, 3, 4, 3));
        using var scope = NewDisposeScope();
        var x = randn([2, 2, 3, 4, 3]);
        var expected = F.conv_transpose3d(x, module.Parameter("layer.weight"), module.Parameter("layer.bias"), [2, 1, 2], [0, 1, 0], [0, 0, 0], [1, 2, 1]);
        Close(expected, module.forward(x));
        // (3 − 1)·2 + 2 = 6; (4 − 1) + 2·2 + 1 − 2 = 6; (3 − 1)·2 + 2 = 6.
        Assert.Equal(new long[] { 2, 3, 6, 6, 6 }, expected.shape);
    }

    [Fact]
    public void DepthwiseSeparable_equals_one_convolution_with_the_composed_kernel()
    {
        torch.manual_seed(3);
        var input = Shape.Image(3, 9, 8);
        // 'same' with an even kernel pads asymmetrically; stride 2, depth multiplier 2.
        using var separable = Lower(Layers.DepthwiseSeparableConv(4, 4, stride: 2, padding: Padding.Same, depthMultiplier: 2), input);
        using var conv = Lower(Layers.Conv(4, 4, stride: 2, padding: Padding.Same), input);
        using var scope = NewDisposeScope();
        var depthwise = separable.Parameter("layer.depthwise.weight");   // [C·M, 1, K, K]
        var pointwise = separable.Parameter("layer.pointwise.weight");   // [F, C·M, 1, 1]
        // Filter f, channel c: Σ_m pointwise[f, c·M + m] · depthwise[c·M + m].
        var composed = (pointwise.reshape(4, 3, 2, 1, 1) * depthwise.reshape(1, 3, 2, 4, 4)).sum(2);
        conv.Set("layer.weight", composed);
        conv.Set("layer.bias", separable.Parameter("layer.pointwise.bias"));
        var x = randn(2, 3, 9, 8);
        Close(conv.forward(x), separable.forward(x));
    }

    [Fact]
    public void DepthwiseSeparable_equals_a_group_convolution_then_a_1x1_convolution()
    {
        torch.manual_seed(4);
        using var module = Lower(Layers.DepthwiseSeparableConv(5, 3, padding: 1, dilation: 2, depthMultiplier: 1), Shape.Image(2, 7, 7));
        using var scope = NewDisposeScope();
        var x = randn(2, 2, 7, 7);
        var depth = F.conv2d(x, module.Parameter("layer.depthwise.weight"), null, [1, 1], [1, 1], [2, 2], groups: 2);
        var expected = F.conv2d(depth, module.Parameter("layer.pointwise.weight"), module.Parameter("layer.pointwise.bias"));
        Close(expected, module.forward(x));
    }

    [Fact]
    public void SpatiallySeparable_with_the_lectures_factors_is_the_Sobel_filter()
    {
        using var module = Lower(Layers.SpatiallySeparableConv(1, 3, bias: false), Shape.Image(1, 6, 7));
        using var scope = NewDisposeScope();
        module.Set("layer.factor1.weight", tensor(new float[] { 1, 2, 1 }).reshape(1, 1, 3, 1));
        module.Set("layer.factor2.weight", tensor(new float[] { -1, 0, 1 }).reshape(1, 1, 1, 3));
        var sobel = tensor(new float[] { -1, 0, 1, -2, 0, 2, -1, 0, 1 }).reshape(1, 1, 3, 3);
        var x = randn(2, 1, 6, 7);
        Close(F.conv2d(x, sobel), module.forward(x));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void SpatiallySeparable_equals_the_full_convolution_with_the_rank_one_kernel(int rank)
    {
        torch.manual_seed(5);
        var input = rank == 2 ? Shape.Image(3, 9, 10) : Shape.Volume(3, 5, 6, 7);
        var kernel = rank == 2 ? Size.Of(3, 4) : Size.Of(2, 3, 2);
        using var separable = Lower(Layers.SpatiallySeparableConv(2, kernel, stride: 2, padding: Padding.Same), input);
        using var conv = Lower(Layers.Conv(2, kernel, stride: 2, padding: Padding.Same), input);
        using var scope = NewDisposeScope();
        // W[f, c, i, j, …] = factor1[f, c, i] · factor2[f, j] · …
        Tensor full = separable.Parameter("layer.factor1.weight");
        for (var i = 2; i <= rank; i++) full = full * separable.Parameter($"layer.factor{i}.weight");
        conv.Set("layer.weight", full);
        conv.Set("layer.bias", separable.Parameter("layer.bias"));
        var x = randn(OneLayer.Dims(input, 2));
        Close(conv.forward(x), separable.forward(x));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void LocallyConnected_with_the_same_filters_at_every_position_is_the_convolution(int rank)
    {
        torch.manual_seed(6);
        var input = rank switch { 1 => Shape.Sequence(2, 11), 2 => Shape.Image(2, 7, 9), _ => Shape.Volume(2, 5, 4, 6) };
        // Floor rounding drops the last row where the stride does not tile (4 and 6 in 3-D).
        using var conv = Lower(Layers.Conv(3, 3, stride: 2, padding: 1, rounding: Rounding.Floor), input);
        using var local = Lower(Layers.LocallyConnected(3, 3, stride: 2, padding: 1, rounding: Rounding.Floor), input);
        using var scope = NewDisposeScope();
        var positions = local.Parameter("layer.weight").shape[..rank];
        long[] ones = [.. positions.Select(_ => 1L)];
        local.Set("layer.weight", conv.Parameter("layer.weight").reshape([.. ones, 3, 2, .. Enumerable.Repeat(3L, rank)]).expand(local.Parameter("layer.weight").shape));
        local.Set("layer.bias", conv.Parameter("layer.bias").reshape([.. ones, 3]).expand(local.Parameter("layer.bias").shape));
        var x = randn(OneLayer.Dims(input, 2));
        Close(conv.forward(x), local.forward(x));
    }

    [Fact]
    public void LocallyConnected_weights_belong_to_one_position_each()
    {
        torch.manual_seed(7);
        using var module = Lower(Layers.LocallyConnected(2, 3), Shape.Image(3, 6, 5));
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 6, 5);
        var before = module.forward(x);
        // Silence the filters of output position (1, 2) only.
        using (no_grad()) module.Parameter("layer.weight")[1, 2].zero_();
        var after = module.forward(x);
        var bias = module.Parameter("layer.bias")[1, 2];
        Close(bias.expand(2, 2), after[.., .., 1, 2]);
        // Every other position is untouched; this one did change.
        var changed = before.ne(after);
        Assert.Equal(4, changed[.., .., 1, 2].sum().item<long>());
        Assert.Equal(4, changed.sum().item<long>());
    }

    [Fact]
    public void CoordConvs_coordinate_channels_are_the_linspace_of_each_axis_and_the_radius()
    {
        // A 1×1 kernel that copies coordinate channel f to output f shows the channels themselves.
        using var module = Lower(Layers.CoordConv(3, 1, withRadius: true, bias: false), Shape.Image(2, 4, 5));
        using var scope = NewDisposeScope();
        var select = zeros(3, 2 + 3, 1, 1);
        for (var f = 0; f < 3; f++) select[f, 2 + f, 0, 0] = tensor(1f);
        module.Set("layer.weight", select);
        var y = module.forward(randn(2, 2, 4, 5));
        var rows = linspace(-1, 1, 4).reshape(4, 1).expand(4, 5);
        var columns = linspace(-1, 1, 5).reshape(1, 5).expand(4, 5);
        Close(rows.expand(2, 4, 5), y[.., 0], 1e-7);
        Close(columns.expand(2, 4, 5), y[.., 1], 1e-7);
        Close((rows.square() + columns.square()).sqrt().expand(2, 4, 5), y[.., 2], 1e-6);
    }

    [Fact]
    public void CoordConv_of_a_single_row_puts_it_at_the_centre()
    {
        using var module = Lower(Layers.CoordConv(1, 1, bias: false), Shape.Image(1, 1, 3));
        using var scope = NewDisposeScope();
        module.Set("layer.weight", tensor(new float[] { 0, 1, 0 }).reshape(1, 3, 1, 1));
        Close(zeros(1, 1, 1, 3), module.forward(randn(1, 1, 1, 3)), 0);
    }

    [Fact]
    public void CoordConv_is_a_convolution_of_the_input_with_zero_padded_coordinates_appended()
    {
        torch.manual_seed(8);
        using var module = Lower(Layers.CoordConv(4, 3, stride: 2, padding: 1, dilation: 1), Shape.Sequence(3, 9));
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 9);
        var augmented = cat([x, linspace(-1, 1, 9).reshape(1, 1, 9).expand(2, 1, 9)], 1);
        var expected = F.conv1d(augmented, module.Parameter("layer.weight"), module.Parameter("layer.bias"), 2, 1);
        Close(expected, module.forward(x));
    }
}

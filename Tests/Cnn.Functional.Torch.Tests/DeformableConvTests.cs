using TorchSharp;
using static Cnn.Functional.Tests.OneLayer;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Tests;

/// <summary>
/// Deformable convolution (Dai et al., 2017) against the plain convolution it generalises: with zero offsets it is
/// that convolution, with integer offsets a convolution of the shifted input, with fractional ones a convolution of
/// the bilinear mix of neighbours (eqs. 3–4); and the offsets learn (eq. 7).
/// </summary>
public class DeformableConvTests
{
    [Fact]
    public void Starts_with_zero_offsets_as_the_plain_convolution()
    {
        torch.manual_seed(1);
        var input = Shape.Image(4, 9, 9);
        using var deformable = Lower(Layers.DeformableConv(4, 3, stride: 2, padding: 1, dilation: 2, groups: 2, offsetGroups: 2), input);
        using var conv = Lower(Layers.Conv(4, 3, stride: 2, padding: 1, dilation: 2, groups: 2), input);
        using var scope = NewDisposeScope();
        Assert.Equal(0, deformable.Parameter("layer.offset.weight").abs().sum().item<float>());
        conv.Set("layer.weight", deformable.Parameter("layer.weight"));
        conv.Set("layer.bias", deformable.Parameter("layer.bias"));
        var x = randn(2, 4, 9, 9);
        Close(conv.forward(x), deformable.forward(x));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 2)]
    [InlineData(2, -1)]
    public void Integer_offsets_read_the_input_shifted_by_them(int dy, int dx)
    {
        torch.manual_seed(2);
        using var module = Lower(Layers.DeformableConv(4, 3, padding: Padding.Same), Shape.Image(3, 6, 7));
        using var scope = NewDisposeScope();
        SetOffsets(module, dy, dx);
        var x = randn(2, 3, 6, 7);
        Close(Displaced(module, x, dy, dx), module.forward(x));
    }

    [Fact]
    public void Fractional_offsets_read_the_bilinear_mix_of_the_neighbours()
    {
        torch.manual_seed(3);
        using var module = Lower(Layers.DeformableConv(4, 3, padding: Padding.Same), Shape.Image(2, 5, 6));
        using var scope = NewDisposeScope();
        SetOffsets(module, 0.5, -0.25);
        var x = randn(2, 2, 5, 6);
        // p = q + (½, −¼) lies between q, q − (0, 1), q + (1, 0) and q + (1, −1), with weights ½·¾, ½·¼, ½·¾, ½·¼ (eq. 4).
        var expected = 0.375 * Displaced(module, x, 0, 0) + 0.125 * Displaced(module, x, 0, -1)
            + 0.375 * Displaced(module, x, 1, 0) + 0.125 * Displaced(module, x, 1, -1);
        Close(expected, module.forward(x));
    }

    [Fact]
    public void Offsets_are_laid_out_per_offset_group_and_tap_as_dy_then_dx()
    {
        // A 1×1 kernel has one tap: channels (0, 1) are group 0's (Δy, Δx), channels (2, 3) group 1's.
        using var module = Lower(Layers.DeformableConv(2, 1, groups: 2, offsetGroups: 2, bias: false), Shape.Image(2, 4, 5));
        using var scope = NewDisposeScope();
        module.Set("layer.weight", ones(2, 1, 1, 1));
        module.Set("layer.offset.bias", tensor(new float[] { 0, 1, 1, 0 }));
        var x = randn(2, 2, 4, 5);
        var expected = cat([Shift(x[.., ..1], 0, 1), Shift(x[.., 1..], 1, 0)], 1);
        Close(expected, module.forward(x));
    }

    [Fact]
    public void The_offset_convolution_gets_gradients()
    {
        torch.manual_seed(4);
        using var module = Lower(Layers.DeformableConv(3, 3, padding: Padding.Same), Shape.Image(2, 6, 6));
        using var scope = NewDisposeScope();
        module.Set("layer.offset.weight", 0.1 * randn(18, 2, 3, 3));
        module.Set("layer.offset.bias", 0.3 * randn(18));
        module.forward(randn(2, 2, 6, 6)).square().sum().backward();
        foreach (var name in new[] { "layer.offset.weight", "layer.offset.bias" })
        {
            var grad = module.Parameter(name).grad!;
            Assert.True(grad.isfinite().all().item<bool>(), $"{name}: not finite");
            Assert.True(grad.abs().sum().item<float>() > 0, $"{name}: zero gradient");
        }
    }

    // Eq. 1 with every sample displaced by (dy, dx): y(p₀) = b + Σₙ w(pₙ)·x(p₀ + pₙ + (dy, dx)), x zero outside the
    // image. A 'valid' convolution of x padded by 3 on every side holds that sum at p₀ + (2 + dy, 2 + dx) (2 = 3 − the 'same' padding of 1).
    private static Tensor Displaced(Torch.GraphModule module, Tensor x, int dy, int dx)
    {
        var (h, w) = (x.shape[2], x.shape[3]);
        var full = F.conv2d(F.pad(x, [3, 3, 3, 3]), module.Parameter("layer.weight"), module.Parameter("layer.bias"));
        return full[.., .., (2 + dy)..(int)(2 + dy + h), (2 + dx)..(int)(2 + dx + w)];
    }

    // The same offset (Δy, Δx) for every tap and position: offset weights 0, bias (Δy, Δx, Δy, Δx, …).
    private static void SetOffsets(Torch.GraphModule module, double dy, double dx)
    {
        var taps = module.Parameter("layer.offset.bias").shape[0] / 2;
        module.Set("layer.offset.bias", tensor(new[] { (float)dy, (float)dx }).repeat(taps));
    }

    // x read at (i + dy, j + dx), zero outside.
    private static Tensor Shift(Tensor x, int dy, int dx)
    {
        var (h, w) = (x.shape[2], x.shape[3]);
        var padded = F.pad(x, [Math.Max(-dx, 0), Math.Max(dx, 0), Math.Max(-dy, 0), Math.Max(dy, 0)]);
        var top = Math.Max(-dy, 0) + dy;
        var left = Math.Max(-dx, 0) + dx;
        return padded[.., .., top..(int)(top + h), left..(int)(left + w)];
    }
}

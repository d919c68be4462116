namespace Cnn.Functional.Tests;

/// <summary>Output shapes, parameters and MACs of <see cref="Conv"/>, checked against hand arithmetic.</summary>
public class ConvTests
{
    [Fact]
    public void Cifar10_neuron_with_a_5x5_receptive_field_has_75_weights_and_one_bias()
    {
        var info = OneLayer.Info(Shape.Image(3, 32, 32), Layers.Conv(1, 5));

        // 1 filter · 3 channels · 5·5 = 75 weights, + 1 bias = 76
        Assert.Equal(76, info.Parameters);
        // (32 − 5 + 2·0)/1 + 1 = 28
        Assert.Equal(Shape.Image(1, 28, 28), info.Output);
        // 28·28 positions · 75 weights = 784 · 75 = 58,800
        Assert.Equal(58_800, info.Macs);
        Assert.Equal(0, info.Buffers);
    }

    [Fact]
    public void AlexNet_first_layer_maps_227_to_55_with_34944_parameters()
    {
        var info = OneLayer.Info(Shape.Image(3, 227, 227), Layers.Conv(96, 11, stride: 4));

        // (227 − 11 + 2·0)/4 + 1 = 216/4 + 1 = 55
        Assert.Equal(Shape.Image(96, 55, 55), info.Output);
        // 96 · (3·11·11) + 96 = 96·363 + 96 = 34,848 + 96 = 34,944
        Assert.Equal(34_944, info.Parameters);
        // 55·55 · 96·363 = 3,025 · 34,848 = 105,415,200
        Assert.Equal(105_415_200, info.Macs);
    }

    [Fact]
    public void AlexNet_two_stream_conv2_is_a_group_conv_with_half_the_weights()
    {
        var input = Shape.Image(96, 27, 27);
        var grouped = OneLayer.Info(input, Layers.GroupConv(256, 5, groups: 2, padding: 2));
        var full = OneLayer.Info(input, Layers.Conv(256, 5, padding: 2));

        // (27 − 5 + 2·2)/1 + 1 = 27
        Assert.Equal(Shape.Image(256, 27, 27), grouped.Output);
        // 256 · (96/2)·5·5 + 256 = 256·48·25 + 256 = 307,200 + 256 = 307,456
        Assert.Equal(307_456, grouped.Parameters);
        // 256 · 96·5·5 + 256 = 614,400 + 256 = 614,656
        Assert.Equal(614_656, full.Parameters);
        // 27·27 · 307,200 = 729 · 307,200 = 223,948,800
        Assert.Equal(223_948_800, grouped.Macs);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    [InlineData(11, 5)]
    public void Same_padding_P_equals_F_minus_1_over_2_preserves_size_at_stride_1(int kernel, int padding)
    {
        var info = OneLayer.Info(Shape.Image(3, 32, 32), Layers.Conv(8, kernel, padding: padding));

        // (32 − F + 2·(F − 1)/2)/1 + 1 = 32 − F + F − 1 + 1 = 32
        Assert.Equal(Shape.Image(8, 32, 32), info.Output);
    }

    [Theory]
    [InlineData(4, 1, 32, 32)] // ⌈32/1⌉ = 32, even kernels too
    [InlineData(3, 2, 32, 16)] // ⌈32/2⌉ = 16
    [InlineData(3, 2, 33, 17)] // ⌈33/2⌉ = 17
    [InlineData(5, 3, 10, 4)]  // ⌈10/3⌉ = 4
    public void Padding_Same_gives_ceil_of_input_over_stride(int kernel, int stride, int size, int expected)
    {
        var info = OneLayer.Info(Shape.Image(3, size, size), Layers.Conv(8, kernel, stride: stride, padding: Padding.Same));

        Assert.Equal(Shape.Image(8, expected, expected), info.Output);
    }

    [Fact]
    public void One_by_one_convolution_reduces_channels_and_keeps_the_size()
    {
        var info = OneLayer.Info(Shape.Image(64, 28, 28), Layers.Conv1x1(16));

        Assert.Equal(Shape.Image(16, 28, 28), info.Output);
        // 16 · 64·1·1 + 16 = 1,024 + 16 = 1,040
        Assert.Equal(1_040, info.Parameters);
        // 28·28 · 1,024 = 784 · 1,024 = 802,816
        Assert.Equal(802_816, info.Macs);
    }

    [Fact]
    public void Without_bias_only_the_weights_count()
    {
        var info = OneLayer.Info(Shape.Image(1, 32, 32), Layers.Conv(6, 5, bias: false));

        // 6 · 1·5·5 = 150
        Assert.Equal(150, info.Parameters);
    }

    [Fact]
    public void Kernel_and_stride_may_differ_per_dimension()
    {
        var info = OneLayer.Info(Shape.Image(2, 10, 9), Layers.Conv(4, Size.Of(3, 1), stride: Size.Of(1, 2)));

        // H: (10 − 3)/1 + 1 = 8; W: (9 − 1)/2 + 1 = 5
        Assert.Equal(Shape.Image(4, 8, 5), info.Output);
        // 4 · 2·3·1 + 4 = 24 + 4 = 28
        Assert.Equal(28, info.Parameters);
    }

    [Fact]
    public void Dilation_widens_the_kernel_to_D_F_minus_1_plus_1_without_adding_parameters()
    {
        var dilated = OneLayer.Info(Shape.Image(4, 32, 32), Layers.DilatedConv(8, 3, dilation: 2));
        var plain = OneLayer.Info(Shape.Image(4, 32, 32), Layers.Conv(8, 3));

        // extent 2·(3 − 1) + 1 = 5; (32 − 5)/1 + 1 = 28
        Assert.Equal(Shape.Image(8, 28, 28), dilated.Output);
        // 8 · 4·3·3 + 8 = 288 + 8 = 296, the same as without dilation
        Assert.Equal(296, dilated.Parameters);
        Assert.Equal(plain.Parameters, dilated.Parameters);
        Assert.Equal(5, SizeFormulas.DilatedKernel(3, 2));
        Assert.Equal(15, SizeFormulas.DilatedKernel(3, 7));
    }

    [Fact]
    public void Floor_rounding_drops_the_last_partial_window()
    {
        var info = OneLayer.Info(Shape.Image(3, 32, 32), Layers.Conv(8, 5, stride: 2, rounding: Rounding.Floor));

        // ⌊(32 − 5 + 2·0)/2⌋ + 1 = ⌊13.5⌋ + 1 = 14
        Assert.Equal(Shape.Image(8, 14, 14), info.Output);
        Assert.Equal(14.5, SizeFormulas.ConvOutput(32, 5, 0, 2));
    }

    [Fact]
    public void One_dimensional_convolution_on_a_sequence()
    {
        var info = OneLayer.Info(Shape.Sequence(2, 10), Layers.Conv(4, 3));

        // (10 − 3)/1 + 1 = 8
        Assert.Equal(Shape.Sequence(4, 8), info.Output);
        // 4 · 2·3 + 4 = 24 + 4 = 28
        Assert.Equal(28, info.Parameters);
        // 8 positions · 24 = 192
        Assert.Equal(192, info.Macs);

        // (9 − 3 + 2·1)/2 + 1 = 4 + 1 = 5
        Assert.Equal(Shape.Sequence(4, 5), OneLayer.Info(Shape.Sequence(2, 9), Layers.Conv(4, 3, stride: 2, padding: 1)).Output);
    }

    [Fact]
    public void Three_dimensional_convolution_on_a_volume()
    {
        var info = OneLayer.Info(Shape.Volume(3, 16, 32, 32), Layers.Conv(8, 3, padding: 1));

        // (S − 3 + 2·1)/1 + 1 = S in each of D, H, W
        Assert.Equal(Shape.Volume(8, 16, 32, 32), info.Output);
        // 8 · 3·3·3·3 + 8 = 648 + 8 = 656
        Assert.Equal(656, info.Parameters);
        // 16·32·32 positions · 648 = 16,384 · 648 = 10,616,832
        Assert.Equal(10_616_832, info.Macs);
    }

    [Fact]
    public void Three_dimensional_kernel_and_stride_per_dimension()
    {
        var info = OneLayer.Info(Shape.Volume(1, 8, 29, 29), Layers.Conv(4, Size.Of(3, 5, 5), stride: Size.Of(1, 2, 2)));

        // D: (8 − 3)/1 + 1 = 6; H, W: (29 − 5)/2 + 1 = 13
        Assert.Equal(Shape.Volume(4, 6, 13, 13), info.Output);
        // 4 · 1·3·5·5 + 4 = 300 + 4 = 304
        Assert.Equal(304, info.Parameters);
    }

    [Fact]
    public void Groups_divide_the_weights_by_the_group_count()
    {
        var info = OneLayer.Info(Shape.Image(32, 8, 8), Layers.Conv(64, 3, groups: 4));

        // (8 − 3)/1 + 1 = 6
        Assert.Equal(Shape.Image(64, 6, 6), info.Output);
        // 64 · (32/4)·3·3 + 64 = 64·8·9 + 64 = 4,608 + 64 = 4,672
        Assert.Equal(4_672, info.Parameters);
        // 6·6 · 4,608 = 36 · 4,608 = 165,888
        Assert.Equal(165_888, info.Macs);
    }

    [Fact]
    public void Groups_equal_to_channels_is_a_depthwise_convolution()
    {
        var info = OneLayer.Info(Shape.Image(32, 8, 8), Layers.Conv(32, 3, padding: 1, groups: 32));

        Assert.Equal(Shape.Image(32, 8, 8), info.Output);
        // 32 · (32/32)·3·3 + 32 = 288 + 32 = 320
        Assert.Equal(320, info.Parameters);
    }
}

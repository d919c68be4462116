namespace Cnn.Functional.Tests;

/// <summary>
/// <see cref="ConvTranspose"/>: the lecture's W = (O − 1)·S + F − 2P, checked by hand, and its inverse relation
/// to <see cref="Conv"/>.
/// </summary>
public class ConvTransposeTests
{
    [Fact]
    public void Transposed_convolution_maps_a_convolutions_output_size_back()
    {
        var inferred = Graph.Create("down-up", Shape.Image(16, 7, 7))
            .Then("down", Layers.Conv(32, 3, stride: 2, padding: 1))
            .Then("up", Layers.ConvTranspose(16, 3, stride: 2, padding: 1))
            .Infer();

        // conv: (7 − 3 + 2·1)/2 + 1 = 6/2 + 1 = 4
        Assert.Equal(Shape.Image(32, 4, 4), inferred["down"].OutputShape);
        // transposed: (4 − 1)·2 + 3 − 2·1 = 6 + 3 − 2 = 7
        Assert.Equal(Shape.Image(16, 7, 7), inferred["up"].OutputShape);
    }

    [Fact]
    public void Parameters_are_C_times_F_over_G_times_the_kernel_plus_F_biases()
    {
        var info = OneLayer.Info(Shape.Image(32, 4, 4), Layers.ConvTranspose(16, 3, stride: 2, padding: 1));

        // 32 · 16 · 3·3 + 16 = 4,608 + 16 = 4,624
        Assert.Equal(4_624, info.Parameters);
        // each of the 4·4 input positions is scattered through 4,608 weights: 16 · 4,608 = 73,728
        Assert.Equal(73_728, info.Macs);
    }

    [Fact]
    public void Lecture_formula_undoes_AlexNets_first_layer()
    {
        var info = OneLayer.Info(Shape.Image(96, 55, 55), Layers.ConvTranspose(3, 11, stride: 4));

        // (55 − 1)·4 + 11 − 2·0 = 216 + 11 = 227
        Assert.Equal(Shape.Image(3, 227, 227), info.Output);
        // 96 · 3 · 11·11 + 3 = 34,848 + 3 = 34,851
        Assert.Equal(34_851, info.Parameters);
        Assert.Equal(227, SizeFormulas.TransposedOutput(55, 11, 0, 4));
    }

    [Fact]
    public void Two_by_two_kernel_at_stride_1_grows_2x2_to_3x3()
    {
        // d2l's figure 13.10.1: (2 − 1)·1 + 2 − 2·0 = 3
        Assert.Equal(Shape.Image(1, 3, 3), OneLayer.Info(Shape.Image(1, 2, 2), Layers.ConvTranspose(1, 2)).Output);
        // at stride 2 it doubles: (2 − 1)·2 + 2 = 4
        Assert.Equal(Shape.Image(1, 4, 4), OneLayer.Info(Shape.Image(1, 2, 2), Layers.ConvTranspose(1, 2, stride: 2)).Output);
    }

    [Fact]
    public void Output_padding_recovers_the_size_that_floor_rounding_folded()
    {
        var input = Shape.Image(8, 4, 4);
        var up = OneLayer.Info(input, Layers.ConvTranspose(8, 3, stride: 2, padding: 1, outputPadding: 1));
        var down = OneLayer.Info(Shape.Image(8, 8, 8), Layers.Conv(8, 3, stride: 2, padding: 1, rounding: Rounding.Floor));

        // (4 − 1)·2 + 3 − 2·1 + 1 = 8
        Assert.Equal(Shape.Image(8, 8, 8), up.Output);
        // ⌊(8 − 3 + 2·1)/2⌋ + 1 = ⌊3.5⌋ + 1 = 4: both 7 and 8 go to 4
        Assert.Equal(input, down.Output);
    }

    [Fact]
    public void Dilation_enters_as_the_dilated_kernel()
    {
        // (4 − 1)·1 + (2·(3 − 1) + 1) − 2·0 = 3 + 5 = 8
        Assert.Equal(Shape.Image(1, 8, 8), OneLayer.Info(Shape.Image(1, 4, 4), Layers.ConvTranspose(1, 3, dilation: 2)).Output);
    }

    [Fact]
    public void Groups_divide_the_weights()
    {
        var info = OneLayer.Info(Shape.Image(32, 4, 4), Layers.ConvTranspose(16, 3, groups: 4));

        // (4 − 1)·1 + 3 = 6
        Assert.Equal(Shape.Image(16, 6, 6), info.Output);
        // 32 · (16/4) · 3·3 + 16 = 1,152 + 16 = 1,168
        Assert.Equal(1_168, info.Parameters);
    }

    [Fact]
    public void One_dimensional_transposed_convolution_doubles_a_sequence()
    {
        var info = OneLayer.Info(Shape.Sequence(4, 8), Layers.ConvTranspose(2, 4, stride: 2, padding: 1));

        // (8 − 1)·2 + 4 − 2·1 = 14 + 2 = 16
        Assert.Equal(Shape.Sequence(2, 16), info.Output);
        // 4 · 2 · 4 + 2 = 32 + 2 = 34
        Assert.Equal(34, info.Parameters);
    }

    [Fact]
    public void Three_dimensional_transposed_convolution_doubles_a_volume()
    {
        var info = OneLayer.Info(Shape.Volume(16, 4, 4, 4), Layers.ConvTranspose(8, 2, stride: 2, bias: false));

        // (4 − 1)·2 + 2 = 8 in each of D, H, W
        Assert.Equal(Shape.Volume(8, 8, 8, 8), info.Output);
        // 16 · 8 · 2·2·2 = 1,024 (no bias)
        Assert.Equal(1_024, info.Parameters);
    }

    [Fact]
    public void Output_padding_must_be_smaller_than_the_stride()
    {
        Assert.Equal(
            "layer: output padding 2 must be smaller than the stride 2 or the dilation 1",
            OneLayer.Error(Shape.Sequence(1, 4), Layers.ConvTranspose(1, 3, stride: 2, outputPadding: 2)));
    }

    [Fact]
    public void The_same_mistake_in_every_dimension_is_reported_once()
    {
        Assert.Equal(
            ["output padding 2 must be smaller than the stride 2 or the dilation 1"],
            OneLayer.Messages(Shape.Image(1, 4, 4), Layers.ConvTranspose(1, 3, stride: 2, outputPadding: 2)));
    }

    [Fact]
    public void Padding_that_removes_more_than_the_kernel_adds_is_refused_in_the_failing_dimension()
    {
        // H: (1 − 1)·1 + 1 − 2·1 + 0 = −1; W: (3 − 1)·1 + 1 − 2·1 + 0 = 1 is fine
        Assert.Equal(
            "layer: H: (1 − 1)·1 + 1 − 2·1 + 0 = -1 is not a valid size. Hint: the padding removes more than the kernel adds: reduce the padding",
            OneLayer.Error(Shape.Image(1, 1, 3), Layers.ConvTranspose(1, 1, padding: 1)));
    }

    [Fact]
    public void Groups_must_divide_the_filters()
    {
        Assert.Equal(
            ["groups 4 does not divide filters 10 (10 / 4 = 2.5)"],
            OneLayer.Messages(Shape.Image(8, 4, 4), Layers.ConvTranspose(10, 3, groups: 4)));
    }

    [Fact]
    public void Negative_padding_and_zero_stride_are_refused()
    {
        Assert.Equal(
            ["stride must be at least 1; got 0", "padding must be at least 0; got -1"],
            OneLayer.Messages(Shape.Image(8, 4, 4), Layers.ConvTranspose(8, 3, stride: 0, padding: -1)));
    }
}

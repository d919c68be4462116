namespace Cnn.Functional.Tests;

/// <summary>
/// <see cref="DeformableConv"/>: the main convolution plus the offset convolution that predicts 2·G_off·ΠK
/// offsets per position from the same input.
/// </summary>
public class DeformableConvTests
{
    [Fact]
    public void Parameters_count_the_offset_convolution_and_the_main_convolution()
    {
        var info = OneLayer.Info(Shape.Image(32, 16, 16), Layers.DeformableConv(64, 3, padding: 1));

        // (16 − 3 + 2·1)/1 + 1 = 16
        Assert.Equal(Shape.Image(64, 16, 16), info.Output);
        // offsets: 2·1·3·3 = 18 channels: 18·32·3·3 + 18 = 5,184 + 18 = 5,202
        // main:    64·32·3·3 + 64 = 18,432 + 64 = 18,496
        // total:   5,202 + 18,496 = 23,698
        Assert.Equal(23_698, info.Parameters);
    }

    [Fact]
    public void Macs_count_offsets_main_and_bilinear_sampling()
    {
        var info = OneLayer.Info(Shape.Image(32, 16, 16), Layers.DeformableConv(64, 3, padding: 1));

        // 16·16 = 256 positions
        // offsets 256·5,184 = 1,327,104; main 256·18,432 = 4,718,592; sampling 4·32·9·256 = 294,912
        // 1,327,104 + 4,718,592 + 294,912 = 6,340,608
        Assert.Equal(6_340_608, info.Macs);
    }

    [Fact]
    public void Offset_groups_multiply_the_offset_channels()
    {
        var info = OneLayer.Info(Shape.Image(32, 16, 16), Layers.DeformableConv(64, 3, padding: 1, offsetGroups: 2));

        // offsets: 2·2·9 = 36 channels: 36·32·9 + 36 = 10,368 + 36 = 10,404; main 18,496; total 28,900
        Assert.Equal(28_900, info.Parameters);
    }

    [Fact]
    public void Groups_divide_the_main_convolution_only()
    {
        var info = OneLayer.Info(Shape.Image(32, 16, 16), Layers.DeformableConv(64, 3, padding: 1, groups: 2));

        // offsets 5,202 (ungrouped); main 64·(32/2)·9 + 64 = 9,216 + 64 = 9,280; total 14,482
        Assert.Equal(14_482, info.Parameters);
    }

    [Fact]
    public void Stride_uses_the_convolution_formula()
    {
        var info = OneLayer.Info(Shape.Image(4, 17, 17), Layers.DeformableConv(8, 3, stride: 2, padding: 1, bias: false));

        // (17 − 3 + 2·1)/2 + 1 = 9
        Assert.Equal(Shape.Image(8, 9, 9), info.Output);
        // offsets 18·4·9 + 18 = 648 + 18 = 666; main 8·4·9 = 288 (no bias); total 954
        Assert.Equal(954, info.Parameters);
    }

    [Fact]
    public void Only_two_dimensional_inputs_are_accepted()
    {
        Assert.Equal(
            "layer: deformable convolution is defined for 2-D inputs [C, H, W]; got [4, 10]",
            OneLayer.Error(Shape.Sequence(4, 10), Layers.DeformableConv(8, 3)));
        Assert.Single(OneLayer.Errors(Shape.Volume(4, 8, 8, 8), Layers.DeformableConv(8, 3)));
    }

    [Fact]
    public void Offset_groups_must_divide_the_channels()
    {
        Assert.Equal(
            ["offset groups 3 does not divide input channels 32 (32 / 3 = 10.667)"],
            OneLayer.Messages(Shape.Image(32, 16, 16), Layers.DeformableConv(64, 3, offsetGroups: 3)));
        Assert.Equal(
            ["offset groups must be at least 1; got 0"],
            OneLayer.Messages(Shape.Image(32, 16, 16), Layers.DeformableConv(64, 3, offsetGroups: 0)));
    }
}

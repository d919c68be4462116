using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class BlueprintTests
{
    // The four instances on the lecture's blueprint slide, with their N, M, K.
    [Theory]
    [InlineData("INPUT -> FC", 0, 0, 0, false)]
    [InlineData("INPUT -> CONV -> RELU -> FC", 1, 1, 0, false)]
    [InlineData("INPUT -> [CONV -> RELU -> POOL]*2 -> FC -> RELU -> FC", 1, 2, 1, true)]
    [InlineData("INPUT -> [CONV -> RELU -> CONV -> RELU -> POOL]*3 -> [FC -> RELU]*2 -> FC", 2, 3, 2, true)]
    public void The_slide_examples_are_instances_of_the_blueprint(string pattern, int n, int m, int k, bool pool)
    {
        var graph = Blueprint.Create(Shape.Image(3, 32, 32), n, m, k, classes: 10, pool: pool);
        Assert.Equal(Blueprint.Expand(pattern), Blueprint.Describe(graph));
        Assert.Empty(graph.Validate());
    }

    [Fact]
    public void The_linear_classifier_has_one_weight_per_pixel_and_class()
    {
        var graph = Blueprint.Create(Shape.Image(3, 32, 32), 0, 0, 0, classes: 10);
        // INPUT -> FC on CIFAR-10: 3072 · 10 + 10 = 30,730
        Assert.Equal(30_730, graph.Summarize().Totals.Parameters);
    }

    [Fact]
    public void Same_padding_keeps_the_size_so_only_pooling_downsamples()
    {
        var graph = Blueprint.Create(Shape.Image(3, 32, 32), 2, 3, 2, classes: 10, filters: 16);
        var inferred = graph.Infer();
        Assert.Equal(Shape.Image(16, 32, 32), inferred["stage1/conv2"].OutputShape);
        Assert.Equal(Shape.Image(64, 4, 4), inferred["stage3/pool"].OutputShape);
        Assert.Equal(Shape.Vector(10), inferred.Output);
    }

    [Fact]
    public void Expand_repeats_nested_groups()
    {
        Assert.Equal("A -> B -> C -> B -> C -> A -> B -> C -> B -> C", Blueprint.Expand("[A -> [B -> C]*2]*2"));
        Assert.Throws<GraphException>(() => Blueprint.Expand("[A -> B"));
        Assert.Throws<GraphException>(() => Blueprint.Expand("[A]*"));
    }

    [Fact]
    public void Bad_arguments_and_untileable_sizes_are_graph_errors()
    {
        Assert.Throws<GraphException>(() => Blueprint.Create(Shape.Image(1, 8, 8), -1, 1, 0, 10));
        Assert.Throws<GraphException>(() => Blueprint.Create(Shape.Image(1, 8, 8), 1, 1, 0, 10, kernel: 4));
        // 28 → 14 → 7 → 3.5: the third pool does not tile.
        var error = Assert.Throws<GraphException>(() => Blueprint.Create(Shape.Image(1, 28, 28), 1, 3, 0, 10));
        Assert.StartsWith("stage3/pool: (7 − 2 + 2·0)/2 + 1 = 3.5 is not an integer", error.Message);
    }
}

public class FullyConvolutionalTests
{
    [Fact]
    public void LeNet_becomes_fully_convolutional_with_the_same_parameters()
    {
        var lenet = LeNet.LeNet5();
        var fcn = FullyConvolutional.Convert(lenet);
        Assert.Equal(lenet.Summarize().Totals.Parameters, fcn.Summarize().Totals.Parameters);
        Assert.Null(fcn.TryFind("flatten"));
        // fc1 reads the whole 16×5×5 map: a 5×5 convolution of 120 filters; fc2, fc3 become 1×1.
        Assert.Equal(Size.Of(5, 5), Assert.IsType<Conv>(fcn.Find("fc1").Layer).Kernel);
        Assert.Equal(Shape.Image(10, 1, 1), fcn.Infer().Output);
    }

    [Fact]
    public void A_larger_input_gives_a_heat_map_of_class_scores()
    {
        var fcn = FullyConvolutional.Convert(LeNet.LeNet5(), Shape.Image(1, 56, 56));
        // 56 → 56 → 28 → 24 → 12; the 5×5 'fc1' slides over 12×12: 8×8 positions.
        Assert.Equal(Shape.Image(10, 8, 8), fcn.Infer().Output);
    }

    [Fact]
    public void A_graph_without_a_flatten_is_refused()
    {
        var graph = Chain.Input(1, 8, 8).Conv(2, 3).GlobalAvgPool().Dense(3).ToGraph("gap");
        var error = Assert.Throws<GraphException>(() => FullyConvolutional.Convert(graph));
        Assert.Contains("no flatten", error.Message);
    }
}

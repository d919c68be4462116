namespace Cnn.Functional.Tests;

/// <summary>
/// How inference reports shape errors across a whole graph: the golden message, every independent mistake
/// in one <see cref="GraphException"/>, and nothing repeated downstream of a failure.
/// </summary>
public class GraphErrorTests
{
    private static Graph Stage1(Rounding rounding = Rounding.Exact) =>
        Graph.Create("golden", Shape.Image(3, 32, 32))
            .Then("stage1/conv1", Layers.Conv(16, 5, stride: 2, rounding: rounding));

    [Fact]
    public void Golden_message_for_a_stride_that_does_not_tile()
    {
        var exception = Assert.Throws<GraphException>(() => Stage1().Infer());
        var error = Assert.Single(exception.Errors);

        // (32 − 5 + 2·0)/2 + 1 = 27/2 + 1 = 14.5
        Assert.StartsWith(
            "stage1/conv1: (32 − 5 + 2·0)/2 + 1 = 14.5 is not an integer — stride 2 does not tile input 32 with kernel 5",
            error.ToString(), StringComparison.Ordinal);
        Assert.Equal(
            "stage1/conv1: (32 − 5 + 2·0)/2 + 1 = 14.5 is not an integer — stride 2 does not tile input 32 with kernel 5. " +
            "Hint: choose padding or stride so the division is exact, or opt in to PyTorch's floor rounding with Rounding.Floor",
            error.ToString());
        Assert.Equal("stage1/conv1", error.Path);
        Assert.Equal("conv", error.LayerKind);
        Assert.Equal(error.ToString(), exception.Message);
    }

    [Fact]
    public void Summarize_throws_the_same_error()
    {
        var exception = Assert.Throws<GraphException>(() => Stage1().Summarize());

        Assert.Equal("stage1/conv1", Assert.Single(exception.Errors).Path);
    }

    [Fact]
    public void Floor_rounding_accepts_the_golden_graph_and_gives_14()
    {
        var inferred = Stage1(Rounding.Floor).Infer();

        // ⌊(32 − 5)/2⌋ + 1 = 13 + 1 = 14
        Assert.Equal(Shape.Image(16, 14, 14), inferred["stage1/conv1"].OutputShape);
    }

    // Three independent branches off one input, each with its own mistake:
    //   a/conv  5×5 stride 2 on 32           → 14.5 does not tile
    //   b/fc    dense on [3, 32, 32]         → needs Flatten
    //   c/pool  window 33 on 32              → larger than the input
    // and one good branch d/conv that must still be inferred.
    private static Graph ThreeMistakes() =>
        Graph.Create("three", Shape.Image(3, 32, 32))
            .AddNode("a/conv", Layers.Conv(8, 5, stride: 2), "input")
            .AddNode("b/fc", Layers.Dense(10), "input")
            .AddNode("c/pool", Layers.MaxPool(33), "input")
            .AddNode("d/conv", Layers.Conv(8, 3, padding: 1), "input")
            .WithOutputs("a/conv", "b/fc", "c/pool", "d/conv");

    [Fact]
    public void Three_independent_mistakes_are_reported_in_one_exception()
    {
        var exception = Assert.Throws<GraphException>(() => ThreeMistakes().Infer());

        Assert.Equal(["a/conv", "b/fc", "c/pool"], exception.Errors.Select(e => e.Path));
        Assert.Equal(["conv", "dense", "maxPool"], exception.Errors.Select(e => e.LayerKind));
    }

    [Fact]
    public void The_exception_message_lists_every_error_on_its_own_line()
    {
        var exception = Assert.Throws<GraphException>(() => ThreeMistakes().Infer());
        var lines = exception.Message.Split(Environment.NewLine);

        Assert.Equal("3 errors in the graph:", lines[0]);
        Assert.Equal(exception.Errors.Select(e => "  " + e), lines.Skip(1));
    }

    [Fact]
    public void Validate_reports_the_mistakes_and_still_infers_the_good_branch()
    {
        var result = ShapeInference.Run(ThreeMistakes());

        Assert.Equal(3, result.Errors.Count);
        Assert.False(result.IsValid);
        // the input and the good branch: (32 − 3 + 2·1)/1 + 1 = 32
        Assert.Equal(["input", "d/conv"], result.Nodes.Select(n => n.Path));
        Assert.Equal(Shape.Image(8, 32, 32), result.Nodes[1].OutputShape);
        Assert.Equal(result.Errors.Items, ThreeMistakes().Validate());
    }

    [Fact]
    public void Nodes_downstream_of_a_failure_are_not_reported_again()
    {
        var graph = Graph.Create("chain", Shape.Image(3, 32, 32))
            .Then("conv1", Layers.Conv(8, 5, stride: 2))   // fails: 14.5
            .Then("relu1", Layers.Relu())
            .Then("conv2", Layers.Conv(8, 100))             // would fail too, on any input
            .Then("fc", Layers.Dense(10))                   // would fail: spatial input
            .AddNode("sum", Layers.Add(), "conv1", "input"); // would fail: shapes differ

        var errors = graph.Validate();

        Assert.Equal(["conv1"], errors.Select(e => e.Path));
    }

    [Fact]
    public void A_merge_of_a_good_and_a_failed_branch_is_skipped_but_the_good_branch_is_checked()
    {
        var graph = Graph.Create("merge", Shape.Image(3, 32, 32))
            .AddNode("good", Layers.Conv(8, 3, padding: 1), "input")
            .AddNode("bad", Layers.Conv(8, 5, stride: 2), "input")
            .AddNode("worse", Layers.Conv(8, 100), "good")
            .AddNode("cat", Layers.Concat(), "good", "bad");

        Assert.Equal(["bad", "worse"], graph.Validate().Select(e => e.Path));
    }

    [Fact]
    public void A_layer_after_a_failed_input_is_skipped()
    {
        var graph = Graph.Create("g", Shape.Image(3, 0, 32)).Then("conv", Layers.Conv(8, 3));

        Assert.Equal(["input"], graph.Validate().Select(e => e.Path));
    }
}

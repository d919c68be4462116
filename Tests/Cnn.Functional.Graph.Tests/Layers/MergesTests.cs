namespace Cnn.Functional.Tests;

/// <summary>
/// Concatenation (channels add up, spatial sizes must agree), addition and the highway gate (identical shapes),
/// with the exact texts of their errors.
/// </summary>
public class MergesTests
{
    // input [3, 8, 8] with three branches:
    //   wide   Conv(8, 1)            → [8, 8, 8]
    //   narrow Conv(4, 1)            → [4, 8, 8]
    //   small  Conv(8, 2, stride 2)  → [8, 4, 4]   ((8 − 2)/2 + 1 = 4)
    //   tiny   Conv(4, 2, stride 2)  → [4, 4, 4]
    private static Graph Branches() =>
        Graph.Create("branches", Shape.Image(3, 8, 8))
            .AddNode("wide", Layers.Conv(8, 1), "input")
            .AddNode("narrow", Layers.Conv(4, 1), "input")
            .AddNode("small", Layers.Conv(8, 2, stride: 2), "input")
            .AddNode("tiny", Layers.Conv(4, 2, stride: 2), "input");

    private static GraphError SingleError(Graph graph, string path)
    {
        var exception = Assert.Throws<GraphException>(() => graph.Infer());
        var error = Assert.Single(exception.Errors);
        Assert.Equal(path, error.Path);
        return error;
    }

    [Fact]
    public void Concat_sums_the_channels()
    {
        var inferred = Branches().AddNode("cat", Layers.Concat(), "wide", "narrow", "input").Infer();

        // 8 + 4 + 3 = 15 channels at 8×8
        Assert.Equal(Shape.Image(15, 8, 8), inferred["cat"].OutputShape);
        Assert.Equal(0, inferred["cat"].Info.Parameters);
    }

    [Fact]
    public void Concat_of_flat_vectors_sums_the_features()
    {
        var inferred = Graph.Create("flat", Shape.Vector(10))
            .AddNode("a", Layers.Dense(20), "input")
            .AddNode("cat", Layers.Concat(), "input", "a")
            .Infer();

        // 10 + 20 = 30
        Assert.Equal(Shape.Vector(30), inferred["cat"].OutputShape);
    }

    [Fact]
    public void Concat_of_different_spatial_sizes_is_refused()
    {
        var error = SingleError(Branches().AddNode("cat", Layers.Concat(), "wide", "small"), "cat");

        Assert.Equal(
            "cat: cannot concatenate [8, 8, 8] (from wide) and [8, 4, 4] (from small) along the channels: spatial sizes differ, 8×8 vs 4×4. " +
            "Hint: the branches of a concatenation must keep the same spatial size (pad with 'same')",
            error.ToString());
        Assert.Equal("concat", error.LayerKind);
    }

    [Fact]
    public void Concat_of_different_ranks_is_refused()
    {
        var graph = Branches().AddNode("flat", Layers.GlobalAvgPool(), "wide").AddNode("cat", Layers.Concat(), "wide", "flat");

        Assert.Equal(
            "cannot concatenate [8, 8, 8] (from wide) and [8] (from flat) along the channels: ranks differ, 3 vs 1",
            SingleError(graph, "cat").Message);
    }

    [Fact]
    public void Add_of_identical_shapes_keeps_the_shape()
    {
        var inferred = Branches().AddNode("sum", Layers.Add(), "wide", "wide", "wide").Infer();

        Assert.Equal(Shape.Image(8, 8, 8), inferred["sum"].OutputShape);
        Assert.Equal(0, inferred["sum"].Info.Parameters);
    }

    [Fact]
    public void Add_with_different_channels_suggests_a_projection_shortcut()
    {
        var error = SingleError(Branches().AddNode("residual", Layers.Add(), "wide", "narrow"), "residual");

        Assert.Equal(
            "residual: cannot add [8, 8, 8] (from wide) and [4, 8, 8] (from narrow): channels differ, 8 vs 4. " +
            "Hint: use a projection shortcut (a 1×1 convolution with 8 filters) on narrow",
            error.ToString());
    }

    [Fact]
    public void Add_with_different_spatial_sizes_suggests_a_strided_shortcut()
    {
        Assert.Equal(
            "residual: cannot add [8, 8, 8] (from wide) and [8, 4, 4] (from small): spatial sizes differ, 8×8 vs 4×4. " +
            "Hint: use a strided projection shortcut, or 'same' padding in the branch",
            SingleError(Branches().AddNode("residual", Layers.Add(), "wide", "small"), "residual").ToString());
    }

    [Fact]
    public void Add_with_different_channels_and_spatial_sizes_names_both_differences()
    {
        Assert.Equal(
            "residual: cannot add [8, 8, 8] (from wide) and [4, 4, 4] (from tiny): channels differ, 8 vs 4, and spatial sizes differ, 8×8 vs 4×4. " +
            "Hint: use a strided projection shortcut (a 1×1 convolution with a stride) so that both the channels and the spatial size match",
            SingleError(Branches().AddNode("residual", Layers.Add(), "wide", "tiny"), "residual").ToString());
    }

    [Fact]
    public void Add_reports_every_input_that_differs_from_the_first()
    {
        var exception = Assert.Throws<GraphException>(() => Branches().AddNode("sum", Layers.Add(), "wide", "narrow", "wide", "small").Infer());

        Assert.Equal(
            ["cannot add [8, 8, 8] (from wide) and [4, 8, 8] (from narrow): channels differ, 8 vs 4",
             "cannot add [8, 8, 8] (from wide) and [8, 4, 4] (from small): spatial sizes differ, 8×8 vs 4×4"],
            exception.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Highway_gate_takes_transform_gate_and_carry_of_one_shape()
    {
        var inferred = Graph.Create("highway", Shape.Vector(50))
            .AddNode("transform", Layers.Dense(50), "input")
            .AddNode("gate", Layers.Dense(50), "input")
            .AddNode("sigmoid", Layers.Sigmoid(), "gate")
            .AddNode("y", Layers.HighwayGate(), "transform", "sigmoid", "input")
            .Infer();

        Assert.Equal(Shape.Vector(50), inferred["y"].OutputShape);
        Assert.Equal(0, inferred["y"].Info.Parameters);
        // two dense layers of 50·50 + 50 = 2,550 each: 5,100
        Assert.Equal(5_100, inferred.Parameters);
    }

    [Fact]
    public void Highway_gate_of_different_shapes_is_refused()
    {
        var graph = Graph.Create("highway", Shape.Vector(50))
            .AddNode("transform", Layers.Dense(40), "input")
            .AddNode("gate", Layers.Dense(50), "input")
            .AddNode("y", Layers.HighwayGate(), "transform", "gate", "input");

        var exception = Assert.Throws<GraphException>(() => graph.Infer());

        Assert.Equal(
            ["cannot gate [40] (from transform) and [50] (from gate): features differ, 40 vs 50",
             "cannot gate [40] (from transform) and [50] (from input): features differ, 40 vs 50"],
            exception.Errors.Select(e => e.Message));
        Assert.All(exception.Errors, e => Assert.Equal("y", e.Path));
    }

    [Fact]
    public void Add_of_flat_vectors_of_different_lengths_suggests_a_dense_projection()
    {
        var graph = Graph.Create("flat", Shape.Vector(10))
            .AddNode("a", Layers.Dense(20), "input")
            .AddNode("sum", Layers.Add(), "a", "input");

        Assert.Equal(
            "sum: cannot add [20] (from a) and [10] (from input): features differ, 20 vs 10. " +
            "Hint: use a projection shortcut (a dense layer with 20 units) on input",
            SingleError(graph, "sum").ToString());
    }
}

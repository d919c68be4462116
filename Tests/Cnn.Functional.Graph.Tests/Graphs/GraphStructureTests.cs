namespace Cnn.Functional.Tests;

/// <summary>
/// The structural rules that <see cref="Graph.AddNode"/> checks at once (paths, inputs, arity), and that
/// <see cref="Graph.Validate"/> reports as a list instead of throwing.
/// </summary>
public class GraphStructureTests
{
    private static readonly Graph Stem = Graph.Create("g", Shape.Image(3, 8, 8)).Then("conv1", Layers.Conv(8, 3, padding: 1));

    private static GraphError ThrowsOne(Func<object> build, string path)
    {
        var exception = Assert.Throws<GraphException>(build);
        var error = Assert.Single(exception.Errors);
        Assert.Equal(path, error.Path);
        Assert.Equal(error.ToString(), exception.Message);
        return error;
    }

    [Fact]
    public void A_duplicate_path_is_refused_when_the_node_is_added()
    {
        var error = ThrowsOne(() => Stem.Then("conv1", Layers.Relu()), "conv1");

        Assert.Equal("conv1: the path 'conv1' is already taken. Hint: every node needs its own path; use a naming scope", error.ToString());
        Assert.Equal("relu", error.LayerKind);
    }

    [Fact]
    public void An_unknown_input_is_refused_when_the_node_is_added()
    {
        Assert.Equal(
            "relu: input 'conv9' is not an earlier node. Hint: add nodes in order: every input must exist before the node that reads it",
            ThrowsOne(() => Stem.AddNode("relu", Layers.Relu(), "conv9"), "relu").ToString());
    }

    [Fact]
    public void A_node_cannot_read_itself()
    {
        Assert.Equal(
            "relu: a node cannot be its own input (the graph must be acyclic)",
            ThrowsOne(() => Stem.AddNode("relu", Layers.Relu(), "relu"), "relu").ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("conv 1")]
    [InlineData("/conv1")]
    [InlineData("conv1/")]
    [InlineData("stage1//conv1")]
    [InlineData("stage1\\conv1")]
    [InlineData("conv:1")]
    [InlineData("conv.a")]
    [InlineData("stage1/../conv1")]
    public void An_invalid_path_is_refused(string path)
    {
        var error = ThrowsOne(() => Stem.Then(path, Layers.Relu()), path);

        Assert.Equal(
            $"'{path}' is not a valid path: use segments of letters, digits, '_' and '-', separated by '/'",
            error.Message);
    }

    [Fact]
    public void A_path_of_many_segments_with_allowed_punctuation_is_accepted()
    {
        var graph = Stem.Then("stage-2/block_1/conv-a", Layers.Relu());

        Assert.Equal("stage-2/block_1/conv-a", graph.Last);
    }

    [Fact]
    public void A_one_input_layer_given_two_inputs_is_refused()
    {
        Assert.Equal(
            "the conv layer takes exactly one input; got 2",
            ThrowsOne(() => Stem.AddNode("conv2", Layers.Conv(8, 3), "input", "conv1"), "conv2").Message);
    }

    [Fact]
    public void A_merge_given_one_input_is_refused()
    {
        Assert.Equal(
            "the add layer takes two or more inputs; got 1",
            ThrowsOne(() => Stem.AddNode("sum", Layers.Add(), "conv1"), "sum").Message);
    }

    [Fact]
    public void A_highway_gate_given_two_inputs_is_refused()
    {
        Assert.Equal(
            "the highwayGate layer takes three inputs (transform, gate, carry); got 2",
            ThrowsOne(() => Stem.AddNode("y", Layers.HighwayGate(), "input", "conv1"), "y").Message);
    }

    [Fact]
    public void An_input_layer_given_an_input_is_refused()
    {
        Assert.Equal(
            "the input layer takes no inputs; got 1",
            ThrowsOne(() => Stem.AddNode("second", Layers.Input(Shape.Vector(3)), "conv1"), "second").Message);
    }

    [Fact]
    public void Every_structural_problem_of_one_node_is_reported_together()
    {
        var exception = Assert.Throws<GraphException>(() => Stem.AddNode("conv1", Layers.Conv(8, 3), "input", "nowhere"));

        Assert.Equal(
            ["the path 'conv1' is already taken", "the conv layer takes exactly one input; got 2", "input 'nowhere' is not an earlier node"],
            exception.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Then_on_an_empty_graph_has_nothing_to_chain_from()
    {
        Assert.Equal("g: the graph has no nodes", ThrowsOne(() => Graph.Empty("g").Then("relu", Layers.Relu()), "g").ToString());
    }

    [Fact]
    public void Outputs_must_be_nodes_of_the_graph()
    {
        Assert.Equal("nowhere: no node has the path 'nowhere'", ThrowsOne(() => Stem.WithOutputs("conv1", "nowhere"), "nowhere").ToString());
        Assert.Equal(["conv1"], Stem.WithOutputs("conv1").OutputPaths);
    }

    [Fact]
    public void Finding_an_unknown_node_throws_and_try_find_returns_null()
    {
        Assert.Equal("conv9: no node has the path 'conv9' in graph 'g'", ThrowsOne(() => Stem.Find("conv9"), "conv9").ToString());
        Assert.Null(Stem.TryFind("conv9"));
        Assert.Equal(Layers.Conv(8, 3, padding: 1), Stem.Find("conv1").Layer);
    }

    [Fact]
    public void Adding_a_node_returns_a_new_graph_and_leaves_the_old_one_unchanged()
    {
        var longer = Stem.Then("relu", Layers.Relu());

        Assert.Equal(2, Stem.Nodes.Count);
        Assert.Equal(3, longer.Nodes.Count);
        Assert.Equal("conv1", Stem.Last);
        Assert.Equal("relu", longer.Last);
        Assert.Equal(["conv1"], longer.Find("relu").Inputs);
    }

    [Fact]
    public void Validate_returns_no_errors_for_a_valid_graph()
    {
        Assert.Empty(Stem.Validate());
    }

    [Fact]
    public void Validate_lists_the_errors_without_throwing()
    {
        var graph = Stem.Then("fc", Layers.Dense(10)).AddNode("pool", Layers.MaxPool(3), "conv1");

        var errors = graph.Validate();

        // dense on [8, 8, 8] needs Flatten; (8 − 3)/3 + 1 = 2.667 does not tile
        Assert.Equal(["fc", "pool"], errors.Select(e => e.Path));
        Assert.Equal(["dense", "maxPool"], errors.Select(e => e.LayerKind));
    }

    [Fact]
    public void Validate_reports_structural_errors_of_a_graph_built_without_AddNode()
    {
        var input = new Node("input", Layers.Input(Shape.Vector(4)), EquatableArray<string>.Empty);
        var twice = new Node("input", Layers.Relu(), EquatableArray.Of("input"));
        var dangling = new Node("fc", Layers.Dense(2), EquatableArray.Of("nowhere"));
        var graph = new Graph("raw", EquatableArray.Of(input, twice, dangling), EquatableArray.Of("missing"));

        Assert.Equal(
            ["input: the path 'input' is already taken",
             "fc: input 'nowhere' is not an earlier node",
             "missing: the output 'missing' is not a node of the graph"],
            graph.Validate().Select(e => $"{e.Path}: {e.Message}"));
    }

    [Fact]
    public void An_empty_graph_is_invalid()
    {
        Assert.Equal(["g: the graph has no nodes"], Graph.Empty("g").Validate().Select(e => e.ToString()));
    }

    [Fact]
    public void An_input_must_have_one_to_four_positive_dimensions()
    {
        Assert.Equal(
            ["input: an input is [C], [C, L], [C, H, W] or [C, D, H, W]; got 5 dimensions [1, 2, 3, 4, 5]"],
            Graph.Create("g", Shape.Of(1, 2, 3, 4, 5)).Validate().Select(e => e.ToString()));
        Assert.Equal(
            ["input: every input dimension must be at least 1; got [3, 0, 32]"],
            Graph.Create("g", Shape.Image(3, 0, 32)).Validate().Select(e => e.ToString()));
    }
}

using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class GraphJsonTests
{
    private static Graph ResidualBlock() =>
        Graph.Create("residual", Shape.Image(64, 8, 8))
            .Then("block/conv1", Layers.Conv(64, 3, padding: Padding.Same, bias: false))
            .Then("block/bn1", Layers.BatchNorm())
            .Then("block/relu1", Layers.Relu())
            .Then("block/conv2", Layers.Conv(64, Size.Of(3, 3), padding: 1, dilation: 1, rounding: Rounding.Floor, paddingMode: PaddingMode.Circular))
            .AddNode("block/add", Layers.Add(), "block/conv2", "input")
            .Then("head/pool", Layers.GlobalAvgPool())
            .Then("head/fc", Layers.Dense(10))
            .Freeze("block");

    [Fact]
    public void A_graph_read_back_from_its_json_equals_the_original()
    {
        foreach (var graph in new[] { LeNet.LeNet5(), ResidualBlock() })
        {
            var back = Graph.FromJson(graph.ToJson());
            Assert.Equal(graph, back);
            Assert.Equal(graph.ToJson(), back.ToJson());
        }
    }

    [Fact]
    public void The_same_graph_gives_the_same_bytes_every_time()
    {
        Assert.Equal(LeNet.LeNet5().ToJson(), LeNet.LeNet5().ToJson());
        Assert.Equal(ResidualBlock().ToJson(), ResidualBlock().ToJson());
    }

    [Fact]
    public void Every_layer_kind_round_trips()
    {
        var graph = Graph.Create("every-kind", Shape.Image(4, 16, 16))
            .Then("conv", Layers.Conv(8, 3, padding: Padding.Same, groups: 2))
            .Then("convT", Layers.ConvTranspose(8, 2, stride: 2, outputPadding: 1))
            .Then("sep", Layers.SpatiallySeparableConv(8, 3, padding: 1))
            .Then("dws", Layers.DepthwiseSeparableConv(8, 3, padding: 1, depthMultiplier: 2))
            .Then("local", Layers.LocallyConnected(4, 3, padding: 1))
            .Then("deform", Layers.DeformableConv(8, 3, padding: 1, offsetGroups: 2))
            .Then("coord", Layers.CoordConv(8, 3, padding: 1, withRadius: true))
            .Then("lrn", Layers.LocalResponseNorm())
            .Then("bn", Layers.BatchNorm(momentum: 0.01))
            .Then("ln", Layers.LayerNorm())
            .Then("in", Layers.InstanceNorm(affine: true))
            .Then("gn", Layers.GroupNorm(4))
            .Then("prelu", Layers.PRelu())
            .Then("leaky", Layers.LeakyRelu(0.2))
            .Then("drop", Layers.SpatialDropout(0.1))
            .Then("pool", Layers.L2Pool(2, rounding: Rounding.Ceil))
            .Then("adaptive", Layers.AdaptiveMaxPool(Size.Of(4, 2)))
            .Then("softmax", Layers.Softmax())
            .AddNode("gate", Layers.HighwayGate(), "softmax", "softmax", "softmax")
            .AddNode("cat", Layers.Concat(), "gate", "adaptive")
            .Then("gap", Layers.GlobalPool(PoolKind.Sum))
            .Then("fc", Layers.Dense(3, bias: false))
            .Then("logsoftmax", Layers.LogSoftmax());
        Assert.Empty(graph.Validate());
        var json = graph.ToJson();
        Assert.Equal(graph, Graph.FromJson(json));
        Assert.Contains("\"kind\": \"deformableConv\"", json);
        Assert.Contains("\"padding\": \"same\"", json);
    }

    [Fact]
    public void The_json_names_layers_by_kind_and_sizes_as_arrays()
    {
        var json = LeNet.LeNet5().ToJson();
        Assert.StartsWith("{\n  \"format\": \"cnn-functional-graph\",\n  \"version\": 1,\n  \"name\": \"lenet5\",", json);
        Assert.Contains("\"kind\": \"conv\"", json);
        Assert.DoesNotContain("\"arity\"", json);
        Assert.DoesNotContain("\r", json);
    }

    [Theory]
    [InlineData("", "not a valid graph document")]
    [InlineData("{", "not a valid graph document")]
    [InlineData("null", "null")]
    [InlineData("[]", "not a valid graph document")]
    [InlineData("{\"format\":\"other\",\"version\":1,\"name\":\"x\",\"nodes\":[],\"outputs\":[]}", "expected \"format\": \"cnn-functional-graph\"")]
    [InlineData("{\"format\":\"cnn-functional-graph\",\"version\":99,\"name\":\"x\",\"nodes\":[],\"outputs\":[]}", "version 99 is not supported")]
    public void Malformed_documents_are_reported_as_graph_errors(string json, string expected)
    {
        var error = Assert.Throws<GraphException>(() => Graph.FromJson(json));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void An_unknown_layer_kind_is_reported_with_where_it_is()
    {
        var json = LeNet.LeNet5().ToJson().Replace("\"kind\": \"flatten\"", "\"kind\": \"flattenz\"");
        var error = Assert.Throws<GraphException>(() => Graph.FromJson(json));
        Assert.Contains("flattenz", error.Message);
        Assert.Contains("$.nodes", error.Message);
    }

    [Fact]
    public void A_missing_hyperparameter_is_an_error_not_a_null()
    {
        var json = LeNet.LeNet5().ToJson().Replace("\"filters\": 6,", "");
        var error = Assert.Throws<GraphException>(() => Graph.FromJson(json));
        Assert.Contains("filters", error.Message);
    }

    [Fact]
    public void An_unknown_property_is_an_error_so_typos_are_caught()
    {
        var json = LeNet.LeNet5().ToJson().Replace("\"filters\": 6,", "\"filters\": 6, \"filterz\": 6,");
        var error = Assert.Throws<GraphException>(() => Graph.FromJson(json));
        Assert.Contains("filterz", error.Message);
    }

    [Fact]
    public void A_graph_file_that_does_not_exist_is_named_in_the_error()
    {
        var error = Assert.Throws<GraphException>(() => GraphJson.ReadFile("/nonexistent/model.json"));
        Assert.Contains("/nonexistent/model.json", error.Message);
    }

    [Fact]
    public void A_read_graph_with_a_shape_mistake_reports_it_at_inference()
    {
        var json = LeNet.LeNet5().ToJson().Replace("\"shape\": [\n          1,\n          28,\n          28\n        ]", "\"shape\": [1, 30, 30]");
        var graph = Graph.FromJson(json);
        var error = Assert.Throws<GraphException>(() => graph.Infer());
        // 30 → conv1 (pad 2) 30 → pool1 15 → conv2 11 → pool2: 11 is odd.
        Assert.StartsWith("pool2: (11 − 2 + 2·0)/2 + 1 = 5.5 is not an integer", error.Message);
    }
}

public class GraphJsonNullTests
{
    [Theory]
    [InlineData("{\"format\":\"cnn-functional-graph\",\"version\":1,\"name\":\"x\",\"nodes\":[null],\"outputs\":[]}", "$.nodes[0]: a node is null")]
    [InlineData("{\"format\":\"cnn-functional-graph\",\"version\":1,\"name\":\"x\",\"nodes\":[],\"outputs\":[null]}", "$.outputs[0]: an output is null")]
    public void Null_array_elements_are_reported(string json, string expected)
    {
        var error = Assert.Throws<GraphException>(() => Graph.FromJson(json));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_null_input_path_is_a_structure_error_at_inference()
    {
        var json = "{\"format\":\"cnn-functional-graph\",\"version\":1,\"name\":\"x\",\"nodes\":[" +
            "{\"path\":\"input\",\"layer\":{\"kind\":\"input\",\"shape\":[1,4,4]},\"inputs\":[],\"trainable\":true}," +
            "{\"path\":\"r\",\"layer\":{\"kind\":\"activation\",\"function\":\"relu\",\"alpha\":0},\"inputs\":[null],\"trainable\":true}],\"outputs\":[]}";
        var graph = Graph.FromJson(json);
        Assert.NotEmpty(graph.Validate());
    }
}

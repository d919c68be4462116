using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

/// <summary><see cref="Graph.Truncate"/>, <see cref="Graph.Replace"/> and <see cref="Graph.WithInput"/>: the graph operations of transfer learning.</summary>
public class GraphSurgeryTests
{
    [Fact]
    public void Truncating_AlexNet_after_relu7_gives_the_4096_value_CNN_codes_and_drops_only_the_last_layer()
    {
        var alexnet = ModelZoo.Get("alexnet");

        var codes = alexnet.Truncate("classifier/5").Infer();

        Assert.Equal(Shape.Vector(4_096), codes.Output);
        Assert.Equal(alexnet.Nodes.Count - 1, codes.Graph.Nodes.Count);
        // 61,100,840 − the 1000-way layer's 4,097,000
        Assert.Equal(57_003_840, codes.Graph.Summarize().Totals.Parameters);
    }

    [Fact]
    public void A_new_head_after_truncation_becomes_the_output_and_keeps_the_trunks_paths()
    {
        var tuned = ModelZoo.Get("lenet5").Truncate("relu4").Then("head", Layers.Dense(3)).Infer();

        Assert.Equal(Shape.Vector(3), tuned.Output);
        Assert.Equal(["input", "conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2", "relu4", "head"],
            tuned.Graph.Nodes.Select(n => n.Path));
    }

    [Fact]
    public void Truncation_keeps_every_branch_the_node_depends_on_and_drops_the_others()
    {
        var graph = Graph.Create("g", Shape.Image(3, 8, 8))
            .AddNode("a", Layers.Conv(4, 1), "input")
            .AddNode("b", Layers.Conv(4, 3, padding: 1), "input")
            .AddNode("side", Layers.Conv(2, 1), "input")
            .AddNode("sum", Layers.Add(), "a", "b")
            .AddNode("out", Layers.GlobalAvgPool(), "sum")
            .WithOutputs("out", "side");

        var cut = graph.Truncate("sum");

        Assert.Equal(["input", "a", "b", "sum"], cut.Nodes.Select(n => n.Path));
        Assert.Equal(["sum"], cut.OutputPaths);
    }

    [Fact]
    public void Replacing_the_head_changes_the_class_count_and_makes_the_new_node_trainable()
    {
        var frozen = ModelZoo.Get("lenet5").Freeze(_ => true);

        var tuned = frozen.Replace("fc3", Layers.Dense(5)).Infer();

        Assert.Equal(Shape.Vector(5), tuned.Output);
        Assert.True(tuned.Graph.Find("fc3").Trainable);
        Assert.False(tuned.Graph.Find("fc2").Trainable);
        // only the new head learns: 84·5 + 5
        Assert.Equal(425, tuned.Graph.Summarize().Totals.TrainableParameters);
    }

    [Fact]
    public void A_replacement_that_does_not_fit_is_reported_at_inference_naming_the_path_and_the_numbers()
    {
        var broken = ModelZoo.Get("lenet5").Replace("conv2", Layers.Conv(16, 15));

        var error = Assert.Single(broken.Validate(), e => e.Path == "conv2");
        Assert.Contains("15", error.Message);
    }

    [Fact]
    public void Unknown_paths_and_wrong_arity_are_graph_errors()
    {
        var lenet = ModelZoo.Get("lenet5");

        Assert.Contains("nope", Assert.Throws<GraphException>(() => lenet.Truncate("nope")).Message);
        Assert.Contains("nope", Assert.Throws<GraphException>(() => lenet.Replace("nope", Layers.Relu())).Message);
        Assert.Contains("two or more inputs", Assert.Throws<GraphException>(() => lenet.Replace("relu1", Layers.Add())).Message);
    }

    [Fact]
    public void ResNet18_with_a_64_by_64_input_keeps_its_paths_and_parameters_and_does_a_twelfth_of_the_work()
    {
        var full = ModelZoo.Get("resnet18");
        var small = full.WithInput(Shape.Image(3, 64, 64));

        var inferred = small.Infer();
        Assert.Equal(Shape.Vector(1_000), inferred.Output);
        Assert.Equal(full.Nodes.Select(n => n.Path), small.Nodes.Select(n => n.Path));
        Assert.Equal(11_689_512, inferred.Parameters);
        // The spatial work scales with the area: (64/224)² ≈ 1/12 (the classifier's 512,000 MACs do not shrink).
        var ratio = (double)full.Summarize().Totals.Macs / small.Summarize().Totals.Macs;
        Assert.InRange(ratio, 11.5, 12.5);
    }

    [Fact]
    public void An_input_too_small_for_the_network_is_refused_at_inference_naming_the_node()
    {
        var tiny = ModelZoo.Get("lenet5").WithInput(Shape.Image(1, 8, 8));

        var error = Assert.Throws<GraphException>(() => tiny.Infer());
        Assert.Equal("conv2", error.Errors[0].Path);
        Assert.Contains("kernel 5 is larger than the padded input 4", error.Errors[0].Message);
    }

    [Fact]
    public void A_graph_with_two_inputs_cannot_say_which_to_replace()
    {
        var two = Graph.Create("two", Shape.Image(1, 4, 4)).AddNode("other", new Input(Shape.Image(1, 4, 4)));

        var error = Assert.Throws<GraphException>(() => two.WithInput(Shape.Image(1, 8, 8)));
        Assert.Contains("exactly one input node; 'two' has 2", error.Message);
    }
}

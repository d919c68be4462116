using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

/// <summary>Graphs are values: built the same way they are equal, with equal hash codes; any change makes them differ.</summary>
public class GraphEqualityTests
{
    private static Graph Build(int kernel = 3, string path = "conv", int units = 10) =>
        Graph.Create("net", Shape.Image(3, 32, 32))
            .Then(path, Layers.Conv(16, kernel, padding: Padding.Same))
            .Then("relu", Layers.Relu())
            .Then("pool", Layers.GlobalAvgPool())
            .Then("fc", Layers.Dense(units));

    [Fact]
    public void Two_graphs_built_the_same_way_are_equal_with_equal_hash_codes()
    {
        var first = Build();
        var second = Build();

        Assert.NotSame(first, second);
        Assert.True(first == second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void LeNet5_built_twice_is_equal()
    {
        Assert.Equal(LeNet.LeNet5(), LeNet.LeNet5());
        Assert.Equal(LeNet.LeNet5().GetHashCode(), LeNet.LeNet5().GetHashCode());
        Assert.NotEqual(LeNet.LeNet5(), LeNet.LeNet5(classes: 100));
    }

    [Fact]
    public void A_changed_hyperparameter_makes_graphs_unequal()
    {
        Assert.True(Build(kernel: 3) != Build(kernel: 5));
        Assert.NotEqual(Build(units: 10), Build(units: 11));
    }

    [Fact]
    public void A_changed_path_name_or_input_makes_graphs_unequal()
    {
        Assert.NotEqual(Build(path: "conv"), Build(path: "conv1"));
        Assert.NotEqual(Build(), Build().WithName("other"));
        Assert.NotEqual(Build(), Build().WithOutputs("pool"));
        Assert.NotEqual(
            Graph.Create("g", Shape.Vector(4)).AddNode("a", Layers.Relu(), "input").AddNode("b", Layers.Relu(), "input"),
            Graph.Create("g", Shape.Vector(4)).AddNode("a", Layers.Relu(), "input").AddNode("b", Layers.Relu(), "a"));
    }

    [Fact]
    public void Freezing_makes_graphs_unequal_and_unfreezing_restores_equality()
    {
        var frozen = Build().Freeze("conv");

        Assert.NotEqual(Build(), frozen);
        Assert.Equal(Build(), frozen.Unfreeze("conv"));
    }

    [Fact]
    public void Layers_with_equal_sizes_given_differently_are_equal()
    {
        // an int converts to Size.All: the same value as Size.All(3), and Padding 0 is Padding.Valid
        Assert.Equal(Layers.Conv(8, 3), Layers.Conv(8, Size.All(3), stride: 1, padding: Padding.Valid, dilation: 1));
        Assert.Equal(Layers.Conv(8, 3).GetHashCode(), Layers.Conv(8, Size.All(3)).GetHashCode());
        // but one number for all dimensions is not the same value as one per dimension
        Assert.NotEqual(Layers.Conv(8, 3), Layers.Conv(8, Size.Of(3, 3)));
    }

    [Fact]
    public void Inferred_graphs_of_equal_graphs_are_equal()
    {
        Assert.Equal(Build().Infer(), Build().Infer());
        Assert.Equal(Build().Summarize(), Build().Summarize());
    }
}

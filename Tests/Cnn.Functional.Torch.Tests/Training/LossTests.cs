using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Training;

[Collection("Training")]
public class LossTests
{
    [Fact]
    public void Cross_entropy_is_minus_the_log_softmax_of_the_true_class_averaged()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[,] { { 1, 2, 3 }, { 0, 0, 5 } });
        var labels = tensor(new long[] { 0, 2 });
        var byHand = (-(1 - Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3))) - (5 - Math.Log(2 + Math.Exp(5)))) / 2;
        Assert.Equal(byHand, Losses.CrossEntropy(logits, labels).item<float>(), 5);
        Assert.Equal(byHand, Losses.NegativeLogLikelihood(logits.log_softmax(1), labels).item<float>(), 5);
        Assert.Equal(byHand, Losses.NegativeLogLikelihoodOfProbabilities(logits.softmax(1), labels).item<float>(), 5);
    }

    [Fact]
    public void The_output_node_decides_the_loss()
    {
        var trunk = Graph.Create("heads", Shape.Vector(4)).Then("fc", Layers.Dense(3));
        Assert.Equal(new ModelOutput(OutputKind.Logits, "fc", "fc", 3), ModelOutput.Of(trunk.Infer()));
        Assert.Equal(new ModelOutput(OutputKind.Probabilities, "prob", "fc", 3), ModelOutput.Of(trunk.Then("prob", Layers.Softmax()).Infer()));
        Assert.Equal(new ModelOutput(OutputKind.LogProbabilities, "logp", "logp", 3), ModelOutput.Of(trunk.Then("logp", Layers.LogSoftmax()).Infer()));
        // The zoo's paper-layout AlexNet ends, as the lecture says, in a soft-max: its logits are fc8's.
        var alexnet = ModelOutput.Of(ModelZoo.Get("alexnet_2012").Infer());
        Assert.Equal(OutputKind.Probabilities, alexnet.Kind);
        Assert.Equal("prob", alexnet.OutputPath);
        Assert.EndsWith("fc8", alexnet.ScorePath);
    }

    [Fact]
    public void An_output_that_is_not_one_score_per_class_is_refused_at_its_node()
    {
        var graph = Graph.Create("maps", Shape.Image(1, 8, 8)).Then("conv", Layers.Conv(4, 3));
        var error = Assert.Throws<GraphException>(() => ModelOutput.Of(graph.Infer()));
        Assert.Equal("conv: a classifier's output is one score per class, [K]; this node gives [4, 6, 6]. " +
            "Hint: end the graph with Flatten and a Dense layer of K units, or a global pooling over K channels", error.Message);
    }

    [Fact]
    public void A_final_softmax_trains_on_its_logits_and_stays_finite_where_log_of_the_output_saturates()
    {
        // Logits (200, −200) for an example of class 1: the true cross-entropy is 400; softmax gives p₁ = 0 in float32.
        var graph = Graph.Create("saturated", Shape.Vector(1)).Then("fc", Layers.Dense(2, bias: false)).Then("prob", Layers.Softmax());
        using var module = GraphModule.Create(graph);
        var weight = module.parameters().Single();
        using (no_grad()) weight.copy_(tensor(new float[,] { { 200 }, { -200 } }));
        var output = ModelOutput.Of(module.Graph);
        using var scope = NewDisposeScope();
        var x = ones(1, 1);
        var y = tensor(new long[] { 1 });
        var scored = output.Score(module, x, y);
        Assert.Equal(400, scored.Loss.item<float>(), 3);
        scored.Loss.backward();
        Assert.True(weight.grad!.abs().sum().item<float>() > 1, "the gradient survives");
        // Taking the log of the output instead gives a loss clamped at −log(1e−45) ≈ 103 and no gradient.
        Assert.Equal(103.28, Losses.NegativeLogLikelihoodOfProbabilities(module.forward(x), y).item<float>(), 1);
    }

    [Fact]
    public void LeNets_RBF_distances_train_as_negated_logits()
    {
        var graph = Graph.Create("rbf", Shape.Vector(4)).Then("out", Layers.RbfOutput(3));
        Assert.Equal(new ModelOutput(OutputKind.Distances, "out", "out", 3), ModelOutput.Of(graph.Infer()));
    }
}

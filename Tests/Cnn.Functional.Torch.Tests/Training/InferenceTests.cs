using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Training;

/// <summary>
/// The fast inference path (inference mode, channels-last batches; see <see cref="Inference"/>) computes what a plain
/// forward pass in evaluation mode under no_grad computes: the same scores within float rounding, the same predictions,
/// and the same evaluation.
/// </summary>
[Collection("Training")]
public class InferenceTests
{
    // Grey and colour inputs take different channels-last routes (a restrided view, a copy); pooling and a
    // dense layer after it read the channels-last activations in NCHW order.
    private static Graph Net(int channels) =>
        Graph.Create($"fast{channels}", Shape.Image(channels, 12, 12))
            .Then("conv1", Layers.Conv(8, 3, padding: 1))
            .Then("relu1", Layers.Relu())
            .Then("conv2", Layers.Conv(16, 3, padding: 1))
            .Then("relu2", Layers.Relu())
            .Then("pool", Layers.MaxPool(2))
            .Then("flatten", Layers.Flatten())
            .Then("fc", Layers.Dense(5));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Predict_gives_the_scores_and_predictions_of_a_plain_forward_pass(int channels)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var module = GraphModule.Create(Net(channels));
        var x = rand(45, channels, 12, 12);
        module.eval();
        Tensor expected;
        using (no_grad()) expected = module.forward(x);
        module.train();

        var scores = Inference.Predict(module, x, batchSize: 16);

        Assert.Equal(expected.shape, scores.shape);
        Assert.True(scores.allclose(expected, rtol: 1e-4, atol: 1e-5), $"largest difference {(scores - expected).abs().max().item<float>()}");
        Assert.Equal(expected.argmax(1).data<long>().ToArray(), scores.argmax(1).data<long>().ToArray());
        Assert.True(module.training, "Predict restores the mode it found");
        // An ordinary tensor, not an inference tensor: changing it in place outside inference mode is allowed.
        scores.add_(1);
    }

    [Fact]
    public void Evaluate_counts_what_a_plain_forward_pass_predicts()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        using var module = GraphModule.Create(Net(1));
        var images = rand(70, 1, 12, 12);
        var labels = randint(0, 5, [70]);
        using var data = new Dataset("random", images.alias(), labels.alias(), 5, EquatableArray.Of("a", "b", "c", "d", "e"));
        using var trainer = new Trainer(module, new TrainingOptions { EvaluationBatchSize = 32 });
        module.eval();
        Tensor logits;
        using (no_grad()) logits = module.forward(images);
        var predicted = logits.argmax(1).data<long>().ToArray();
        var actual = labels.data<long>().ToArray();

        var evaluation = trainer.Evaluate(data);

        for (var a = 0; a < 5; a++)
            for (var p = 0; p < 5; p++)
                Assert.Equal(actual.Zip(predicted).Count(z => z.First == a && z.Second == p), evaluation.Confusion[a, p]);
        Assert.Equal(nn.functional.cross_entropy(logits, labels).item<float>(), evaluation.Loss, 4);
    }
}

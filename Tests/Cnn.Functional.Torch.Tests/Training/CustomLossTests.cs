using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Training;

/// <summary><see cref="TrainingOptions.Loss"/>: the trainer steps on the given loss, and refuses one that is not a float32 scalar.</summary>
[Collection("Training")]
public class CustomLossTests
{
    [Fact]
    public void The_trainer_steps_on_the_custom_loss()
    {
        using var train = Synthetic.Quadrants(256, seed: 1);
        var graph = Synthetic.SmallNet(dropout: false, batchNorm: false);
        using var module = Synthetic.Module(graph, 4);
        using var reference = Synthetic.Module(graph, 4);
        // A loss with zero gradient everywhere: Adam's steps are zero, so no weight moves.
        var options = new TrainingOptions { Epochs = 1, BatchSize = 32, Loss = (scores, labels) => scores.sum().mul(0) };
        using (var trainer = new Trainer(module, options)) trainer.Fit(train);
        Assert.True(Synthetic.SameBits(module, reference));
        // The output's own loss moves them.
        using (var trainer = new Trainer(module, options with { Loss = null })) trainer.Fit(train);
        Assert.False(Synthetic.SameBits(module, reference));
    }

    [Fact]
    public void A_custom_loss_that_is_not_a_float32_scalar_is_refused_by_name()
    {
        using var train = Synthetic.Quadrants(64, seed: 1);
        using var module = Synthetic.Module(Synthetic.SmallNet(), 4);
        using var trainer = new Trainer(module, new TrainingOptions { Epochs = 1, BatchSize = 32, Loss = (scores, labels) => scores.sum(1).to_type(ScalarType.Float64) });
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(train));
        Assert.StartsWith("TrainingOptions.Loss must return a float32 scalar; it returned Float64 [32]", error.Message);
    }
}

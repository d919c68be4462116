using Cnn.Functional.Tests.Training;
using Cnn.Functional.Torch;

namespace Cnn.Functional.Tests.Explain;

/// <summary>Adversarial training through the trainer's hook: it attacks with the loss the run trains with, and stays reproducible.</summary>
[Collection("Training")]
public class AdversarialTrainingTests
{
    [Fact]
    public void The_attack_differentiates_the_custom_loss_when_the_run_has_one()
    {
        using var train = Synthetic.Quadrants(256, seed: 1);
        using var module = Synthetic.Module(Synthetic.SmallNet(dropout: false, batchNorm: false), 4);
        var calls = 0;
        var options = new TrainingOptions
        {
            Epochs = 1, BatchSize = 32, BatchEventInterval = 0, Adversarial = new AdversarialTraining(0.1),
            Loss = (scores, labels) => { calls++; return TorchSharp.torch.nn.functional.cross_entropy(scores, labels); },
        };
        using (var trainer = new Trainer(module, options)) trainer.Fit(train);
        // 8 steps: each calls the loss once for the FGSM step and once for the training step.
        Assert.Equal(16, calls);
    }

    [Fact]
    public void Adversarial_training_is_reproducible_and_differs_from_normal_training()
    {
        using var train = Synthetic.Quadrants(256, seed: 1);
        var graph = Synthetic.SmallNet();
        var options = new TrainingOptions { Epochs = 1, BatchSize = 32, BatchEventInterval = 0, Adversarial = new AdversarialTraining(0.1) };
        using var first = Synthetic.Module(graph, 4);
        using var second = Synthetic.Module(graph, 4);
        using var normal = Synthetic.Module(graph, 4);
        using (var trainer = new Trainer(first, options)) trainer.Fit(train);
        using (var trainer = new Trainer(second, options)) trainer.Fit(train);
        using (var trainer = new Trainer(normal, options with { Adversarial = null })) trainer.Fit(train);
        Assert.True(Synthetic.SameBits(first, second), "the same seed gives the same weights");
        Assert.False(Synthetic.SameBits(first, normal), "the attacked half of each batch changes the steps");
    }
}

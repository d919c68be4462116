using Cnn.Functional.Torch;

namespace Cnn.Functional.Tests.Training;

[Collection("Training")]
public class FreezingTests
{
    [Fact]
    public void Frozen_nodes_keep_their_weights_and_buffers_and_get_no_gradient_or_state()
    {
        var graph = Synthetic.SmallNet().Freeze("conv1").Freeze("bn1");
        using var data = Synthetic.Quadrants(128, seed: 1);
        using var module = Synthetic.Module(graph, 1);
        var before = Synthetic.Weights(module);
        using var trainer = new Trainer(module, new TrainingOptions { Epochs = 2, BatchSize = 32, Optimizer = Optimizers.Sgd() });
        trainer.Fit(data);

        string[] frozen = ["conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked"];
        foreach (var name in frozen)
            Assert.True(Synthetic.SameBits(before[name], module.state_dict()[name]), $"{name} changed");
        Assert.False(Synthetic.SameBits(before["conv2.weight"], module.state_dict()["conv2.weight"]), "the rest trains");
        Assert.Equal(["conv2.bias", "conv2.weight", "fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"], trainer.Optimizer.ParameterNames.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(trainer.Optimizer.State().Keys, k => k.StartsWith("conv1.") || k.StartsWith("bn1."));
        Assert.All(module.named_parameters().Where(p => frozen.Contains(p.name)), p => Assert.False(p.parameter.requires_grad));
        Assert.All(module.named_parameters().Where(p => frozen.Contains(p.name)), p => Assert.Null(p.parameter.grad));
        foreach (var t in before.Values) t.Dispose();
    }

    [Fact]
    public void A_graph_with_nothing_left_to_train_is_refused()
    {
        using var module = Synthetic.Module(Synthetic.SmallNet().Freeze(_ => true), 1);
        var error = Assert.Throws<ArgumentException>(() => new Trainer(module));
        Assert.StartsWith("module 'small' has no trainable parameters: every node is frozen or has no weights", error.Message);
    }
}

using Cnn.Functional.Tests.Training;
using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.TransferLearning;

/// <summary>
/// Transfer learning end to end: load weights by path, replace the head, freeze the trunk, fine-tune with a smaller
/// learning rate — and what each step must leave alone.
/// </summary>
[Collection("Training")]
public sealed class TransferTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cnnf-transfer-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static Graph Trunk => Synthetic.SmallNet(dropout: false);

    private static bool Same(GraphModule a, GraphModule b, string name) => Synthetic.SameBits(a.state_dict()[name], b.state_dict()[name]);

    [Fact]
    public void Weights_load_by_path_and_a_replaced_head_keeps_its_fresh_weights()
    {
        using var source = Synthetic.Module(Trunk, 1);
        using var target = Synthetic.Module(Trunk.Replace("fc2", Layers.Dense(3)), 2);
        using var fresh = Synthetic.Module(Trunk.Replace("fc2", Layers.Dense(3)), 2);

        var report = Transfer.LoadWeights(target, source);

        Assert.Equal(["fc2.bias", "fc2.weight"], report.Mismatched.Order());
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unused);
        Assert.Contains("bn1.running_mean", report.Loaded);
        foreach (var name in report.Loaded) Assert.True(Same(source, target, name), name);
        Assert.True(Same(fresh, target, "fc2.weight"), "the new head is as initialised");
    }

    [Fact]
    public void A_truncated_source_reports_its_missing_head_and_an_extended_one_its_unused_tensors()
    {
        using var trunkOnly = Synthetic.Module(Trunk.Truncate("relu3"), 1);
        using var whole = Synthetic.Module(Trunk, 2);

        var intoWhole = Transfer.LoadWeights(whole, trunkOnly);
        Assert.Equal(["fc2.bias", "fc2.weight"], intoWhole.Missing.Order());

        var intoTrunk = Transfer.LoadWeights(trunkOnly, whole);
        Assert.Equal(["fc2.bias", "fc2.weight"], intoTrunk.Unused);
        Assert.Contains("unused (fc2.bias, fc2.weight)", intoTrunk.ToString());
    }

    [Fact]
    public void A_path_selection_copies_only_those_nodes()
    {
        using var source = Synthetic.Module(Trunk, 1);
        using var target = Synthetic.Module(Trunk, 2);

        var report = Transfer.LoadWeights(target, source, TransferOptions.Only("conv1", "bn1"));

        Assert.Equal(["bn1.bias", "bn1.num_batches_tracked", "bn1.running_mean", "bn1.running_var", "bn1.weight", "conv1.bias", "conv1.weight"], report.Loaded.Order());
        Assert.True(Same(source, target, "conv1.weight"));
        Assert.False(Same(source, target, "conv2.weight"));
        Assert.Contains("nothing", Assert.Throws<ArgumentException>(() => Transfer.LoadWeights(target, source, TransferOptions.Only("nothing"))).Message);
    }

    [Fact]
    public void Strict_loading_refuses_a_mismatch_and_changes_nothing()
    {
        using var source = Synthetic.Module(Trunk, 1);
        using var target = Synthetic.Module(Trunk.Replace("fc2", Layers.Dense(3)), 2);
        using var before = Synthetic.Module(Trunk.Replace("fc2", Layers.Dense(3)), 2);

        var error = Assert.Throws<ArgumentException>(() => Transfer.LoadWeights(target, source, new TransferOptions(Strict: true)));

        Assert.Contains("fc2", error.Message);
        Assert.Contains("[4, 32]", error.Message);
        Assert.Contains("[3, 32]", error.Message);
        Assert.True(Synthetic.SameBits(before, target));
    }

    [Fact]
    public void A_trained_checkpoint_fine_tunes_a_new_head_with_a_frozen_trunk_and_a_slower_middle()
    {
        using var data = Synthetic.Quadrants(256, seed: 7);
        var path = Path.Combine(folder, "trained.ckpt");
        using var trained = Synthetic.Module(Trunk, 1);
        using (var trainer = new Trainer(trained, new TrainingOptions { Epochs = 2, BatchSize = 32, LearningRate = 0.01 }))
        {
            trainer.Fit(data);
            trainer.SaveCheckpoint(path);
        }

        // New task: the same quadrant images, fine-tuned into a fresh 4-way head.
        var tunedGraph = Trunk.Replace("fc2", Layers.Dense(4)).Freeze("conv1").Freeze("bn1");
        using var tuned = Synthetic.Module(tunedGraph, 3);
        var report = Transfer.LoadWeights(tuned, path, TransferOptions.Only("conv1", "bn1", "conv2", "fc1"));
        Assert.Equal(11, report.Loaded.Count); // conv1 2, bn1 5 (with its running statistics), conv2 2, fc1 2
        using var loaded = Synthetic.Module(tunedGraph, 4);
        Transfer.LoadWeights(loaded, tuned);
        var options = new TrainingOptions
        {
            Epochs = 1, BatchSize = 32, LearningRate = 0.01, Optimizer = Optimizers.Sgd(momentum: 0, weightDecay: 0),
            LearningRateScales = [new LearningRateScale("conv2", 0.1), new LearningRateScale("fc1", 0.5)],
        };
        using var fineTune = new Trainer(tuned, options);
        var accuracy = fineTune.Fit(data).History[^1].Training.Accuracy;

        Assert.Equal(["conv2.bias", "conv2.weight", "fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"], fineTune.Optimizer.ParameterNames.Order());
        Assert.Equal([0.1, 0.1, 0.5, 0.5, 1.0, 1.0], fineTune.Optimizer.LearningRateScales);
        Assert.DoesNotContain(fineTune.Optimizer.State().Keys, k => k.StartsWith("conv1", StringComparison.Ordinal) || k.StartsWith("bn1", StringComparison.Ordinal));
        foreach (var name in new[] { "conv1.weight", "bn1.weight", "bn1.running_mean", "bn1.running_var" })
            Assert.True(Same(loaded, tuned, name), $"frozen {name} is unchanged");
        Assert.False(Same(loaded, tuned, "conv2.weight"));
        Assert.True(accuracy > 0.8, $"the transferred features separate the quadrants at once: training accuracy {accuracy:P1}");
    }

    [Fact]
    public void A_scaled_parameter_steps_exactly_its_factor_times_as_far()
    {
        using var module = Synthetic.Module(Trunk, 1);
        using var sgd = new Sgd(module, learningRate: 0.1, momentum: 0, weightDecay: 0);
        sgd.ScaleLearningRate("conv2.weight", 0.25);
        using var before = Synthetic.Module(Trunk, 1);
        foreach (var p in module.parameters()) p.grad = ones_like(p);

        sgd.Step();

        using var scope = NewDisposeScope();
        var scaled = (before.state_dict()["conv2.weight"] - module.state_dict()["conv2.weight"]).abs().max().item<float>();
        var full = (before.state_dict()["conv1.weight"] - module.state_dict()["conv1.weight"]).abs().max().item<float>();
        Assert.Equal(0.025f, scaled, 1e-6f);
        Assert.Equal(0.1f, full, 1e-6f);
    }

    [Fact]
    public void Scales_that_match_nothing_trainable_or_are_not_positive_are_refused()
    {
        using var module = Synthetic.Module(Trunk.Freeze("conv1"), 1);

        var frozen = Assert.Throws<ArgumentException>(() => new Trainer(module, new TrainingOptions { LearningRateScales = [new LearningRateScale("conv1", 0.1)] }));
        Assert.Contains("'conv1' matches no node with trainable parameters", frozen.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(module, new TrainingOptions { LearningRateScales = [new LearningRateScale("conv2", 0)] }));
    }
}

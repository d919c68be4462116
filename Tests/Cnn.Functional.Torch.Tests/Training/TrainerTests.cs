using Cnn.Functional.Torch;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Training;

[Collection("Training")]
public class TrainerTests(ITestOutputHelper output)
{
    private static TrainingOptions Recipe(int epochs = 3) => new() { Epochs = epochs, BatchSize = 32, LearningRate = 3e-3, Seed = 5 };

    [Fact]
    public void A_small_net_learns_the_quadrant_problem()
    {
        using var train = Synthetic.Quadrants(1024, seed: 1);
        using var test = Synthetic.Quadrants(256, seed: 2);
        using var module = Synthetic.Module(Synthetic.SmallNet(), 1);
        using var trainer = new Trainer(module, Recipe());
        var recorder = new Synthetic.Recorder();
        var result = trainer.Fit(train, progress: recorder);
        var evaluation = trainer.Evaluate(test);
        output.WriteLine(string.Join("\n", result.History.Select(e => $"epoch {e.Epoch}: loss {e.Training.Loss:F4}, accuracy {e.Training.Accuracy:P1}, {e.SamplesPerSecond:F0} samples/s")));
        output.WriteLine($"test: loss {evaluation.Loss:F4}, accuracy {evaluation.Accuracy:P1}; {result.TrainSeconds:F2} s");

        Assert.Equal(StopReason.Completed, result.Reason);
        Assert.Equal(3, result.Epochs);
        Assert.True(result.History[2].Training.Loss < result.History[0].Training.Loss / 2, "the loss falls");
        Assert.True(evaluation.Accuracy > 0.9, $"test accuracy {evaluation.Accuracy:P1}");
        Assert.True(result.TrainSeconds < 20);
        Assert.False(module.training, "Fit leaves the module in evaluation mode");

        // Events: a batch event per step (32 steps per epoch), an epoch event per epoch, a final stop event.
        var batches = recorder.Events.OfType<BatchEnded>().ToList();
        Assert.Equal(3 * 32, batches.Count);
        Assert.All(batches, b => Assert.True(b.SamplesPerSecond > 0 && b.LearningRate == 3e-3 && b.Batches == 32));
        Assert.Equal(result.History, recorder.Epochs);
        Assert.Equal(new TrainingStopped(StopReason.Completed, "trained 3 epochs"), recorder.Events[^1]);
        Assert.Equal(batches.Last(b => b.Epoch == 1).Loss, result.History[0].Training.Loss, 12);
    }

    [Fact]
    public void Evaluation_counts_every_example_once_in_the_confusion_matrix()
    {
        using var data = Synthetic.Quadrants(300, seed: 3);
        using var module = Synthetic.Module(Synthetic.SmallNet(), 2);
        using var trainer = new Trainer(module, Recipe(1) with { EvaluationBatchSize = 64 });
        var evaluation = trainer.Evaluate(data);
        var counts = data.Labels.bincount(null, 4).data<long>().ToArray();
        Assert.Equal(300, evaluation.Confusion.Total);
        Assert.Equal(counts, Enumerable.Range(0, 4).Select(i => (long)evaluation.Confusion.Counts[i].Sum()));
        Assert.Equal(evaluation.Confusion.Accuracy, evaluation.Accuracy);
        Assert.True(module.training, "Evaluate restores the mode it found");
        module.eval();
        using (var scope = NewDisposeScope())
        {
            var predicted = module.forward(data.Images).argmax(1);
            Assert.Equal((double)predicted.eq(data.Labels).sum().item<long>() / 300, evaluation.Accuracy, 12);
            Assert.Equal(predicted.eq(1).logical_and(data.Labels.eq(2)).sum().item<long>(), evaluation.Confusion[2, 1]);
        }
        Assert.Equal(evaluation, trainer.Evaluate(data));
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_bit_for_bit()
    {
        using var data = Synthetic.Quadrants(256, seed: 4);
        using var a = Synthetic.Module(Synthetic.SmallNet(), 7);
        using var b = Synthetic.Module(Synthetic.SmallNet(), 7);
        using (var trainer = new Trainer(a, Recipe(2))) trainer.Fit(data);
        // Draw from the global generator in between: Fit reseeds it, so this must not matter.
        using (var scope = NewDisposeScope()) randn(100);
        using (var trainer = new Trainer(b, Recipe(2))) trainer.Fit(data);
        Assert.True(Synthetic.SameBits(a, b));
        using var c = Synthetic.Module(Synthetic.SmallNet(), 7);
        using (var trainer = new Trainer(c, Recipe(2) with { Seed = 6 })) trainer.Fit(data);
        Assert.False(Synthetic.SameBits(a, c), "another seed shuffles and drops out differently");
    }

    [Fact]
    public void Data_that_does_not_fit_the_graph_is_refused_with_shapes_and_labels_named()
    {
        using var module = GraphModule.Create(Synthetic.SmallNet());
        using var trainer = new Trainer(module, Recipe());
        using var wrongShape = new Dataset("wide", zeros(4, 1, 12, 13), zeros(4, ScalarType.Int64), 4, EquatableArray.Of("a", "b", "c", "d"));
        var error = Assert.Throws<GraphException>(() => trainer.Fit(wrongShape));
        Assert.StartsWith("input: the training set 'wide' holds examples of shape [1, 12, 13]; the graph's input is [1, 12, 12]", error.Message);
        using var badLabels = new Dataset("labels", zeros(2, 1, 12, 12), tensor(new long[] { 0, 4 }), 4, EquatableArray.Of("a", "b", "c", "d"));
        Assert.Contains("has labels from 0 to 4; the graph's output has classes 0 to 3", Assert.Throws<ArgumentException>(() => trainer.Evaluate(badLabels)).Message);
        using var train = Synthetic.Quadrants(64, seed: 1);
        using var plateau = new Trainer(module, Recipe() with { Schedule = Schedules.DivideOnPlateau() });
        Assert.Contains("watches ValidationError, which needs a validation set", Assert.Throws<ArgumentException>(() => plateau.Fit(train)).Message);
    }

    [Fact]
    public void A_held_out_fraction_validates_every_epoch()
    {
        using var data = Synthetic.Quadrants(400, seed: 8);
        using var module = Synthetic.Module(Synthetic.SmallNet(), 3);
        using var trainer = new Trainer(module, Recipe(2) with { ValidationFraction = 0.25 });
        var recorder = new Synthetic.Recorder();
        var result = trainer.Fit(data, progress: recorder);
        Assert.All(result.History, e => Assert.NotNull(e.Validation));
        // 300 training examples in batches of 32: 10 steps per epoch.
        Assert.Equal(10, recorder.Events.OfType<BatchEnded>().First().Batches);
        Assert.Equal(result.History.MinBy(e => e.Validation!.Loss)!.Epoch, result.BestEpoch);
    }

    [Fact]
    public void A_diverging_loss_stops_training_and_keeps_the_last_good_weights()
    {
        using var data = Synthetic.Quadrants(256, seed: 9);
        using var module = Synthetic.Module(Synthetic.SmallNet(batchNorm: false, dropout: false), 4);
        var before = Synthetic.Weights(module);
        using var trainer = new Trainer(module, Recipe(3) with { Optimizer = Optimizers.Sgd(momentum: 0.9), LearningRate = 1e6 });
        var recorder = new Synthetic.Recorder();
        var result = trainer.Fit(data, progress: recorder);
        Assert.Equal(StopReason.Diverged, result.Reason);
        Assert.Matches(@"^the loss became (NaN|∞|-∞|Infinity|-Infinity) in epoch 1, step \d+: training diverged \(try a smaller learning rate\); the weights are those after epoch 0$", result.Message);
        Assert.Equal(0, result.Epochs);
        Assert.All(module.state_dict(), kv => Assert.True(Synthetic.SameBits(before[kv.Key], kv.Value), kv.Key));
        Assert.IsType<TrainingStopped>(recorder.Events[^1]);
        foreach (var t in before.Values) t.Dispose();
    }

    [Fact]
    public void Cancellation_stops_between_steps()
    {
        using var data = Synthetic.Quadrants(256, seed: 10);
        using var module = Synthetic.Module(Synthetic.SmallNet(), 5);
        using var trainer = new Trainer(module, Recipe(3));
        using var cancel = new CancellationTokenSource();
        var recorder = new Synthetic.Recorder { OnEvent = e => { if (e is BatchEnded { Batch: 3 }) cancel.Cancel(); } };
        var result = trainer.Fit(data, progress: recorder, cancellation: cancel.Token);
        Assert.Equal(StopReason.Cancelled, result.Reason);
        Assert.Equal("cancelled in epoch 1 after 3 of 8 steps", result.Message);
    }

    [Fact]
    public void A_device_that_is_not_there_is_refused()
    {
        using var module = GraphModule.Create(Synthetic.SmallNet());
        var error = Assert.Throws<ArgumentException>(() => new Trainer(module, new TrainingOptions { Device = "cuda:0" }));
        Assert.StartsWith("device 'cuda:0' is not available: this TorchSharp build runs on the CPU only", error.Message);
    }
}

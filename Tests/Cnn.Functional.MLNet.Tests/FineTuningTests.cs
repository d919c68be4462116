using Cnn.Functional.Torch;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet.Tests;

/// <summary>
/// Fine-tuning through the pipeline: start from saved weights (a saved ML.NET model, or a training checkpoint),
/// freeze the transferred nodes, train a new head for a new task.
/// </summary>
[Collection(FashionCollection.Name)]
public sealed class FineTuningTests(FashionFixture fashion, ITestOutputHelper log) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cnnf-mlnet-").FullName;

    private MLContext Context => fashion.Context;

    // A new three-way task on the same images: tops, footwear, other.
    private static readonly KeyValuePair<uint, string>[] Groups =
    [
        new(0, "top"), new(2, "top"), new(4, "top"), new(6, "top"),
        new(5, "footwear"), new(7, "footwear"), new(9, "footwear"),
        new(1, "other"), new(3, "other"), new(8, "other"),
    ];

    private EstimatorChain<CnnScoringTransformer> Pipeline(Graph graph, CnnNetwork? initial) =>
        Context.Transforms.Conversion.MapValue("Group", Groups, "Label")
            .Append(Context.Transforms.Conversion.MapValueToKey("GroupKey", "Group"))
            .Append(Context.MulticlassClassification.Trainers.Cnn(graph, new CnnTrainerOptions
            {
                LabelColumnName = "GroupKey",
                InitialWeights = initial,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 32, BatchEventInterval = 0, Seed = 5 },
            }));

    [Fact]
    public void A_new_head_on_frozen_saved_weights_learns_a_new_task_from_few_examples()
    {
        var path = Path.Combine(folder, "lenet.zip");
        CnnModel.Save(Context, fashion.LeNet.Model, fashion.Train.Schema, path);
        using var saved = CnnModel.Load(new MLContext(), path);
        var pretrained = ((IEnumerable<ITransformer>)saved.Model).OfType<CnnScoringTransformer>().Single().Network;

        var tuned = pretrained.Graph.Replace("fc3", Layers.Dense(3)).Freeze("conv1").Freeze("conv2").Freeze("fc1").Freeze("fc2");
        var few = fashion.TrainPrefix(1000);
        var test = fashion.TestPrefix(2000);
        using var fine = Pipeline(tuned, pretrained).Fit(few);
        using var scratch = Pipeline(pretrained.Graph.Replace("fc3", Layers.Dense(3)), null).Fit(few);
        var fineAccuracy = Context.MulticlassClassification.Evaluate(fine.Transform(test), "GroupKey").MicroAccuracy;
        var scratchAccuracy = Context.MulticlassClassification.Evaluate(scratch.Transform(test), "GroupKey").MicroAccuracy;
        log.WriteLine($"3-way task from 1,000 images, 1 epoch: fine-tuned new head {fineAccuracy:F4}, from scratch {scratchAccuracy:F4}; {fine.LastTransformer.Transfer}");

        var report = fine.LastTransformer.Transfer!;
        Assert.Contains("conv1.weight", report.Loaded);
        Assert.Contains("fc3.weight", report.Mismatched);
        AssertSameWeights(pretrained, fine.LastTransformer.Network, ["conv1", "conv2", "fc1", "fc2"]);
        Assert.True(fineAccuracy > 0.85, $"fine-tuned accuracy {fineAccuracy:F4}");
        Assert.True(fineAccuracy > scratchAccuracy + 0.03, $"fine-tuned {fineAccuracy:F4} is not above from-scratch {scratchAccuracy:F4}");
    }

    [Fact]
    public void A_training_checkpoint_is_a_network_to_start_from()
    {
        var path = Path.Combine(folder, "checkpoint.zip");
        using (var module = GraphModule.Create(fashion.LeNet.Scorer.Network.Graph))
        {
            Transfer.LoadWeights(module, fashion.LeNet.Scorer.Network.Module);
            using var trainer = new Trainer(module);
            trainer.SaveCheckpoint(path);
        }
        using var network = CnnNetwork.FromCheckpoint(path);
        AssertSameWeights(fashion.LeNet.Scorer.Network, network, ["conv1", "conv2", "fc1", "fc2", "fc3"]);
        Assert.Throws<CheckpointException>(() => CnnNetwork.FromCheckpoint(Path.Combine(folder, "missing.zip")));
    }

    private static void AssertSameWeights(CnnNetwork expected, CnnNetwork actual, string[] nodes)
    {
        foreach (var node in nodes)
            foreach (var (name, tensor) in expected.Module[node].state_dict())
                Assert.True(tensor.allclose(actual.Module[node].state_dict()[name], rtol: 0, atol: 0), $"{node}.{name} differs");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

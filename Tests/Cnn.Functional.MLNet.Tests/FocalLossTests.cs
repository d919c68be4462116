using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using Microsoft.ML;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet.Tests;

/// <summary>
/// The focal-loss option: Microsoft.ML.TorchSharp's RetinaNet loss, fed one anchor per image, computes the sigmoid
/// focal loss of Lin et al. exactly; a pipeline trains with it on imbalanced classes.
/// </summary>
[Collection(FashionCollection.Name)]
public sealed class FocalLossTests(FashionFixture fashion, ITestOutputHelper log)
{
    [Theory]
    [InlineData(0.25, 2.0)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.9, 1.5)]
    public void It_is_the_sigmoid_focal_loss_of_Lin_et_al(double alpha, double gamma)
    {
        var generator = new Random(11);
        const int n = 6, k = 4;
        var z = Enumerable.Range(0, n * k).Select(_ => (float)(generator.NextDouble() * 8 - 4)).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => (long)generator.Next(k)).ToArray();
        var expected = 0.0;
        for (var i = 0; i < n; i++)
            for (var c = 0; c < k; c++)
            {
                // RetinaNet clamps p to [1e-4, 1 − 1e-4].
                var p = Math.Clamp(1 / (1 + Math.Exp(-z[i * k + c])), 1e-4, 1 - 1e-4);
                var positive = c == y[i];
                var pt = positive ? p : 1 - p;
                var at = positive ? alpha : 1 - alpha;
                expected += -at * Math.Pow(1 - pt, gamma) * Math.Log(pt);
            }
        expected /= n;

        using var focal = new FocalLossOptions(alpha, gamma).Create();
        using var scope = NewDisposeScope();
        var loss = focal.Compute(tensor(z, [n, k]), tensor(y));
        Assert.Equal(ScalarType.Float32, loss.dtype);
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Fact]
    public void A_pipeline_fine_tunes_with_focal_loss_on_imbalanced_classes()
    {
        // The first 6,000 training images with only 1 in 20 trousers (class 1) kept: a rare class.
        using var imbalanced = Imbalanced(fashion.Data.Train, rareClass: 1, keepEvery: 20, take: 6000);
        var context = fashion.Context;
        var train = context.Data.LoadFromDataset(imbalanced);
        var byValue = Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue;
        var pretrained = fashion.LeNet.Scorer.Network;
        // The trained trunk, a fresh head (fc3 is not copied), every node trainable, one epoch.
        CnnScoringTransformer Fit(FocalLossOptions? focal) =>
            context.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: byValue)
                .Append(context.MulticlassClassification.Trainers.Cnn(pretrained.Graph, new CnnTrainerOptions
                {
                    InitialWeights = pretrained,
                    Transfer = TransferOptions.Only("conv1", "conv2", "fc1", "fc2"),
                    FocalLoss = focal,
                    Training = new TrainingOptions { Epochs = 1, BatchEventInterval = 0, Seed = 3 },
                })).Fit(train).LastTransformer;
        using var focalScorer = Fit(new FocalLossOptions(Alpha: 0.5, Gamma: 2));
        using var crossEntropy = Fit(null);
        var test = context.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: byValue).Fit(fashion.Train).Transform(fashion.TestPrefix(2000));
        var focalMetrics = context.MulticlassClassification.Evaluate(focalScorer.Transform(test));
        var ceMetrics = context.MulticlassClassification.Evaluate(crossEntropy.Transform(test));
        var focalLoss = focalScorer.Training!.History[0].Training.Loss;
        var ceLoss = crossEntropy.Training!.History[0].Training.Loss;
        log.WriteLine($"{imbalanced.Count} images, 1 in 20 trousers kept: focal loss → accuracy {focalMetrics.MicroAccuracy:F4}, trouser recall {focalMetrics.ConfusionMatrix.PerClassRecall[1]:F4}, " +
                      $"training loss {focalLoss:F4}; cross-entropy → {ceMetrics.MicroAccuracy:F4}, trouser recall {ceMetrics.ConfusionMatrix.PerClassRecall[1]:F4}, training loss {ceLoss:F4}");
        // The engine stepped on the focal value (far below the cross-entropy of the same data), and the model learned.
        Assert.True(focalLoss < 0.5 * ceLoss, $"focal training loss {focalLoss:F4} vs cross-entropy {ceLoss:F4}");
        Assert.True(focalMetrics.MicroAccuracy > 0.8, $"focal accuracy {focalMetrics.MicroAccuracy:F4}");
        Assert.True(focalMetrics.ConfusionMatrix.PerClassRecall[1] > 0.5, $"trouser recall {focalMetrics.ConfusionMatrix.PerClassRecall[1]:F4}");
    }

    // The first `take` examples with only every `keepEvery`-th one of `rareClass` kept.
    private static Dataset Imbalanced(Dataset source, int rareClass, int keepEvery, int take)
    {
        using var scope = NewDisposeScope();
        var labels = source.Labels.narrow(0, 0, take).data<long>().ToArray();
        var seen = 0;
        var keep = Enumerable.Range(0, take).Where(i => labels[i] != rareClass || seen++ % keepEvery == 0).Select(i => (long)i).ToArray();
        var index = tensor(keep);
        return new Dataset("imbalanced", source.Images.index_select(0, index).DetachFromDisposeScope(), source.Labels.index_select(0, index).DetachFromDisposeScope(),
            source.Classes, source.ClassNames);
    }
}

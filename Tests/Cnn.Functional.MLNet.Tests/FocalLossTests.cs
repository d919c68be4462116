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
    public void A_pipeline_trains_with_focal_loss_on_imbalanced_classes()
    {
        // 3,000 training images in which T-shirts (class 0) are rare: 1 in 20 of those in the first 6,000 are kept.
        using var imbalanced = Imbalanced(fashion.Data.Train, rareClass: 0, keepEvery: 20, take: 6000);
        var context = fashion.Context;
        var train = context.Data.LoadFromDataset(imbalanced);
        var test = fashion.TestPrefix(2000);
        CnnScoringTransformer Fit(FocalLossOptions? focal) =>
            context.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(context.MulticlassClassification.Trainers.Cnn(ModelZoo.Get("lenet5"), new CnnTrainerOptions
                {
                    FocalLoss = focal,
                    Training = new TrainingOptions { Epochs = 2, BatchEventInterval = 0, Seed = 3 },
                })).Fit(train).LastTransformer;
        using var focalScorer = Fit(new FocalLossOptions());
        using var crossEntropy = Fit(null);
        var keyed = context.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(fashion.Train).Transform(test);
        var focalMetrics = context.MulticlassClassification.Evaluate(focalScorer.Transform(keyed));
        var ceMetrics = context.MulticlassClassification.Evaluate(crossEntropy.Transform(keyed));
        double Recall(Microsoft.ML.Data.MulticlassClassificationMetrics m) => m.ConfusionMatrix.PerClassRecall[0];
        var focalLoss = focalScorer.Training!.History.Select(e => e.Training.Loss).ToArray();
        var ceLoss = crossEntropy.Training!.History.Select(e => e.Training.Loss).ToArray();
        log.WriteLine($"{imbalanced.Count} images, class 0 rare: focal accuracy {focalMetrics.MicroAccuracy:F4} (class-0 recall {Recall(focalMetrics):F4}, training loss {string.Join(" → ", focalLoss.Select(l => l.ToString("F4")))}); " +
                      $"cross-entropy {ceMetrics.MicroAccuracy:F4} (class-0 recall {Recall(ceMetrics):F4}, training loss {string.Join(" → ", ceLoss.Select(l => l.ToString("F4")))})");
        // The engine trained on the focal value: far below the cross-entropy, and falling.
        Assert.True(focalLoss[0] < 0.5 * ceLoss[0], $"focal training loss {focalLoss[0]:F4} vs cross-entropy {ceLoss[0]:F4}");
        Assert.True(focalLoss[1] < focalLoss[0]);
        Assert.True(focalMetrics.MicroAccuracy > 0.7, $"focal accuracy {focalMetrics.MicroAccuracy:F4}");
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

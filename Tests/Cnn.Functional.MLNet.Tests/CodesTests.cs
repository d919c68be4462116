using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet.Tests;

/// <summary>
/// The lecture's transfer-learning recipe as a pipeline: a trained LeNet-5's penultimate activations ("CNN codes")
/// feed ML.NET's own trainers, and beat the same trainer on raw pixels, on the same split.
/// </summary>
[Collection(FashionCollection.Name)]
public sealed class CodesTests(FashionFixture fashion, ITestOutputHelper log)
{
    private const int TrainRows = 10_000;

    private MLContext Context => fashion.Context;

    [Fact]
    public void LeNet5_codes_with_SdcaMaximumEntropy_beat_SdcaMaximumEntropy_on_raw_pixels()
    {
        var network = fashion.LeNet.Scorer.Network;
        var train = fashion.TrainPrefix(TrainRows);
        var sdca = (string features) => Context.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", features, maximumNumberOfIterations: 20);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var raw = Context.Transforms.Conversion.MapValueToKey("Label").Append(sdca("Features")).Fit(train);
        var rawSeconds = clock.Elapsed.TotalSeconds;
        var rawMetrics = Context.MulticlassClassification.Evaluate(raw.Transform(fashion.Test));

        clock.Restart();
        // Cached: SDCA passes over the data many times, and the codes need computing once.
        using var codes = Context.Transforms.CnnCodes(network, "relu4", outputColumnName: "Codes")
            .AppendCacheCheckpoint(Context)
            .Append(Context.Transforms.Conversion.MapValueToKey("Label"))
            .Append(sdca("Codes"))
            .Fit(train);
        var codesSeconds = clock.Elapsed.TotalSeconds;
        var codesMetrics = Context.MulticlassClassification.Evaluate(codes.Transform(fashion.Test));
        log.WriteLine($"SdcaMaximumEntropy on {TrainRows:N0} training images, tested on 10,000: raw pixels {rawMetrics.MicroAccuracy:F4} (fit {rawSeconds:F1} s), LeNet-5 relu4 codes {codesMetrics.MicroAccuracy:F4} (fit {codesSeconds:F1} s)");
        Assert.True(codesMetrics.MicroAccuracy > rawMetrics.MicroAccuracy + 0.02,
            $"codes {codesMetrics.MicroAccuracy:F4} do not beat raw pixels {rawMetrics.MicroAccuracy:F4} by 2 points");
    }

    [Fact]
    public void Codes_feed_LightGbm()
    {
        var pipeline = Context.Transforms.CnnCodes(fashion.LeNet.Scorer.Network, "relu4", outputColumnName: "Codes")
            .Append(Context.Transforms.Conversion.MapValueToKey("Label"))
            .Append(Context.MulticlassClassification.Trainers.LightGbm("Label", "Codes", numberOfIterations: 30));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var model = pipeline.Fit(fashion.TrainPrefix(5000));
        var metrics = Context.MulticlassClassification.Evaluate(model.Transform(fashion.TestPrefix(2000)));
        log.WriteLine($"LightGbm on LeNet-5 codes of 5,000 images: micro accuracy {metrics.MicroAccuracy:F4} on 2,000 (fit {clock.Elapsed.TotalSeconds:F1} s)");
        Assert.True(metrics.MicroAccuracy > 0.85, $"LightGbm on codes: {metrics.MicroAccuracy:F4}");
    }

    [Fact]
    public void Codes_are_the_nodes_activations_with_its_shape_as_dimensions()
    {
        var network = fashion.LeNet.Scorer.Network;
        using var codes = Context.Transforms.CnnCodes(network, "pool2", outputColumnName: "Pool2", batchSize: 64).Fit(fashion.Test);
        var transformed = codes.Transform(fashion.TestPrefix(100));
        var column = transformed.Schema["Pool2"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 16, 5, 5), column.Type);
        Assert.Equal(400, codes.CodeSize);
        float[] expected;
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
            expected = network.Module.Run(fashion.Data.Test.Images.narrow(0, 0, 100), ["pool2"])["pool2"].data<float>().ToArray();
        var actual = Context.Data.CreateEnumerable<Pool2Row>(transformed, reuseRowObject: false).SelectMany(r => r.Pool2).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        // Scoring runs channels-last in inference mode: the same values up to float rounding (the sums are reordered).
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
    }

    [Fact]
    public void A_node_that_does_not_exist_is_named()
    {
        var error = Assert.Throws<GraphException>(() => Context.Transforms.CnnCodes(fashion.LeNet.Scorer.Network, "fc9"));
        Assert.Contains("no node has the path 'fc9' in graph 'lenet5'", error.Message);
    }

    private sealed class Pool2Row
    {
        [VectorType(400)] public float[] Pool2 = [];
    }
}

using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;

namespace Cnn.Functional.Tests.Training;

/// <summary>
/// <see cref="Speed"/>: a graph's training and inference throughput and the machine's matmul peak, measured on random
/// examples. Times are not checked (no timed tests); what is checked is that each figure comes from a real run of the
/// graph and that the derived figures follow from the measured ones.
/// </summary>
[Collection("Training")]
public class SpeedTests
{
    private static readonly SpeedOptions Quick = new()
    {
        BatchSize = 16, Steps = 3, InferenceBatchSize = 32, InferenceSeconds = 0.1, MatmulSeconds = 0.05,
    };

    [Fact]
    public void LeNet5_is_measured_in_samples_per_second_and_gflops_against_the_matmul_peak()
    {
        var graph = ModelZoo.Get("lenet5");
        var report = Speed.Measure(graph, Quick);
        Assert.Equal("lenet5", report.Model);
        Assert.Equal(61_706, report.Parameters);
        Assert.Equal(2.0 * graph.Summarize().Totals.Macs, report.ForwardFlopsPerSample);
        Assert.Equal((16, 3, 32), (report.BatchSize, report.Steps, report.InferenceBatchSize));
        Assert.Equal([1024, 2048], report.Matmul.Select(m => m.Size));
        Assert.All(report.Matmul, m => Assert.True(m.Gflops > 0.1 && double.IsFinite(m.Gflops), $"{m.Gflops}"));
        Assert.True(report.TrainSamplesPerSecond > 1 && double.IsFinite(report.TrainSamplesPerSecond), $"{report.TrainSamplesPerSecond}");
        Assert.True(report.InferenceSamplesPerSecond > 1 && double.IsFinite(report.InferenceSamplesPerSecond), $"{report.InferenceSamplesPerSecond}");
        Assert.Equal(report.TrainSamplesPerSecond * 3 * report.ForwardFlopsPerSample / 1e9, report.TrainGflops, 9);
        Assert.Equal(report.InferenceSamplesPerSecond * report.ForwardFlopsPerSample / 1e9, report.InferenceGflops, 9);
        Assert.Equal(report.TrainGflops / report.Matmul.Max(m => m.Gflops), report.TrainShareOfMatmulPeak, 12);
    }

    [Fact]
    public void A_graph_that_is_not_a_classifier_is_refused_naming_its_output()
    {
        var features = Graph.Create("features", Shape.Image(1, 8, 8)).Then("conv", Layers.Conv(4, 3));
        var error = Assert.Throws<GraphException>(() => Speed.Measure(features, Quick));
        Assert.Equal("conv", error.Errors[0].Path);
        Assert.Contains("a vector of at least 2 classes, not [4, 6, 6]", error.Message);
    }

    [Fact]
    public void Batch_sizes_and_step_counts_below_one_are_refused()
    {
        var graph = ModelZoo.Get("lenet5");
        Assert.Throws<ArgumentOutOfRangeException>(() => Speed.Measure(graph, Quick with { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Speed.Measure(graph, Quick with { Steps = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Speed.Measure(graph, Quick with { InferenceBatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Speed.Matmul([0]));
    }
}

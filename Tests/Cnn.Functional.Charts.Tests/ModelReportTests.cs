using Cnn.Functional.Charts;
using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using System.Diagnostics;
using TorchSharp;
using Xunit.Abstractions;

namespace Cnn.Functional.Tests;

/// <summary>
/// The chart tests run one at a time (two Chromium renders at once only contend for the two cores) and, like the
/// training tests, with libtorch on one thread: their nets are tiny, and on a shared, busy 2-core machine a second
/// spinning thread per process makes each step many times slower.
/// </summary>
[CollectionDefinition("Chromium", DisableParallelization = true)]
public sealed class ChromiumCollection : ICollectionFixture<OneTorchThread>;

/// <summary>Sets libtorch to one intra-op thread for the collection, restoring the previous setting afterwards.</summary>
public sealed class OneTorchThread : IDisposable
{
    private readonly int previous = torch.get_num_threads();

    public OneTorchThread() => torch.set_num_threads(1);

    public void Dispose() => torch.set_num_threads(previous);
}

/// <summary>The model report of a LeNet-5 trained briefly on real Fashion-MNIST, rendered in headless Chromium with no network.</summary>
[Collection("Chromium")]
public class ModelReportTests(ITestOutputHelper output)
{
    [Fact]
    public void The_report_of_a_trained_lenet5_draws_every_chart_offline()
    {
        var clock = Stopwatch.StartNew();
        using var sets = FashionMnist.Load(limit: 1000);
        torch.manual_seed(1);
        using var module = GraphModule.Create(LeNet.LeNet5());
        var log = new TrainingLog();
        using (var trainer = new Trainer(module, new TrainingOptions { Epochs = 2, BatchSize = 32, BatchEventInterval = 0 }))
            trainer.Fit(sets.Train, sets.Test, log);
        var trained = clock.Elapsed.TotalSeconds;
        var report = ModelReport.Create(module, sets.Test, log.Epochs, new ReportOptions(Examples: 3, FgsmExamples: 1000, EmbeddingPoints: 150));

        var built = clock.Elapsed.TotalSeconds;
        Assert.Equal(1000, report.Test.Count);
        Assert.Equal(report.Test.Accuracy, report.Robustness.At(0), 6);
        Assert.True(report.Robustness.At(0.3) < report.Robustness.At(0), "FGSM lowers the accuracy");
        var html = report.Page.ToHtml();
        foreach (var part in new[] { "training curves", "confusion matrix", "filters of conv1", "Grad-CAM", "occlusion", "saliency", "accuracy under FGSM", "t-SNE" })
            Assert.Contains(part, html);

        var path = Path.Combine(Path.GetTempPath(), $"cnnf-report-{Environment.ProcessId}.html");
        try
        {
            report.Page.Save(path);
            var missing = Rendering.ChartsWithoutSvg(path, report.Page.Charts);
            output.WriteLine($"training {trained:F1} s, report {built - trained:F1} s, rendering {clock.Elapsed.TotalSeconds - built:F1} s; {report.Page.Charts} charts");
            Assert.True(missing.Count == 0, $"charts that drew no SVG: {string.Join(", ", missing)}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_graph_that_is_not_an_image_classifier_is_refused_clearly()
    {
        var graph = Graph.Create("vector", Shape.Vector(8)).Then("fc", Layers.Dense(3));
        using var module = GraphModule.Create(graph);
        using var data = new Dataset("vectors", torch.rand(4, 8), torch.zeros([4], torch.ScalarType.Int64), 3, EquatableArray.Of("a", "b", "c"));
        var error = Assert.Throws<GraphException>(() => ModelReport.Create(module, data, []));
        Assert.Contains("the report draws image classifiers", error.Message);
    }
}

using Cnn.Functional.Charts;
using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary>Every chart of <see cref="Plot"/> on one page, drawn by plotly.js in headless Chromium with no network.</summary>
[Collection("Chromium")]
public class GalleryTests
{
    private static Picture Gradient(int channels, int size) => new(Enumerable.Range(0, channels)
        .Select(c => PixelMap.Of(size, size, Enumerable.Range(0, size * size).Select(i => (float)((i % size + c) % size) / size).ToArray())).ToEquatableArray());

    private static EpochSummary Epoch(int n, bool validation) =>
        new(n, 1e-3, new Metrics(1.0 / n, 0.5 + 0.1 * n), validation ? new Metrics(1.2 / n, 0.45 + 0.1 * n) : null, 1, 100);

    private static HtmlReport Gallery()
    {
        manual_seed(1);
        using var module = GraphModule.Create(LeNet.LeNet5());
        using var scope = NewDisposeScope();
        var image = rand(1, 28, 28);
        var picture = Picture.FromTensor(image);
        var saliency = Saliency.Map(module, image, 3);
        var graphs = new[] { 1, 2, 4, 8 };
        var dilated = Enumerable.Range(0, 4).Aggregate(Graph.Create("dilated 1, 2, 4, 8", Shape.Image(1, 64, 64)),
            (g, i) => g.Then($"conv{i + 1}", Layers.Conv(1, 3, padding: graphs[i], dilation: graphs[i])));
        var plain = Enumerable.Range(0, 4).Aggregate(Graph.Create("plain 3×3", Shape.Image(1, 64, 64)),
            (g, i) => g.Then($"conv{i + 1}", Layers.Conv(1, 3, padding: 1)));
        using var data = new Dataset("noise", rand(30, 1, 28, 28), randint(0, 10, [30]), 10, FashionMnist.ClassNames);
        var points = Enumerable.Range(0, 40).Select(i => new[] { (float)(i % 2 * 10 + i * 0.01), (float)(i * 0.02) }).ToList();
        var embedding = Tsne.Embed(points, new TsneOptions(Perplexity: 5, Iterations: 100)) with { Labels = points.Select((_, i) => i % 2).ToEquatableArray(), ClassNames = EquatableArray.Of("even", "odd") };
        return new HtmlReport("gallery")
            .Row([Plot.Image(picture, "grey"), Plot.Image(Gradient(3, 16), "rgb"), Plot.Image(Gradient(2, 8), "two channels"), Plot.Heatmap(saliency, "heatmap")])
            .Row([Plot.Saliency(picture, saliency), Plot.Occlusion(picture, Occlusion.Map(module, image, 3, stride: 4)),
                  Plot.ClassActivation(picture, GradCam.Map(module, image, 3))])
            .Row([Plot.Activations(Activations.Of(module, image, "conv2")), Plot.Filters(Filters.Of(module)), Plot.Filters(Filters.Of(module, "conv2"))])
            .Row([Plot.TopActivations(MaxActivating.TopK(module, data, "conv2", 1, k: 6), FashionMnist.ClassNames),
                  Plot.ReceptiveField(picture, ReceptiveFields.Of(module.Graph, "conv2", 4, 4)), Plot.FieldGrowth([plain, dilated])])
            .Row([Plot.TrainingCurves([Epoch(1, true), Epoch(2, true)]), Plot.Loss([Epoch(1, false), Epoch(2, false)]), Plot.Accuracy([Epoch(1, false)])])
            .Row([Plot.ConfusionMatrix(ConfusionMatrix.FromRowMajor(3, [5, 1, 0, 2, 7, 1, 0, 0, 9]), ["a", "b", "c"]), Plot.Embedding(embedding)])
            .Row([Plot.Robustness(Fgsm.Curve(module, data, [0, 0.1, 0.2])), Plot.Adversarial(Fgsm.Example(module, image, 3, 0.1), FashionMnist.ClassNames),
                  Plot.ClassModel(ClassModel.Visualize(module, 3, steps: 5)), Plot.Inversion(picture, Inversion.Reconstruct(module, image, "pool1", new InversionOptions(Steps: 5)))]);
    }

    [Fact]
    public void Every_chart_draws_its_svg_offline()
    {
        var page = Gallery();
        var path = Path.Combine(Path.GetTempPath(), $"cnnf-gallery-{Environment.ProcessId}.html");
        try
        {
            page.Save(path);
            var missing = Rendering.ChartsWithoutSvg(path, page.Charts);
            Assert.True(missing.Count == 0, $"charts that drew no SVG: {string.Join(", ", missing)}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_page_embeds_plotly_js_and_fetches_nothing()
    {
        var html = new HtmlReport("one chart").Chart(Plot.Heatmap(PixelMap.Of(2, 2, [0f, 1, 2, 3]))).ToHtml();
        Assert.True(html.Length > 3_000_000, $"plotly.js is embedded ({html.Length:N0} characters)");
        Assert.DoesNotContain("<script src=", html);
        Assert.DoesNotContain("<link", html);
        // plotly.js's one script element and the chart's: the embedded library never closes a script early.
        Assert.Equal(2, html.Split("</script>").Length - 1);
    }
}

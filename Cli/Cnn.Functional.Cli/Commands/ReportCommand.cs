using System.CommandLine;
using System.Globalization;
using Cnn.Functional.Charts;
using Cnn.Functional.Torch;

namespace Cnn.Functional.Cli;

/// <summary>
/// <c>cnnf report CHECKPOINT --out FILE.html</c>: one offline HTML page for a trained model — training curves,
/// confusion matrix, filters, Grad-CAM, occlusion and saliency for sample test images, the FGSM curve, a t-SNE of the
/// CNN codes — with <c>--screenshot PNG</c> for a picture of it (headless Chromium). <c>--json</c> prints the figures.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<string>("CHECKPOINT") { Description = "A checkpoint written by 'cnnf train --checkpoint'." };
        var output = new Option<string>("--out") { Description = "The HTML file to write (works offline: plotly.js is embedded).", Required = true };
        var data = new Option<string?>("--data") { Description = "A folder of IDX files for the test images (default: Debian's Fashion-MNIST)." };
        var limit = new Option<int>("--limit") { Description = "Use only the first N test images.", DefaultValueFactory = _ => int.MaxValue };
        var examples = new Option<int>("--examples") { Description = "Test images explained one by one.", DefaultValueFactory = _ => 4 };
        var attacked = new Option<int>("--fgsm-examples") { Description = "Test images attacked for the FGSM curve.", DefaultValueFactory = _ => 1000 };
        var screenshot = new Option<string?>("--screenshot") { Description = "Also write a PNG of the page's top (headless Chromium)." };
        var json = CliOutput.JsonOption();
        var command = new Command("report", "Write an HTML report of a trained model: curves, confusion matrix, filters, Grad-CAM, occlusion, saliency, FGSM.")
        {
            checkpoint, output, data, limit, examples, attacked, screenshot, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            try
            {
                var path = parse.GetValue(checkpoint)!;
                var info = Checkpoint.Read(path);
                using var module = GraphModule.Create(info.Graph);
                Transfer.LoadWeights(module, path, new TransferOptions(Strict: true));
                using var sets = FashionMnist.Load(parse.GetValue(data), parse.GetValue(limit));
                var options = new ReportOptions(Examples: parse.GetValue(examples), FgsmExamples: parse.GetValue(attacked));
                return Write(parse, module, sets.Test, info.History.Items, options, parse.GetValue(output)!, parse.GetValue(screenshot), asJson);
            }
            catch (Exception e) when (e is GraphException or DataException or CheckpointException or ArgumentException or IOException)
            {
                return CliOutput.Fail(parse, asJson, e);
            }
        });
        return command;
    }

    /// <summary>Builds and saves the report (and its screenshot). Shared with <c>train --report</c>.</summary>
    internal static ModelReport Build(GraphModule module, Dataset test, IReadOnlyList<EpochSummary> history, ReportOptions options, string path, string? screenshot)
    {
        var report = ModelReport.Create(module, test, history, options);
        report.Page.Save(path);
        if (screenshot is not null) HeadlessChromium.Screenshot(path, screenshot);
        return report;
    }

    /// <summary>The line a person reads: where the report went, and its figures.</summary>
    internal static string Describe(ModelReport report, string path)
    {
        var fgsm = string.Join(", ", report.Robustness.Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"ε {p.Epsilon:0.##}: {p.Accuracy:P1}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"report: {path} ({report.Page.Charts} charts; test accuracy {report.Test.Accuracy:P2}; FGSM on {report.Robustness.Count} images: {fgsm})");
    }

    private static int Write(ParseResult parse, GraphModule module, Dataset test, IReadOnlyList<EpochSummary> history, ReportOptions options,
        string path, string? screenshot, bool asJson)
    {
        var report = Build(module, test, history, options, path, screenshot);
        var output = parse.InvocationConfiguration.Output;
        if (!asJson)
        {
            output.WriteLine(Describe(report, path));
            if (screenshot is not null) output.WriteLine($"screenshot: {screenshot}");
            return 0;
        }
        output.WriteLine(CliOutput.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("model", module.Graph.Graph.Name);
            w.WriteString("report", path);
            w.WriteNumber("charts", report.Page.Charts);
            w.WriteNumber("testAccuracy", report.Test.Accuracy);
            w.WriteNumber("testExamples", report.Test.Count);
            w.WriteNumber("fgsmExamples", report.Robustness.Count);
            w.WriteStartArray("fgsm");
            foreach (var p in report.Robustness.Points)
            {
                w.WriteStartObject();
                w.WriteNumber("epsilon", p.Epsilon);
                w.WriteNumber("accuracy", p.Accuracy);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (screenshot is not null) w.WriteString("screenshot", screenshot);
            w.WriteEndObject();
        }));
        return 0;
    }
}

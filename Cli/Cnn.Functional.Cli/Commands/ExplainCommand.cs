using System.CommandLine;
using System.Globalization;
using Cnn.Functional.Charts;
using Cnn.Functional.Torch;
using Plotly.NET;
using static TorchSharp.torch;

namespace Cnn.Functional.Cli;

/// <summary>
/// <c>cnnf explain CHECKPOINT --index I …</c>: where a trained model finds the evidence for a class in chosen test
/// images — Grad-CAM, saliency and occlusion maps over each image, on one offline HTML page and, with <c>--png</c>, as
/// PNG files. <c>--json</c> prints per image the label, the prediction and, per map, the file and how concentrated
/// the map is (the share of its mass in its top 10% of pixels) and how much of it lies on the object.
/// </summary>
internal static class ExplainCommand
{
    /// <summary>The methods, in the order they are drawn.</summary>
    public static readonly string[] Methods = ["gradcam", "saliency", "occlusion"];

    /// <summary>Which class a map explains: the image's label (the true class) or the model's prediction.</summary>
    public static readonly string[] Targets = ["true", "predicted"];

    public static Command Create()
    {
        var checkpoint = new Argument<string>("CHECKPOINT") { Description = "A checkpoint written by 'cnnf train --checkpoint'." };
        var index = new Option<int[]>("--index") { Description = "A test image to explain, by its index in the test set (repeatable).", Required = true };
        var method = new Option<string[]>("--method") { Description = $"gradcam, saliency or occlusion (repeatable; default all three)." };
        var target = new Option<string[]>("--class") { Description = "Explain the image's true class (true, the default) or the predicted one (predicted); repeat for both." };
        var node = new Option<string?>("--node") { Description = "The node whose maps Grad-CAM weighs (default: the last node with 2-D maps, the deepest convolutional features)." };
        var output = new Option<string>("--out") { Description = "A FILE.html, or a folder (then FOLDER/explain.html); PNG files go next to the page.", DefaultValueFactory = _ => "explain.html" };
        var data = new Option<string?>("--data") { Description = "A folder of IDX files for the test images (default: Debian's Fashion-MNIST)." };
        var occluder = new Option<int>("--occlusion-size") { Description = "The occluding square's side in pixels (default: a quarter of the image's side)." };
        var png = new Option<bool>("--png") { Description = "Also write one PNG per image, class and method: the map over the image." };
        var json = CliOutput.JsonOption();
        var command = new Command("explain", "Show where a trained model finds the evidence in test images: Grad-CAM, saliency and occlusion maps, as HTML and PNG.")
        {
            checkpoint, index, method, target, node, output, data, occluder, png, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            try
            {
                var request = new ExplainRequest(
                    parse.GetValue(checkpoint)!,
                    parse.GetValue(index) ?? [],
                    Choose(parse.GetValue(method), Methods, Methods, "--method"),
                    Choose(parse.GetValue(target), Targets, ["true"], "--class"),
                    parse.GetValue(node),
                    parse.GetValue(output)!,
                    parse.GetValue(data),
                    parse.GetValue(occluder),
                    parse.GetValue(png));
                var result = Explain(request);
                parse.InvocationConfiguration.Output.WriteLine(asJson ? ExplainOutput.Json(result) : ExplainOutput.Text(result));
                return 0;
            }
            catch (Exception e) when (e is GraphException or DataException or CheckpointException or ArgumentException or IOException)
            {
                return CliOutput.Fail(parse, asJson, e);
            }
        });
        return command;
    }

    /// <summary>The chosen values in the canonical order, each once; <paramref name="fallback"/> when none is given.</summary>
    private static string[] Choose(string[]? given, string[] valid, string[] fallback, string option)
    {
        if (given is null || given.Length == 0) return fallback;
        foreach (var g in given)
            if (!valid.Contains(g, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"unknown {option} '{g}': choose {string.Join(", ", valid)}");
        return valid.Where(v => given.Contains(v, StringComparer.OrdinalIgnoreCase)).ToArray();
    }

    internal static ExplainResult Explain(ExplainRequest request)
    {
        if (request.Indices.Count == 0) throw new ArgumentException("give at least one test image with --index");
        var info = Checkpoint.Read(request.Checkpoint);
        using var module = GraphModule.Create(info.Graph);
        Transfer.LoadWeights(module, request.Checkpoint, new TransferOptions(Strict: true));
        var graph = module.Graph;
        var input = graph.Nodes.First(n => n.Node.Layer is Input).OutputShape;
        ModelOutput.Of(graph);  // a classifier, one score per class, or a GraphException that says why not
        var gradCamNode = GradCamNode(graph, request);

        using var test = FashionMnist.LoadTest(request.Data);
        if (!test.ExampleShape.Equals(input))
            throw new CheckpointException($"checkpoint '{request.Checkpoint}' holds '{graph.Graph.Name}', which takes images {input}; the test images of {test.Name} are {test.ExampleShape}");
        var count = (int)test.Count;
        foreach (var i in request.Indices)
            if (i < 0 || i >= count)
                throw new ArgumentException($"--index {i} is out of range: {test.Name} has {count} images, indices 0 to {count - 1}");
        var side = Math.Max(input.Dims[1], input.Dims[2]);
        if (request.OcclusionSize < 0 || request.OcclusionSize > side)
            throw new ArgumentException($"--occlusion-size {request.OcclusionSize} is out of range: 1 to {side} pixels (0 for a quarter of the image)");

        var (page, folder, stem) = Places(request.Output);
        var names = test.ClassNames.Count > 0 ? test.ClassNames.Items.ToArray() : [];
        string Name(int c) => c < names.Length ? names[c] : c.ToString(CultureInfo.InvariantCulture);
        var report = new HtmlReport($"{graph.Graph.Name}: where the evidence is");
        report.Paragraph(Invariant($"Checkpoint {Path.GetFileName(request.Checkpoint)} ({info.Epoch} epochs). ") +
            $"Grad-CAM at {gradCamNode} (Selvaraju et al. 2017), saliency |∂S_c/∂I| (Simonyan et al. 2014), occlusion with a grey square (Zeiler & Fergus 2014), " +
            $"each for the {string.Join(" and the ", request.Targets.Select(t => t == "true" ? "true class" : "predicted class"))} of test images of {test.Name}.");

        var images = new List<ExplainedImage>();
        foreach (var i in request.Indices)
        {
            using var scope = NewDisposeScope();
            var image = test.Images[i];
            var picture = Picture.FromTensor(image);
            var label = (int)test.Labels[i].item<long>();
            var probabilities = ModelEvaluation.Probabilities(module, image);
            var predicted = Enumerable.Range(0, probabilities.Count).MaxBy(c => probabilities[c]);
            var maps = new List<ExplainedMap>();
            var charts = new List<GenericChart> { Plot.Image(picture, Invariant($"#{i}: {Name(label)} → {Name(predicted)} ({probabilities[predicted]:P0})")) };
            foreach (var kind in request.Targets)
            {
                var target = kind == "true" ? label : predicted;
                foreach (var m in request.Methods)
                {
                    var (map, chart) = Map(module, image, picture, m, target, gradCamNode, request.OcclusionSize, $"{m} · {Name(target)} ({kind})");
                    charts.Add(chart);
                    string? file = null;
                    if (request.Png)
                    {
                        file = Path.Combine(folder, Invariant($"{stem}-{i}-{m}-{kind}.png"));
                        Write(file, Png.Overlay(picture, map));
                    }
                    maps.Add(new ExplainedMap(m, kind, target, file, map.TopMass(0.1), ObjectMass(picture, map), map.Peak()));
                }
            }
            report.Row(charts);
            images.Add(new ExplainedImage(i, label, Name(label), predicted, Name(predicted), probabilities[predicted], probabilities[label], maps));
        }
        report.Save(page);
        return new ExplainResult(graph.Graph.Name, page, gradCamNode, report.Charts, images);
    }

    // Grad-CAM needs a node with 2-D maps; only those are offered. By default the last convolution (Selvaraju et al.
    // use the last convolutional layer: the deepest features that still have a spatial layout, at a finer grid than
    // the pooling after it), or the last node with 2-D maps in a graph without one.
    private static string GradCamNode(InferredGraph graph, ExplainRequest request)
    {
        var spatial = graph.Nodes.Where(n => n.OutputShape.Rank == 3 && n.Node.Layer is not Input).ToList();
        if (request.Node is null)
            return spatial.LastOrDefault(n => n.Node.Layer.Kind.Contains("conv", StringComparison.OrdinalIgnoreCase))?.Path ?? GradCam.LastSpatialNode(graph);
        if (spatial.Any(n => n.Path == request.Node)) return request.Node;
        var what = graph.Nodes.Any(n => n.Path == request.Node) ? "has no 2-D maps for Grad-CAM" : $"is not a node of '{graph.Graph.Name}'";
        throw new ArgumentException($"--node '{request.Node}' {what}; choose one of {string.Join(", ", spatial.Select(n => n.Path))}");
    }

    // Each method's map at the image's size (Grad-CAM's resized from its node), and its chart over the image.
    private static (PixelMap Map, GenericChart Chart) Map(GraphModule module, Tensor image, Picture picture, string method, int target, string node, int occluder, string title)
    {
        switch (method)
        {
            case "gradcam":
                var cam = GradCam.Map(module, image, target, node);
                return (cam.Upsampled, Plot.ClassActivation(picture, cam, title));
            case "saliency":
                var saliency = Saliency.Map(module, image, target);
                return (saliency, Plot.Saliency(picture, saliency, title));
            default:
                var occlusion = Occlusion.Map(module, image, target, size: occluder);
                return (occlusion.Sensitivity, Plot.Occlusion(picture, occlusion, Invariant($"{title}: p {occlusion.Baseline:0.00}")));
        }
    }

    // The share of the map's mass on the object: Fashion-MNIST's items sit on a black background, so the pixels brighter
    // than a tenth of the range are the garment. A map that explains the class by the item, not by the empty border,
    // puts most of its mass there.
    private static double ObjectMass(Picture picture, PixelMap map)
    {
        double on = 0, total = 0;
        for (var r = 0; r < map.Height; r++)
            for (var c = 0; c < map.Width; c++)
            {
                var v = Math.Max(0, map[r, c]);
                total += v;
                if (picture.Channels.Average(ch => ch[r, c]) > 0.1) on += v;
            }
        return total > 0 ? on / total : 0;
    }

    /// <summary>The page's path, the folder of the PNG files and the stem of their names, from --out.</summary>
    internal static (string Page, string Folder, string Stem) Places(string output)
    {
        if (output.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
            return (output, Path.GetDirectoryName(Path.GetFullPath(output)) ?? ".", Path.GetFileNameWithoutExtension(output));
        return (Path.Combine(output, "explain.html"), output, "explain");
    }

    private static void Write(string path, byte[] bytes)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllBytes(path, bytes);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"cannot write the picture '{path}': {e.Message}", e);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What <c>cnnf explain</c> was asked for.</summary>
internal sealed record ExplainRequest(string Checkpoint, IReadOnlyList<int> Indices, IReadOnlyList<string> Methods, IReadOnlyList<string> Targets,
    string? Node, string Output, string? Data, int OcclusionSize, bool Png);

/// <summary>One map: the method, whose class (true or predicted) and which, the PNG written, and its figures.</summary>
internal sealed record ExplainedMap(string Method, string Target, int Class, string? File, double TopMass, double ObjectMass, Region Peak);

/// <summary>One explained test image: label, prediction with its probability, the probability of the label, and its maps.</summary>
internal sealed record ExplainedImage(int Index, int Label, string LabelName, int Predicted, string PredictedName, float Probability,
    float LabelProbability, IReadOnlyList<ExplainedMap> Maps);

/// <summary>Everything <c>cnnf explain</c> wrote and measured.</summary>
internal sealed record ExplainResult(string Model, string Page, string GradCamNode, int Charts, IReadOnlyList<ExplainedImage> Images);

using System.CommandLine;
using System.Globalization;
using Cnn.Functional.Charts;
using Cnn.Functional.Torch;

namespace Cnn.Functional.Cli;

/// <summary>
/// <c>cnnf explain CHECKPOINT --index I …</c>: where a trained model finds the evidence for a class in chosen test
/// images — Grad-CAM, saliency and occlusion maps over each image (<see cref="Explanation"/>), on one offline HTML page
/// and, with <c>--png</c>, as PNG files. <c>--json</c> prints per image the label, the prediction and, per map, the
/// file and how concentrated the map is and how much of it lies on the object.
/// </summary>
internal static class ExplainCommand
{
    /// <summary>The methods' names on the command line, in the order they are drawn: <see cref="AttributionMethod"/>'s order.</summary>
    public static readonly string[] Methods = ["gradcam", "saliency", "occlusion"];

    /// <summary>The classes' names on the command line, in <see cref="ExplainedClass"/>'s order: the image's label (the true class) or the model's prediction.</summary>
    public static readonly string[] Targets = ["true", "predicted"];

    public static Command Create()
    {
        var checkpoint = new Argument<string>("CHECKPOINT") { Description = "A checkpoint written by 'cnnf train --checkpoint'." };
        var index = new Option<int[]>("--index") { Description = "A test image to explain, by its index in the test set (repeatable; at least one)." };
        var method = new Option<string[]>("--method") { Description = "gradcam, saliency or occlusion (repeatable; default all three)." };
        var target = new Option<string[]>("--class") { Description = "Explain the image's true class (true, the default) or the predicted one (predicted); repeat for both." };
        var node = new Option<string?>("--node") { Description = "The node whose maps Grad-CAM weighs (default: the last convolution)." };
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
                var options = new ExplanationOptions(parse.GetValue(node) ?? "", parse.GetValue(occluder))
                {
                    Methods = Choose(parse.GetValue(method), Methods, Methods, "--method").Select(m => (AttributionMethod)Array.IndexOf(Methods, m)).ToEquatableArray(),
                    Classes = Choose(parse.GetValue(target), Targets, ["true"], "--class").Select(t => (ExplainedClass)Array.IndexOf(Targets, t)).ToEquatableArray(),
                };
                var result = Explain(parse.GetValue(checkpoint)!, parse.GetValue(index) ?? [], options, parse.GetValue(output)!, parse.GetValue(data), parse.GetValue(png));
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

    private static ExplainResult Explain(string path, IReadOnlyList<int> indices, ExplanationOptions options, string output, string? data, bool png)
    {
        // Checked here rather than by the parser, so that it is one line and exit code 2 like every other input error.
        if (indices.Count == 0) throw new ArgumentException("no test image to explain: give one or more with --index (e.g. --index 0 --index 17)");
        var info = Checkpoint.Read(path);
        using var module = GraphModule.Create(info.Graph);
        Transfer.LoadWeights(module, path, new TransferOptions(Strict: true));
        // A wrong --node fails before the test images are read.
        var node = Explanation.GradCamNodeOf(module.Graph, options.GradCamNode);
        using var test = FashionMnist.LoadTest(data);
        // Checked here as well as in Explanation.Create, so that the messages name the checkpoint and the option.
        var input = module.Graph.Nodes.First(n => n.Node.Layer is Input).OutputShape;
        if (!test.ExampleShape.Equals(input))
            throw new CheckpointException($"checkpoint '{path}' holds '{module.Graph.Graph.Name}', which takes images {input}; the test images of {test.Name} are {test.ExampleShape}");
        foreach (var i in indices)
            if (i < 0 || i >= test.Count)
                throw new ArgumentException($"--index {i} is out of range: {test.Name} has {test.Count} images, indices 0 to {test.Count - 1}");

        var explanation = Explanation.Create(module, test, indices, options with { GradCamNode = node });
        var (page, folder, stem) = Places(output);
        explanation.Page.Save(page);
        var files = new Dictionary<ExplainedMap, string>(ReferenceEqualityComparer.Instance);
        if (png)
            foreach (var image in explanation.Images)
                foreach (var map in image.Maps)
                {
                    var file = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture,
                        $"{stem}-{image.Index}-{Methods[(int)map.Method]}-{Targets[(int)map.Target]}.png"));
                    Write(file, Png.Overlay(image.Picture, map.Map));
                    files[map] = file;
                }
        return new ExplainResult(module.Graph.Graph.Name, page, explanation, test.ClassNames.Items.ToArray(), files);
    }

    /// <summary>The page's path, the folder of the PNG files and the stem of their names, from --out.</summary>
    private static (string Page, string Folder, string Stem) Places(string output) =>
        output.EndsWith(".html", StringComparison.OrdinalIgnoreCase)
            ? (output, Path.GetDirectoryName(Path.GetFullPath(output)) ?? ".", Path.GetFileNameWithoutExtension(output))
            : (Path.Combine(output, "explain.html"), output, "explain");

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
}

/// <summary>What <c>cnnf explain</c> wrote: the page, the explanation, the class names, and the PNG file of each map (none without --png).</summary>
internal sealed record ExplainResult(string Model, string Page, Explanation Explanation, string[] ClassNames, IReadOnlyDictionary<ExplainedMap, string> Files)
{
    public string ClassName(int c) => c < ClassNames.Length ? ClassNames[c] : c.ToString(CultureInfo.InvariantCulture);

    public string? File(ExplainedMap map) => Files.TryGetValue(map, out var file) ? file : null;
}

using System.Globalization;
using Cnn.Functional.Torch;
using Plotly.NET;
using static TorchSharp.torch;

namespace Cnn.Functional.Charts;

/// <summary>An attribution technique of <see cref="Explanation"/>.</summary>
public enum AttributionMethod
{
    /// <summary>Grad-CAM at a convolutional node, resized to the image (Selvaraju et al. 2017).</summary>
    GradCam,

    /// <summary>Saliency |∂S_c/∂I| (Simonyan et al. 2014).</summary>
    Saliency,

    /// <summary>Occlusion sensitivity: the fall of the class probability under a grey square (Zeiler &amp; Fergus 2014).</summary>
    Occlusion,
}

/// <summary>Which class a map explains: the image's label (the true class) or the model's prediction.</summary>
public enum ExplainedClass
{
    True,
    Predicted,
}

/// <summary>What <see cref="Explanation.Create"/> computes for each image.</summary>
/// <param name="GradCamNode">The node Grad-CAM weighs ("": the last convolution, else the last node with 2-D maps).</param>
/// <param name="OcclusionSize">The occluder's side in pixels (0: a quarter of the image's side).</param>
public sealed record ExplanationOptions(string GradCamNode = "", int OcclusionSize = 0)
{
    public EquatableArray<AttributionMethod> Methods { get; init; } = EquatableArray.Of(AttributionMethod.GradCam, AttributionMethod.Saliency, AttributionMethod.Occlusion);

    public EquatableArray<ExplainedClass> Classes { get; init; } = EquatableArray.Of(ExplainedClass.True);
}

/// <summary>
/// One attribution map at the image's size and what it says: <paramref name="TopMass"/>, the share of its positive
/// mass in its top 10% of pixels (0.1 for a uniform map, 1 for one concentrated on so few pixels);
/// <paramref name="ObjectMass"/>, the share on the object (pixels brighter than a tenth of the range: Fashion-MNIST's
/// items sit on black); <paramref name="Peak"/>, its largest value's position.
/// </summary>
public sealed record ExplainedMap(AttributionMethod Method, ExplainedClass Target, int Class, PixelMap Map, double TopMass, double ObjectMass, Region Peak);

/// <summary>One explained test image: its label, the prediction and its probability, the label's probability, and its maps.</summary>
public sealed record ExplainedImage(int Index, int Label, int Predicted, float Probability, float LabelProbability, Picture Picture,
    EquatableArray<ExplainedMap> Maps);

/// <summary>
/// Where a trained classifier finds the evidence in chosen images of a dataset: Grad-CAM, saliency and occlusion maps
/// for each image's true or predicted class, with their figures, and a page that draws them over the images.
/// </summary>
public sealed record Explanation(HtmlReport Page, string GradCamNode, EquatableArray<ExplainedImage> Images)
{
    /// <summary>
    /// Explains the images of <paramref name="data"/> at <paramref name="indices"/> (in that order) with the methods
    /// and classes of <paramref name="options"/>; the page has a row per image: the image, then one chart per class and method.
    /// </summary>
    /// <exception cref="GraphException">The graph is not an image classifier, or the Grad-CAM node does not exist or has no 2-D maps (the message names those that do).</exception>
    /// <exception cref="ArgumentException">The images do not fit the graph, an index is out of range (the message names the range), or an option is.</exception>
    public static Explanation Create(GraphModule module, Dataset data, IReadOnlyList<int> indices, ExplanationOptions? options = null)
    {
        var o = options ?? new ExplanationOptions();
        var graph = module.Graph;
        var input = graph.Nodes.First(n => n.Node.Layer is Input).OutputShape;
        ModelOutput.Of(graph);  // one score per class, or a GraphException that says why not
        if (input.Rank != 3 || !data.ExampleShape.Equals(input))
            throw new ArgumentException($"'{graph.Graph.Name}' takes images {input}; the images of {data.Name} are {data.ExampleShape}", nameof(data));
        if (indices.Count == 0 || o.Methods.Count == 0 || o.Classes.Count == 0)
            throw new ArgumentException("an explanation needs at least one image, one method and one class", nameof(indices));
        var count = (int)data.Count;
        foreach (var i in indices)
            if (i < 0 || i >= count)
                throw new ArgumentException($"image {i} is out of range: {data.Name} has {count} images, indices 0 to {count - 1}", nameof(indices));
        var side = Math.Max(input.Dims[1], input.Dims[2]);
        if (o.OcclusionSize < 0 || o.OcclusionSize > side)
            throw new ArgumentException($"the occluder's side {o.OcclusionSize} is out of range: 1 to {side} pixels (0 for a quarter of the image)", nameof(options));
        var node = GradCamNodeOf(graph, o.GradCamNode);

        string Name(int c) => c < data.ClassNames.Count ? data.ClassNames[c] : c.ToString(CultureInfo.InvariantCulture);
        var page = new HtmlReport($"{graph.Graph.Name}: where the evidence is");
        page.Paragraph($"Grad-CAM at {node} (Selvaraju et al. 2017), saliency |∂S_c/∂I| (Simonyan et al. 2014) and occlusion with a grey square (Zeiler & Fergus 2014), " +
            $"for the {string.Join(" and the ", o.Classes.Select(c => c == ExplainedClass.True ? "true class" : "predicted class"))} of images of {data.Name}.");
        var images = new List<ExplainedImage>();
        foreach (var i in indices)
        {
            using var scope = NewDisposeScope();
            var image = data.Images[i];
            var picture = Picture.FromTensor(image);
            var label = (int)Scalars.Read<long>(data.Labels[i]);
            var probabilities = ModelEvaluation.Probabilities(module, image);
            var predicted = Enumerable.Range(0, probabilities.Count).MaxBy(c => probabilities[c]);
            var maps = new List<ExplainedMap>();
            var charts = new List<GenericChart> { Plot.Image(picture, Invariant($"#{i}: {Name(label)} → {Name(predicted)} ({probabilities[predicted]:P0})")) };
            foreach (var kind in o.Classes)
            {
                var target = kind == ExplainedClass.True ? label : predicted;
                foreach (var method in o.Methods)
                {
                    var title = $"{Label(method)} · {Name(target)} ({(kind == ExplainedClass.True ? "true" : "predicted")})";
                    var (map, chart) = Map(module, image, picture, method, target, node, o.OcclusionSize, title);
                    charts.Add(chart);
                    maps.Add(new ExplainedMap(method, kind, target, map, map.TopMass(0.1), ObjectMass(picture, map), map.Peak()));
                }
            }
            page.Row(charts);
            images.Add(new ExplainedImage(i, label, predicted, probabilities[predicted], probabilities[label], picture, maps.ToEquatableArray()));
        }
        return new Explanation(page, node, images.ToEquatableArray());
    }

    /// <summary>
    /// The node Grad-CAM weighs: <paramref name="path"/>, or for "" the last convolution (Selvaraju et al. use the last
    /// convolutional layer: the deepest features that keep a spatial layout, on a finer grid than the pooling after
    /// it), or the last node with 2-D maps in a graph without convolutions.
    /// </summary>
    /// <exception cref="GraphException">The node does not exist or has no 2-D maps; the message names those that do.</exception>
    public static string GradCamNodeOf(InferredGraph graph, string path = "")
    {
        var spatial = graph.Nodes.Where(n => n.OutputShape.Rank == 3 && n.Node.Layer is not Input).ToList();
        if (path.Length == 0)
            return spatial.LastOrDefault(n => n.Node.Layer.Kind.Contains("conv", StringComparison.OrdinalIgnoreCase))?.Path ?? GradCam.LastSpatialNode(graph);
        if (spatial.Any(n => n.Path == path)) return path;
        var node = graph.Nodes.FirstOrDefault(n => n.Path == path);
        var hint = $"the nodes with 2-D maps are {string.Join(", ", spatial.Select(n => n.Path))}";
        throw new GraphException(node is null
            ? new GraphError(path, "node", $"Grad-CAM: no node has this path in '{graph.Graph.Name}'", hint)
            : new GraphError(path, node.Node.Layer.Kind, $"Grad-CAM weighs 2-D maps [C, h, w]; this node gives {node.OutputShape}", hint));
    }

    private static string Label(AttributionMethod method) => method switch
    {
        AttributionMethod.GradCam => "Grad-CAM",
        AttributionMethod.Saliency => "saliency",
        _ => "occlusion",
    };

    // Each method's map at the image's size (Grad-CAM's resized from its node), and its chart over the image.
    private static (PixelMap Map, GenericChart Chart) Map(GraphModule module, Tensor image, Picture picture, AttributionMethod method, int target,
        string node, int occluder, string title)
    {
        switch (method)
        {
            case AttributionMethod.GradCam:
                var cam = GradCam.Map(module, image, target, node);
                return (cam.Upsampled, Plot.ClassActivation(picture, cam, title));
            case AttributionMethod.Saliency:
                var saliency = Saliency.Map(module, image, target);
                return (saliency, Plot.Saliency(picture, saliency, title));
            default:
                var occlusion = Occlusion.Map(module, image, target, size: occluder);
                return (occlusion.Sensitivity, Plot.Occlusion(picture, occlusion, Invariant($"{title}: p {occlusion.Baseline:0.00}")));
        }
    }

    // The share of the map's positive mass on pixels brighter than a tenth of the range (the object, on a dark background).
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

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

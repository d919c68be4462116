using System.Globalization;
using Cnn.Functional.Torch;
using Plotly.NET;
using static TorchSharp.torch;

namespace Cnn.Functional.Charts;

/// <summary>What goes into a model report and how much work it may take.</summary>
/// <param name="Examples">Test images explained one by one (Grad-CAM, occlusion, saliency), of different classes where possible.</param>
/// <param name="FgsmExamples">Test images attacked for the accuracy-versus-ε curve.</param>
/// <param name="EmbeddingPoints">Test images whose CNN codes t-SNE embeds (0: no embedding).</param>
/// <param name="Epsilon">The ε of the adversarial example shown.</param>
/// <param name="OcclusionStride">The occluder's stride in pixels (its side is a quarter of the image).</param>
public sealed record ReportOptions(int Examples = 4, int FgsmExamples = 1000, int EmbeddingPoints = 500, double Epsilon = 0.1, int OcclusionStride = 2)
{
    /// <summary>The ε values of the FGSM curve.</summary>
    public EquatableArray<double> Epsilons { get; init; } = EquatableArray.Of(0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3);
}

/// <summary>A trained model's report: the page, and the figures it shows (test evaluation and the FGSM curve).</summary>
public sealed record ModelReport(HtmlReport Page, Evaluation Test, RobustnessCurve Robustness)
{
    /// <summary>
    /// One page for a trained image classifier: training curves (from <paramref name="history"/>, when there is one),
    /// the confusion matrix on <paramref name="test"/>, the first layer's filters and activations, Grad-CAM, occlusion
    /// and saliency for sample test images, the FGSM curve with an adversarial example, a t-SNE of the CNN codes, the
    /// top-activating test images of a deep unit with its receptive field, and the growth of receptive fields.
    /// </summary>
    /// <exception cref="GraphException">The graph is not an image classifier, or the test data does not fit it.</exception>
    /// <exception cref="ArgumentException">An option is out of range, or the data is empty or badly typed.</exception>
    public static ModelReport Create(GraphModule module, Dataset test, IReadOnlyList<EpochSummary> history, ReportOptions? options = null)
    {
        var o = options ?? new ReportOptions();
        if (o.Examples < 1 || o.FgsmExamples < 1 || o.EmbeddingPoints < 0 || o.OcclusionStride < 1 || o.Epsilons.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"a report needs Examples, FgsmExamples and OcclusionStride ≥ 1, EmbeddingPoints ≥ 0 and some Epsilons; got {o}");
        var graph = module.Graph;
        var input = graph.Nodes.First(n => n.Node.Layer is Input).OutputShape;
        if (input.Rank != 3)
            throw new GraphException(new GraphError(graph.Graph.Name, "graph", $"the report draws image classifiers, [C, H, W] → [K]; this graph's input is {input}"));
        var output = ModelOutput.Of(graph);
        var names = test.ClassNames.Count >= output.Classes ? test.ClassNames.Items.ToArray() : Enumerable.Range(0, output.Classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var evaluation = ModelEvaluation.Of(module, test);

        var page = new HtmlReport($"{graph.Graph.Name}: what the network learned");
        page.Paragraph(Invariant($"{graph.Graph.Name}: {graph.Parameters:N0} parameters, input {input}, {output.Classes} classes. Test accuracy {evaluation.Accuracy:P2} on {evaluation.Count:N0} images of {test.Name}; {history.Count} epochs of training recorded."));

        page.Heading("Training");
        if (history.Count > 0) page.Chart(Plot.TrainingCurves(history));
        else page.Paragraph("No training history was recorded with these weights.");
        page.Chart(Plot.ConfusionMatrix(evaluation.Confusion, names));

        var samples = Samples(test, o.Examples);
        using var scope = NewDisposeScope();
        var first = Filters.Of(module);
        page.Heading("Filters and activations");
        page.Row([Plot.Filters(first), Plot.Activations(Activations.Of(module, test.Images[samples[0]], Activated(graph, first.Path)))]);

        page.Heading("Where the evidence is: Grad-CAM, occlusion, saliency");
        var gradCamPath = GradCam.LastSpatialNode(graph);
        page.Paragraph($"Grad-CAM at {gradCamPath} (Selvaraju et al. 2017); occlusion with a grey square (Zeiler & Fergus 2014); saliency |∂S_c/∂I| (Simonyan et al. 2014). Each for the predicted class.");
        foreach (var i in samples)
        {
            using var sampleScope = NewDisposeScope();
            var image = test.Images[i];
            var picture = Picture.FromTensor(image);
            var label = (int)Scalars.Read<long>(test.Labels[i]);
            var predicted = ModelEvaluation.Predict(module, image).Class;
            page.Row([
                Plot.Image(picture, $"#{i}: {names[label]} → {names[predicted]}"),
                Plot.ClassActivation(picture, GradCam.Map(module, image, predicted), $"Grad-CAM: {names[predicted]}"),
                Plot.Occlusion(picture, Occlusion.Map(module, image, predicted, stride: o.OcclusionStride)),
                Plot.Saliency(picture, Saliency.Map(module, image, predicted)),
            ]);
        }

        page.Heading("Adversarial examples (FGSM)");
        var curve = Fgsm.Curve(module, test, o.Epsilons.Items, limit: o.FgsmExamples);
        var example = Fgsm.Example(module, test.Images[samples[0]], (int)Scalars.Read<long>(test.Labels[samples[0]]), o.Epsilon);
        page.Row([Plot.Robustness(curve, graph.Graph.Name), Plot.Adversarial(example, names)]);

        page.Heading("CNN codes and units");
        var codesPath = CodesPath(graph, output);
        var deep = TopUnit(graph);
        var top = MaxActivating.TopK(module, test, deep, 0, k: 10, limit: o.FgsmExamples);
        var row = new List<GenericChart>();
        if (o.EmbeddingPoints > 0)
        {
            var codes = CnnCodes.Of(module, test, codesPath, Math.Min(o.EmbeddingPoints, (int)test.Count));
            if (codes.Count >= 10) row.Add(Plot.Embedding(Tsne.Embed(codes, new TsneOptions(Perplexity: Math.Min(30, (codes.Count - 1) / 3), Iterations: 500)), $"t-SNE of the codes at {codesPath}"));
        }
        row.Add(Plot.TopActivations(top, names));
        page.Row(row);
        page.Chart(Plot.FieldGrowth([graph.Graph], $"receptive field of every node of {graph.Graph.Name}"));
        return new ModelReport(page, evaluation, curve);
    }

    // The first test image of each class, in class order, until there are enough; then the next ones in order.
    private static List<int> Samples(Dataset test, int count)
    {
        using var scope = NewDisposeScope();
        var labels = test.Labels.narrow(0, 0, Math.Min(test.Count, 2000)).cpu().data<long>().ToArray();
        var firsts = labels.Select((l, i) => (l, i)).GroupBy(x => x.l).OrderBy(g => g.Key).Select(g => g.First().i);
        return firsts.Concat(Enumerable.Range(0, labels.Length)).Distinct().Take(Math.Min(count, labels.Length)).ToList();
    }

    // The first convolution's activation, if the next node applies one (ReLU maps are the sparse ones the lecture shows).
    private static string Activated(InferredGraph graph, string path) =>
        graph.Nodes.FirstOrDefault(n => n.Node.Inputs.Count == 1 && n.Node.Inputs[0] == path && n.Node.Layer is Activation)?.Path ?? path;

    // The codes feeding the classifier: the input of the score node (LeNet-5's 84 units), else the scores themselves.
    private static string CodesPath(InferredGraph graph, ModelOutput output)
    {
        var score = graph[output.ScorePath];
        return score.Node.Inputs.Count == 1 && graph[score.Node.Inputs[0]].Node.Layer is not Input ? score.Node.Inputs[0] : output.ScorePath;
    }

    private static string TopUnit(InferredGraph graph) => GradCam.LastSpatialNode(graph);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

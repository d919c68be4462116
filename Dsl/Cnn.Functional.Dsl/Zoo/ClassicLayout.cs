namespace Cnn.Functional.Dsl;

/// <summary>
/// How a classic "features → classifier" network (AlexNet, VGG) names its nodes and ends. The layers are the
/// same either way; only the wrapping differs.
/// </summary>
public enum LayoutStyle
{
    /// <summary>
    /// As the paper and its released Caffe model: nodes named conv1, relu1, pool1, …, fc6, …, fc8 at the top level,
    /// a fixed input size flattened straight into fc6, and a softmax output "prob" (the lecture's "last layer is a
    /// soft-max").
    /// </summary>
    Paper,

    /// <summary>
    /// As torchvision: <c>features/N</c> and <c>classifier/N</c> by module index (so '/' → '.' gives the state
    /// dict's keys, e.g. <c>features.0.weight</c>), an adaptive average pool "avgpool" between them so that other
    /// input sizes reach the classifier with the same shape, and logits out (the loss applies the softmax).
    /// </summary>
    Torchvision,
}

/// <summary>A layer with the name the paper's model gives it; torchvision names it by its index instead.</summary>
internal sealed record Module(string PaperName, Layer Layer);

/// <summary>Assembles a features → classifier network in either <see cref="LayoutStyle"/>.</summary>
internal static class ClassicLayout
{
    /// <summary>
    /// <paramref name="features"/>, then (torchvision only) an adaptive average pool to <paramref name="pooled"/>,
    /// a flatten, <paramref name="classifier"/>, and (paper only) the softmax.
    /// </summary>
    /// <exception cref="GraphException">The layers do not fit the input.</exception>
    public static Graph Build(string name, Shape input, LayoutStyle style, IEnumerable<Module> features, int pooled, IEnumerable<Module> classifier)
    {
        var flatten = Net.Layer(Layers.Flatten(), "flatten");
        var body = style == LayoutStyle.Torchvision
            ? Net.Sequence(Indexed("features", features), Net.Layer(Layers.AdaptiveAvgPool(pooled), "avgpool"), flatten,
                Indexed("classifier", classifier))
            : Net.Sequence(Named(features), flatten, Named(classifier), Net.Layer(Layers.Softmax(), "prob"));
        return body.ToGraph(name, input);
    }

    /// <summary>torchvision's nn.Sequential: module i at <c>scope/i</c>, counting every module (ReLU and pooling too).</summary>
    private static Block Indexed(string scope, IEnumerable<Module> modules) =>
        Net.Scope(scope, Net.SequenceOf(modules.Select((m, i) => Net.Layer(m.Layer, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));

    private static Block Named(IEnumerable<Module> modules) => Net.SequenceOf(modules.Select(m => Net.Layer(m.Layer, m.PaperName)));
}

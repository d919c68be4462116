namespace Cnn.Functional.Tests;

/// <summary>
/// Runs shape inference on the smallest graph that exercises a layer: one input feeding one layer at the
/// path <see cref="Path"/>.
/// </summary>
internal static class OneLayer
{
    public const string Path = "layer";

    public static Graph Build(Shape input, Layer layer) => Graph.Create("one-layer", input).Then(Path, layer);

    /// <summary>What inference learns about the layer; fails the test if the graph has errors.</summary>
    public static LayerInfo Info(Shape input, Layer layer) => Build(input, layer).Infer()[Path].Info;

    /// <summary>The errors inference throws; each must name the layer's path and kind.</summary>
    public static IReadOnlyList<GraphError> Errors(Shape input, Layer layer)
    {
        var exception = Assert.Throws<GraphException>(() => Build(input, layer).Infer());
        Assert.NotEmpty(exception.Errors);
        Assert.All(exception.Errors, e =>
        {
            Assert.Equal(Path, e.Path);
            Assert.Equal(layer.Kind, e.LayerKind);
        });
        return exception.Errors;
    }

    /// <summary>The one error inference throws, as text ("layer: message. Hint: hint").</summary>
    public static string Error(Shape input, Layer layer) => Assert.Single(Errors(input, layer)).ToString();

    /// <summary>The messages (without path and hint) of every error inference throws.</summary>
    public static string[] Messages(Shape input, Layer layer) => Errors(input, layer).Select(e => e.Message).ToArray();
}

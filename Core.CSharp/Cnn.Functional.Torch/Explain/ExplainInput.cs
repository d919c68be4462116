using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// What every technique checks and prepares the same way: one image that fits the graph's input, a class that the
/// output has, a node that exists, evaluation mode while it runs, and the class scores the loss is computed from.
/// </summary>
internal static class ExplainInput
{
    /// <summary>The graph's single input node.</summary>
    public static InferredNode InputNode(GraphModule module, string technique)
    {
        var inputs = module.Graph.Nodes.Where(n => n.Node.Layer is Input).ToList();
        if (inputs.Count != 1)
            throw new GraphException(new GraphError(module.Graph.Graph.Name, "graph", $"{technique} feeds one input; the graph has {inputs.Count}"));
        return inputs[0];
    }

    /// <summary>
    /// <paramref name="image"/> ([C, H, W] or [1, C, H, W], the graph's input shape) as a detached float32 batch of
    /// one on the module's device: a new leaf tensor (ready for <c>requires_grad_</c>) in the current dispose scope.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor is not one image of the graph's input shape.</exception>
    public static Tensor One(GraphModule module, Tensor image, string technique)
    {
        ArgumentNullException.ThrowIfNull(image);
        var shape = InputNode(module, technique).OutputShape;
        var dims = image.shape.Select(d => (int)d).ToArray();
        var one = dims.Length == shape.Rank + 1 && dims[0] == 1 ? dims.Skip(1).ToArray() : dims;
        if (!one.SequenceEqual(shape.Dims.Items))
            throw new ArgumentException(
                $"{technique} takes one image of the graph's input shape {shape} (or [1, …] of it); got a tensor of shape [{string.Join(", ", dims)}]",
                nameof(image));
        return image.detach().to(ScalarType.Float32).to(DeviceOf(module)).reshape([1, .. shape.Dims.Items.Select(d => (long)d)]).clone();
    }

    /// <summary>Checks images [N, …] and labels [N] for a batch technique (FGSM).</summary>
    public static void CheckBatch(GraphModule module, Tensor images, Tensor labels, string technique)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        var shape = InputNode(module, technique).OutputShape;
        var dims = images.shape.Select(d => (int)d).ToArray();
        if (dims.Length != shape.Rank + 1 || !dims.Skip(1).SequenceEqual(shape.Dims.Items))
            throw new ArgumentException($"{technique} takes images [N, {string.Join(", ", shape.Dims.Items)}]; got [{string.Join(", ", dims)}]", nameof(images));
        if (labels.dim() != 1 || labels.shape[0] != images.shape[0] || labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"{technique} takes int64 labels [N] for {dims[0]} images; got {labels.dtype} [{string.Join(", ", labels.shape)}]", nameof(labels));
    }

    /// <summary>Checks that <paramref name="target"/> is one of the output's classes.</summary>
    public static void CheckClass(ModelOutput output, int target, string technique)
    {
        if (target < 0 || target >= output.Classes)
            throw new ArgumentOutOfRangeException(nameof(target), target, $"{technique}: class {target} is not a class of the output (0 to {output.Classes - 1})");
    }

    /// <summary>The node at <paramref name="path"/>, or a <see cref="GraphException"/> naming the graph's nodes.</summary>
    public static InferredNode Node(GraphModule module, string path, string technique)
    {
        var node = module.Graph.Nodes.FirstOrDefault(n => n.Path == path);
        return node ?? throw new GraphException(new GraphError(path, "node",
            $"{technique}: no node has the path '{path}' in graph '{module.Graph.Graph.Name}'",
            $"one of: {string.Join(", ", module.Graph.Nodes.Select(n => n.Path))}"));
    }

    public static Device DeviceOf(GraphModule module) => module.parameters().FirstOrDefault()?.device ?? CPU;

    /// <summary>Class scores [N, K] (larger is more likely; logits for most graphs) of a batch, as the trainer scores them.</summary>
    public static Tensor Scores(GraphModule module, ModelOutput output, Tensor batch)
    {
        using var labels = zeros([batch.shape[0]], ScalarType.Int64, batch.device);
        return output.Score(module, batch, labels).Scores;
    }

    /// <summary>Class probabilities [N, K]: the softmax of the scores.</summary>
    public static Tensor Probabilities(GraphModule module, ModelOutput output, Tensor batch) =>
        Scores(module, output, batch).softmax(1);

    /// <summary>
    /// Puts the module in evaluation mode (no dropout, running batch-norm statistics, as at test time) until disposed,
    /// then restores training mode if it was training.
    /// </summary>
    public static IDisposable Evaluating(GraphModule module)
    {
        var wasTraining = module.training;
        module.eval();
        return new Restore(() => { if (wasTraining) Freezing.Train(module); });
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}

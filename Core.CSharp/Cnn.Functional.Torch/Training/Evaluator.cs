using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>Evaluation passes and the checks that a dataset fits a graph.</summary>
internal static class Evaluator
{
    /// <summary>
    /// Loss, accuracy and confusion matrix of <paramref name="module"/> over <paramref name="examples"/>, in evaluation
    /// mode and without gradients, one dispose scope per batch. The module's mode is restored afterwards. The forward
    /// passes run as <see cref="Inference"/> says (inference mode, channels-last batches): measured 1.3–1.5× faster
    /// for vgg_small at batch 256 than no_grad on NCHW batches, with the same predictions.
    /// </summary>
    public static Evaluation Run(GraphModule module, ModelOutput output, Examples examples, int batchSize, Device device)
    {
        using var evaluating = Freezing.Evaluating(module);
        using var mode = Inference.Mode();
        var k = output.Classes;
        using var confusion = zeros([k * k], ScalarType.Int64, device);
        var lossSum = 0.0;
        using var numbers = new Scalars();
        var classes = numbers.Of((long)k);
        for (var b = 0; b < examples.Batches(batchSize); b++)
        {
            using var scope = NewDisposeScope();
            var batch = examples.Get(b, batchSize, null, device);
            var scored = output.Score(module, Inference.Layout(batch.Images), batch.Labels);
            lossSum += Scalars.Read<float>(scored.Loss) * (double)batch.Size;
            // Row-major index actual·K + predicted, counted in one pass.
            confusion.add_(batch.Labels.mul(classes).add_(scored.Scores.argmax(1), Scalars.One).bincount(null, k * k), Scalars.One);
        }
        long[] counts;
        using (var scope = NewDisposeScope()) counts = confusion.cpu().data<long>().ToArray();
        var matrix = ConfusionMatrix.FromRowMajor(k, counts);
        return new Evaluation(examples.Count, lossSum / examples.Count, matrix.Accuracy, matrix);
    }

    /// <summary>Checks that <paramref name="data"/> can feed the graph and that its labels are classes of the output.</summary>
    /// <exception cref="GraphException">The examples' shape is not the graph's input shape, or the data has more classes than the output.</exception>
    /// <exception cref="ArgumentException">The dataset is empty, or its tensors have the wrong type, or a label is out of range.</exception>
    public static void Check(Dataset data, GraphModule module, ModelOutput output, string role)
    {
        var inputs = module.Graph.Nodes.Where(n => n.Node.Layer is Input).ToList();
        if (inputs.Count != 1)
            throw new GraphException(new GraphError(module.Graph.Graph.Name, "graph", $"training feeds one input; the graph has {inputs.Count}"));
        if (data.Count == 0) throw new ArgumentException($"the {role} set '{data.Name}' is empty", nameof(data));
        if (data.Images.dtype != ScalarType.Float32 || data.Labels.dtype != ScalarType.Int64 || data.Labels.dim() != 1 || data.Images.shape[0] != data.Count)
            throw new ArgumentException(
                $"the {role} set '{data.Name}' must hold float32 images [N, …] and int64 labels [N]; it holds {data.Images.dtype} [{string.Join(", ", data.Images.shape)}] and {data.Labels.dtype} [{string.Join(", ", data.Labels.shape)}]",
                nameof(data));
        var input = inputs[0];
        if (data.ExampleShape != input.OutputShape)
            throw new GraphException(new GraphError(input.Path, "input",
                $"the {role} set '{data.Name}' holds examples of shape {data.ExampleShape}; the graph's input is {input.OutputShape}",
                "preprocess the data (resize, pad, channels) or build the graph for this input shape"));
        if (data.Classes > output.Classes)
            throw new GraphException(new GraphError(output.OutputPath, module.Graph[output.OutputPath].Node.Layer.Kind,
                $"the {role} set '{data.Name}' has {data.Classes} classes; the output gives {output.Classes} scores", $"give the last layer {data.Classes} units"));
        using var scope = NewDisposeScope();
        var (low, high) = (Scalars.Read<long>(data.Labels.min()), Scalars.Read<long>(data.Labels.max()));
        if (low < 0 || high >= output.Classes)
            throw new ArgumentException($"the {role} set '{data.Name}' has labels from {low} to {high}; the graph's output has classes 0 to {output.Classes - 1}", nameof(data));
    }
}

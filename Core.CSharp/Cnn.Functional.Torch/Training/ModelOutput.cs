using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>What a classifier graph's output node holds, which decides how its loss is computed.</summary>
public enum OutputKind
{
    /// <summary>Unnormalised scores z (a dense layer): cross-entropy from logits.</summary>
    Logits,

    /// <summary>
    /// A final softmax (the zoo's paper-layout AlexNet and VGG end in one named "prob", as the lecture's "last layer is
    /// a soft-max"): the loss is the cross-entropy of the softmax's input, the logits. This is the same function as
    /// −log p_y, but log(softmax(z)) underflows to −∞ (and gives no gradient) once a logit leads by ~104 in float32,
    /// while log-sum-exp on z does not.
    /// </summary>
    Probabilities,

    /// <summary>A final logSoftmax: the negative log-likelihood of its output, which equals the cross-entropy of its input.</summary>
    LogProbabilities,

    /// <summary>
    /// LeNet-5's Euclidean RBF output (distances yᵢ to class prototypes, smaller is better): the cross-entropy of −y,
    /// i.e. LeCun et al.'s (1998) MAP criterion, eq. 9, <c>E = y_Dp + log(e^−j + Σᵢ e^−yᵢ)</c>, with j → ∞.
    /// </summary>
    Distances,
}

/// <summary>
/// How a graph's output turns into class scores and a loss: found once from the output node's layer, then applied
/// to every batch. The scores' argmax is the predicted class in every case.
/// </summary>
public sealed record ModelOutput(OutputKind Kind, string OutputPath, string ScorePath, int Classes)
{
    /// <summary>Reads the output kind from <paramref name="graph"/>'s (single) output node.</summary>
    /// <exception cref="GraphException">The graph has several outputs, or its output is not one score per class, <c>[K]</c>.</exception>
    public static ModelOutput Of(InferredGraph graph)
    {
        var outputs = graph.Graph.OutputPaths;
        if (outputs.Count != 1)
            throw new GraphException(new GraphError(graph.Graph.Name, "graph",
                $"training needs one output of class scores; the graph has {outputs.Count} outputs ({string.Join(", ", outputs)})",
                "declare one output with WithOutputs"));
        var node = graph[outputs[0]];
        if (node.OutputShape.Rank != 1)
            throw new GraphException(new GraphError(node.Path, node.Node.Layer.Kind,
                $"a classifier's output is one score per class, [K]; this node gives {node.OutputShape}",
                "end the graph with Flatten and a Dense layer of K units, or a global pooling over K channels"));
        var classes = node.OutputShape.Channels;
        return node.Node.Layer switch
        {
            Softmax { Log: false } when node.Node.Inputs.Count == 1 => new(OutputKind.Probabilities, node.Path, node.Node.Inputs[0], classes),
            Softmax { Log: true } => new(OutputKind.LogProbabilities, node.Path, node.Path, classes),
            RbfOutput => new(OutputKind.Distances, node.Path, node.Path, classes),
            _ => new(OutputKind.Logits, node.Path, node.Path, classes),
        };
    }

    /// <summary>
    /// Runs <paramref name="module"/> on a batch <c>[N, …]</c> and returns the class scores <c>[N, K]</c> (larger is
    /// more likely) and the batch-mean loss against <paramref name="labels"/> <c>[N]</c>, both in the caller's scope.
    /// </summary>
    public Scored Score(GraphModule module, Tensor input, Tensor labels)
    {
        switch (Kind)
        {
            case OutputKind.Probabilities:
                // Keep the logits feeding the softmax; the softmax's own output is computed and dropped.
                var logits = module.Run(input, [ScorePath])[ScorePath];
                return new Scored(logits, Losses.CrossEntropy(logits, labels));
            case OutputKind.LogProbabilities:
                var logProbabilities = module.forward(input);
                return new Scored(logProbabilities, Losses.NegativeLogLikelihood(logProbabilities, labels));
            case OutputKind.Distances:
                var negated = module.forward(input).neg();
                return new Scored(negated, Losses.CrossEntropy(negated, labels));
            default:
                var scores = module.forward(input);
                return new Scored(scores, Losses.CrossEntropy(scores, labels));
        }
    }
}

/// <summary>One batch's class scores [N, K] and mean loss (a scalar), both owned by the dispose scope they were made in.</summary>
public sealed record Scored(Tensor Scores, Tensor Loss);

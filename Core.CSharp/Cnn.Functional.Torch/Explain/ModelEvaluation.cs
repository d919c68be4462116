using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>A predicted class and its probability (the softmax of the class scores).</summary>
public sealed record Prediction(int Class, float Probability);

/// <summary>Evaluates a module on a dataset without a trainer (for reports on a loaded checkpoint).</summary>
public static class ModelEvaluation
{
    /// <summary>Loss, accuracy and confusion matrix of <paramref name="module"/> on <paramref name="data"/>, in evaluation mode, one dispose scope per batch.</summary>
    /// <exception cref="GraphException">The data does not fit the graph.</exception>
    /// <exception cref="ArgumentException">The data is empty or badly typed, or has labels out of range.</exception>
    public static Evaluation Of(GraphModule module, Dataset data, int batchSize = 256)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "at least 1");
        var output = ModelOutput.Of(module.Graph);
        Evaluator.Check(data, module, output, "evaluation");
        using var examples = Examples.All(data);
        return Evaluator.Run(module, output, examples, batchSize, ExplainInput.DeviceOf(module));
    }

    /// <summary>
    /// The probability of every class (the softmax of the class scores, in class order) for one image ([C, H, W] or
    /// [1, C, H, W]), in evaluation mode: how sure the model is of the label as well as of its prediction.
    /// </summary>
    /// <exception cref="ArgumentException">The image does not fit the graph.</exception>
    public static EquatableArray<float> Probabilities(GraphModule module, Tensor image)
    {
        var output = ModelOutput.Of(module.Graph);
        using var mode = Freezing.Evaluating(module);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var probabilities = ExplainInput.Probabilities(module, output, ExplainInput.One(module, image, "prediction"))[0];
        return probabilities.to(ScalarType.Float32).cpu().data<float>().ToArray().ToEquatableArray();
    }

    /// <summary>The class predicted for one image ([C, H, W] or [1, C, H, W]) and its probability, in evaluation mode.</summary>
    /// <exception cref="ArgumentException">The image does not fit the graph.</exception>
    public static Prediction Predict(GraphModule module, Tensor image)
    {
        var output = ModelOutput.Of(module.Graph);
        using var mode = Freezing.Evaluating(module);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var probabilities = ExplainInput.Probabilities(module, output, ExplainInput.One(module, image, "prediction"))[0];
        var predicted = (int)Scalars.Read<long>(probabilities.argmax());
        return new Prediction(predicted, Scalars.Read<float>(probabilities[predicted]));
    }
}

using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>What a class looks like to the network: the image found by <see cref="ClassModel.Visualize"/> and its score.</summary>
public sealed record ClassModelImage(int Class, Picture Image, double Score, int Steps);

/// <summary>
/// Class model visualisation (Simonyan, Vedaldi &amp; Zisserman 2014, §2, eq. 1): the L2-regularised image with a high
/// score for class c, <c>argmax_I S_c(I) − λ‖I‖²₂</c>, found by gradient ascent from the zero image — which, for the
/// paper's mean-centred inputs, is the mean image: for pixels in [0, 1] start from the training mean instead (where
/// every ReLU of a trained net may be off at the black image, the gradient there is zero). S_c is the score
/// before the softmax: maximising the posterior can be done by pushing the other classes down instead. Each step
/// follows the objective's gradient G = ∂S_c/∂I − 2λ(I − I₀) divided by its root mean square, so the step size η is in pixel
/// units whatever the scale of the scores (near the zero image ReLU networks have tiny gradients); the fixed point,
/// G = 0, is the paper's optimum.
/// </summary>
public static class ClassModel
{
    /// <summary>
    /// Runs <paramref name="steps"/> steps of normalised gradient ascent I ← I + η G / rms(G) from <paramref name="start"/>
    /// (one image of the input's shape; default the zero image) and returns the image with its final score. The L2 term
    /// is measured from the start, λ‖I − start‖², which is the paper's λ‖I‖² in its mean-centred coordinates.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range or the class is not an output class.</exception>
    public static ClassModelImage Visualize(GraphModule module, int target, int steps = 200, double learningRate = 0.05, double l2 = 0.01, Tensor? start = null)
    {
        var output = ModelOutput.Of(module.Graph);
        ExplainInput.CheckClass(output, target, "class model visualisation");
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "at least 1 step");
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "a positive finite step size");
        if (!(l2 >= 0) || !double.IsFinite(l2)) throw new ArgumentOutOfRangeException(nameof(l2), l2, "λ must be 0 or more");
        var shape = ExplainInput.InputNode(module, "class model visualisation").OutputShape;
        using var mode = Freezing.Evaluating(module);
        using var origin = start is null
            ? zeros([1, .. shape.Dims.Items.Select(d => (long)d)], device: ExplainInput.DeviceOf(module))
            : ExplainInput.One(module, start, "class model visualisation");
        using var image = origin.clone();
        var score = 0.0;
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var x = image.detach().clone().requires_grad_();
            var s = ExplainInput.Scores(module, output, x)[0, target];
            score = Scalars.Read<float>(s);
            var gradient = autograd.grad([s], [x])[0];
            using (no_grad())
            {
                var ascent = gradient - 2 * l2 * (image - origin);
                image.add_(ascent / (ascent.square().mean().sqrt() + 1e-12), alpha: learningRate);
            }
        }
        using (var scope = NewDisposeScope())
        using (no_grad()) score = Scalars.Read<float>(ExplainInput.Scores(module, output, image)[0, target]);
        return new ClassModelImage(target, Picture.FromTensor(image), score, steps);
    }
}

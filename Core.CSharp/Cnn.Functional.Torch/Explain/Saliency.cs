using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Image-specific class saliency (Simonyan, Vedaldi &amp; Zisserman 2014, "Deep Inside Convolutional Networks", §3.1):
/// the class score S_c is approximated near the image I₀ by its first-order Taylor expansion S_c(I) ≈ wᵀI + b with
/// w = ∂S_c/∂I at I₀ (eq. 3–4); the magnitude of w says which pixels need to change least to change the score most.
/// The map at pixel (i, j) is max over channels of |w| (§3.1).
/// </summary>
public static class Saliency
{
    /// <summary>
    /// The saliency map of class <paramref name="target"/> for one <paramref name="image"/> ([C, H, W] or [1, C, H, W],
    /// the graph's input shape): H × W, non-negative. The score is the class score before any softmax (the paper's
    /// choice: the softmax's gradient also depends on the other classes). Runs in evaluation mode.
    /// </summary>
    /// <exception cref="ArgumentException">The image does not fit the graph, or the class is not an output class.</exception>
    public static PixelMap Map(GraphModule module, Tensor image, int target)
    {
        var output = ModelOutput.Of(module.Graph);
        ExplainInput.CheckClass(output, target, "saliency");
        using var mode = ExplainInput.Evaluating(module);
        using var scope = NewDisposeScope();
        var x = ExplainInput.One(module, image, "saliency").requires_grad_();
        var score = ExplainInput.Scores(module, output, x)[0, target];
        var gradient = autograd.grad([score], [x])[0];
        var flat = gradient[0].abs();
        // One channel per pixel for images; a sequence [C, L] becomes a 1 × L map.
        var map = flat.dim() == 3 ? flat.amax([0]) : flat.dim() == 2 ? flat.amax([0]).unsqueeze(0) : flat.unsqueeze(0);
        return PixelMap.FromTensor(map);
    }
}

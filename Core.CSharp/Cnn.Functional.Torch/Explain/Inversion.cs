using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// The settings of <see cref="Inversion.Reconstruct"/>: the regulariser weights λ_α and λ_V with exponents α and β
/// (the paper's α = 6, β = 2 on images of standard deviation about 1/4 here, pixels in [0, 1]), and the optimiser.
/// </summary>
public sealed record InversionOptions(int Steps = 300, double LearningRate = 0.05, double Alpha = 6, double AlphaWeight = 1e-4,
    double Beta = 2, double VariationWeight = 1e-3, int Seed = 1);

/// <summary>
/// An image reconstructed from a node's representation, with the representation's relative error
/// ‖Φ(x) − Φ₀‖² / ‖Φ₀‖² (the data term of the objective) and the objective after every step.
/// </summary>
public sealed record InversionResult(string Path, Picture Reconstruction, double RelativeError, EquatableArray<double> Objective);

/// <summary>
/// Feature inversion (Mahendran &amp; Vedaldi 2015, "Understanding Deep Image Representations by Inverting Them", eq. 1–3):
/// <c>x* = argmin_x ‖Φ(x) − Φ₀‖² / ‖Φ₀‖² + λ_α ‖x − m‖_α^α + λ_V Σ_(i,j) ((x_(i,j+1) − x_(i,j))² + (x_(i+1,j) − x_(i,j))²)^(β/2)</c>,
/// with Φ the network up to a node and Φ₀ = Φ(x₀) the representation to invert. The α-norm keeps the image in range,
/// the total variation R_V^β keeps it natural. Optimised with Adam from noise (the paper used momentum SGD); m is the
/// mid-grey 0.5 of the pixel range. What survives in x* is what the node keeps of x₀.
/// </summary>
public static class Inversion
{
    /// <summary>Reconstructs an input from the representation of <paramref name="image"/> at <paramref name="path"/>. Evaluation mode.</summary>
    /// <exception cref="GraphException">No node has that path.</exception>
    /// <exception cref="ArgumentException">The image does not fit the graph, it is not 2-D, or a setting is out of range.</exception>
    public static InversionResult Reconstruct(GraphModule module, Tensor image, string path, InversionOptions? options = null)
    {
        var o = options ?? new InversionOptions();
        if (o.Steps < 1) throw new ArgumentOutOfRangeException(nameof(options), o.Steps, "InversionOptions.Steps must be at least 1");
        if (!(o.LearningRate > 0) || !(o.Alpha >= 1) || !(o.Beta >= 1) || !(o.AlphaWeight >= 0) || !(o.VariationWeight >= 0))
            throw new ArgumentOutOfRangeException(nameof(options), $"InversionOptions need LearningRate > 0, Alpha ≥ 1, Beta ≥ 1 and weights ≥ 0; got {o}");
        ExplainInput.Node(module, path, "inversion");
        var shape = ExplainInput.InputNode(module, "inversion").OutputShape;
        if (shape.Rank != 3) throw new ArgumentException($"inversion reconstructs images [C, H, W]; the input is {shape}", nameof(image));
        using var mode = Freezing.Evaluating(module);
        using var target = Representation(module, image, path);
        using var norm = target.square().sum();
        using var generator = new Generator(unchecked((ulong)o.Seed));
        using var start = 0.5 + 0.1 * randn([1, .. shape.Dims.Items.Select(d => (long)d)], generator: generator);
        using var x = new TorchSharp.Modules.Parameter(start.to(target.device));
        using var adam = optim.Adam([x], lr: o.LearningRate);
        var objective = new List<double>(o.Steps);
        for (var step = 0; step < o.Steps; step++)
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            var loss = Objective(module, x, path, target, norm, o).Total;
            objective.Add(Scalars.Read<float>(loss));
            loss.backward();
            adam.step();
        }
        double error;
        using (var scope = NewDisposeScope())
        using (no_grad()) error = Scalars.Read<float>(Objective(module, x, path, target, norm, o).Data);
        return new InversionResult(path, Picture.FromTensor(x.detach()), error, objective.ToEquatableArray());
    }

    private static Tensor Representation(GraphModule module, Tensor image, string path)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x0 = ExplainInput.One(module, image, "inversion");
        return module.Run(x0, [path])[path].detach().MoveToOuterDisposeScope();
    }

    private static (Tensor Total, Tensor Data) Objective(GraphModule module, Tensor x, string path, Tensor target, Tensor norm, InversionOptions o)
    {
        var data = (module.Run(x, [path])[path] - target).square().sum() / norm.clamp_min(1e-12);
        var range = (x - 0.5).abs().pow(o.Alpha).sum();
        var dx = x[.., .., .., 1..] - x[.., .., .., ..^1];
        var dy = x[.., .., 1.., ..] - x[.., .., ..^1, ..];
        // Both differences on the common (H − 1) × (W − 1) grid, as the paper's sum over (i, j) pairs them.
        var variation = (dx[.., .., ..^1, ..].square() + dy[.., .., .., ..^1].square()).pow(o.Beta / 2).sum();
        return (data + o.AlphaWeight * range + o.VariationWeight * variation, data);
    }
}

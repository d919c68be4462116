using TorchSharp;
using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>
/// A convolution without bias is linear: f(αx + βy) = α·f(x) + β·f(y). The law sets every bias of the subject to zero
/// (its "bias" parameters: a convolution's, a pointwise step's, subsampling's) and checks the rest is linear. It applies
/// to the weight-sharing and unshared convolutions, transposed, separable, partial, Dirac and binary-weight ones, fully
/// connected layers, average and sum pooling, LeNet's subsampling, flatten and dropout at evaluation, and to graphs
/// made only of these and of additions and concatenations.
/// </summary>
public sealed class Linearity : Law
{
    public override string Name => "linearity";

    public override string Statement => "f(αx + βy) = α·f(x) + β·f(y) once every bias is zero";

    public override string Source => "lecture, 'Backpropagation through convolution' (net_i = Σ_j w_j·a_{i+j−1}: a linear map of the input)";

    public override Applicability AppliesTo(Subject subject)
    {
        var nodes = subject.Path is null ? subject.Inferred.Nodes.Where(n => n.Node.Layer is not Input) : [subject.Inferred[subject.Path]];
        foreach (var node in nodes)
        {
            var why = WhyNot(node.Node.Layer, subject.Path is null);
            if (why is not null) return Applicability.No(subject.Path is null ? $"{node.Path} ({node.Node.Layer.Kind}) {why}" : why);
        }
        return Applicability.Yes;
    }

    // Null when the layer is linear once its biases are zero; else why not.
    private static string? WhyNot(Layer layer, bool inGraph) => layer switch
    {
        Conv or ConvTranspose or SpatiallySeparableConv or DepthwiseSeparableConv or LocallyConnected or PartialConv or DiracConv or Dense or Subsampling or Flatten or Dropout => null,
        BinaryConv { Mode: Binarization.Weights } or BinaryDense { Mode: Binarization.Weights } => null,
        BinaryConv or BinaryDense => "binarises its input (sign(x)): not linear",
        Pool { Function: PoolKind.Average or PoolKind.Sum } or GlobalPool { Function: PoolKind.Average or PoolKind.Sum } or AdaptivePool { Function: PoolKind.Average } => null,
        Pool or GlobalPool or AdaptivePool => "takes a maximum or a norm: not linear",
        Add or Concat when inGraph => null,
        CoordConv => "appends constant coordinate channels: affine, not linear",
        DeformableConv => "samples its input at offsets computed from it: not linear",
        Activation or Softmax => "is a nonlinearity",
        BatchNorm or LayerNorm or InstanceNorm or GroupNorm or LocalResponseNorm => "divides by statistics of its input: not linear",
        RbfOutput => "computes squared distances: not linear",
        Input => "is a graph input",
        _ => $"is not one of the linear layers ({layer.Kind})",
    };

    public override Gen<Trial> Trials(Subject subject) =>
        from trial in TrialGenerators.Cases()
        from other in TrialGenerators.Tensor(Draw.Gaussian, Draw.SmallIntegers)
        from coefficients in TrialGenerators.Coefficients()
        select trial with { Other = other, Coefficients = coefficients };

    public override Outcome Run(Subject subject, Trial trial)
    {
        if (trial.Coefficients is not { } c) return Outcome.Skip("the case has no coefficients");
        using var instance = subject.Create(trial.DType, trial.Seed);
        foreach (var (name, tensor) in instance.Weights())
            if (name == "bias" || name.EndsWith(".bias", StringComparison.Ordinal))
                instance.Assign(name, TorchSharp.torch.zeros_like(tensor));
        var x = trial.MakeInput(subject.InputShape);
        var y = trial.MakeOther(subject.InputShape);
        var combined = instance.Forward(x * c.Alpha + y * c.Beta);
        var fx = instance.Forward(x) * c.Alpha;
        var fy = instance.Forward(y) * c.Beta;
        var scale = fx.abs().max().ToDouble() + fy.abs().max().ToDouble();
        return Outcome.Of(Difference.Of("f(αx + βy)", combined, "αf(x) + βf(y)", fx + fy, trial.DType, scale));
    }
}

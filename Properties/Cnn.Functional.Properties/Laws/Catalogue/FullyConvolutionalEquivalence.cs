using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using FsCheck;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// The fully convolutional conversion of a classifier's head computes the same function on the original input size:
/// the flatten disappears, the first dense layer becomes a convolution whose kernel covers the whole map it read (its
/// weight [U, C·H·W] reshaped to [U, C, H, W], which is what flattening in C, H, W order means), later dense layers
/// become 1×1 convolutions. The law converts the subject's graph with <see cref="FullyConvolutional.Convert"/>, copies
/// every weight by path (reshaping the dense ones), and compares the outputs, [N, U] against [N, U, 1, 1].
/// </summary>
public sealed class FullyConvolutionalEquivalence : Law
{
    public override string Name => "fully-convolutional-equivalence";

    public override string Statement => "fcn(x) = f(x) on the original input size, with the dense weights reshaped into the convolutions";

    public override string Source => "lecture, fully convolutional networks (Long, Shelhamer & Darrell 2015, Fig. 2: 'convolutionalization')";

    public override Applicability AppliesTo(Subject subject)
    {
        if (subject.Path is not null) return Applicability.No("it is a node, not a whole network");
        try
        {
            FullyConvolutional.Convert(subject.Graph);
            return Applicability.Yes;
        }
        catch (GraphException e)
        {
            return Applicability.No($"its head has no convolutional form: {e.Errors[0].Message}");
        }
    }

    public override Gen<Trial> Trials(Subject subject) => TrialGenerators.Cases();

    public override Outcome Run(Subject subject, Trial trial)
    {
        using var instance = subject.Create(trial.DType, trial.Seed);
        using var converted = GraphModule.Create(FullyConvolutional.Convert(subject.Graph));
        converted.to(trial.DType);
        converted.eval();
        var source = instance.Module.state_dict();
        using (no_grad())
            foreach (var (name, target) in converted.state_dict())
                target.copy_(source[name].reshape(target.shape));
        var x = trial.MakeInput(subject.InputShape);
        var original = instance.Forward(x);
        var fcn = converted.forward(x);
        return Outcome.Of(Difference.Of("fcn(x)", fcn.reshape(original.shape), "f(x)", original, trial.DType),
            $"fcn output [{string.Join(", ", fcn.shape)}]");
    }
}

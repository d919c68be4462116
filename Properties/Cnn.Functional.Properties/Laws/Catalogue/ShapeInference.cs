using FsCheck;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// Shape inference agrees with the lowered module: running the subject on a batch gives exactly the inferred shape
/// (for a whole graph: at every node). It applies to every layer and graph — it is what lets the library promise shape
/// errors before any tensor exists.
/// </summary>
public sealed class ShapeInference : Law
{
    public override string Name => "shape-inference";

    public override string Statement => "shape(f(x)) = [N, *inferred output shape]";

    public override string Source => "lecture, the output-size formulas O = (W − F + 2P)/S + 1 and W = (O − 1)·S + F − 2P";

    public override Applicability AppliesTo(Subject subject) => Applicability.Yes;

    public override Gen<Trial> Trials(Subject subject) => TrialGenerators.Cases();

    public override Outcome Run(Subject subject, Trial trial)
    {
        using var instance = subject.Create(trial.DType, trial.Seed);
        var inputs = subject.InputShapes.Select((shape, i) =>
            (i == 0 ? trial.Input : new InputTensor(trial.Input.Draw, trial.Input.Seed + i)).Make(trial.Dims(shape), trial.DType)).ToArray();
        var expected = subject.Path is null
            ? subject.Inferred.Nodes.ToDictionary(n => n.Path, n => trial.Dims(n.OutputShape))
            : new Dictionary<string, long[]> { [subject.Path] = trial.Dims(subject.OutputShape) };
        var actual = subject.Path is null
            ? instance.Outputs(inputs).ToDictionary(kv => kv.Key, kv => kv.Value.shape)
            : new Dictionary<string, long[]> { [subject.Path] = instance.Forward(inputs).shape };
        foreach (var (path, shape) in expected)
            if (!actual[path].SequenceEqual(shape))
                return Outcome.Fail($"{path}: inferred [{string.Join(", ", shape)}], the lowered module gives [{string.Join(", ", actual[path])}]");
        return Outcome.Pass($"{expected.Count} node(s) give their inferred shapes");
    }
}

using FsCheck;

namespace Cnn.Functional.Properties;

/// <summary>
/// Dropout in evaluation mode is the identity: the library's dropout is inverted (survivors are scaled by 1/(1 − p)
/// while training), so at test time nothing is dropped and nothing rescaled.
/// </summary>
public sealed class DropoutEvalIdentity : Law
{
    public override string Name => "dropout-eval-identity";

    public override string Statement => "dropout(x) = x in evaluation mode";

    public override string Source => "lecture, 'Regularization: Dropout' (Srivastava et al. 2014), with inverted dropout's scaling moved to training";

    public override Applicability AppliesTo(Subject subject) =>
        subject.Layer is Dropout ? Applicability.Yes : Applicability.No("it is not dropout");

    public override Gen<Trial> Trials(Subject subject) => TrialGenerators.Cases();

    public override Outcome Run(Subject subject, Trial trial)
    {
        using var instance = subject.Create(trial.DType, trial.Seed);
        instance.Training = false;
        var x = trial.MakeInput(subject.InputShape);
        return Outcome.Of(Difference.Of("dropout(x) in evaluation", instance.Forward(x), "x", x, trial.DType));
    }
}

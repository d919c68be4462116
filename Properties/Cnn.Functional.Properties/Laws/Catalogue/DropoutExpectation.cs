using System.Globalization;
using FsCheck;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// Dropout in training keeps each unit with probability 1 − p and scales it by 1/(1 − p), so its expectation is the
/// input. The lecture derives E[x'] = (1 − p)·E[x] for plain dropout and rescales at test time; inverted dropout moves
/// that rescaling into training. Over S = 400 samples of the same input the law checks that (1) every output is 0 or
/// x/(1 − p) exactly, (2) the fraction dropped is p within 7 binomial standard deviations, (3) each unit's mean is x
/// within 7 standard errors (σ = |x|·√(p/(1 − p))), and (4) spatial dropout drops each channel of an example on its own
/// (Tompson et al. 2015): the examples whose C channels are all dropped or all kept are a fraction p^C + (1 − p)^C, not
/// all of them. At 7σ a correct layer fails about once in 10⁸ units, while a missing or wrong rescaling misses (1) at once.
/// </summary>
public sealed class DropoutExpectation : Law
{
    /// <summary>Samples of each input.</summary>
    public const int Samples = 400;

    private const double Sigmas = 7;

    public override string Name => "dropout-expectation";

    public override string Statement => "in training, dropout(x) ∈ {0, x/(1 − p)}, a fraction p is dropped (channels independently, for spatial dropout), and E[dropout(x)] = x";

    public override string Source => "lecture, 'Regularization: Dropout' (E[x'] = p·E[x] with p the keep probability; Srivastava et al. 2014); Tompson et al. 2015 (spatial dropout)";

    protected override IReadOnlyList<Draw> Draws => [Draw.Gaussian];

    public override Applicability AppliesTo(Subject subject) => subject.Layer switch
    {
        Dropout { Rate: 0 } => Applicability.No("its rate is 0: it drops nothing"),
        Dropout => Applicability.Yes,
        _ => Applicability.No("it is not dropout"),
    };

    public override Gen<Trial> Trials(Subject subject) => TrialGenerators.Cases(1, 2, Draw.Gaussian);

    public override Outcome Run(Subject subject, Trial trial)
    {
        var dropout = (Dropout)subject.Layer!;
        var p = dropout.Rate;
        using var instance = subject.Create(trial.DType, trial.Seed);
        instance.Training = true;
        var x = trial.MakeInput(subject.InputShape);
        // S copies of the batch in one forward pass: [S·N, …].
        long[] repeats = [Samples, .. Enumerable.Repeat(1L, (int)x.dim() - 1)];
        var xs = x.repeat(repeats);
        TorchSharp.torch.manual_seed(trial.Seed);
        var y = instance.Forward(xs);
        var scaled = xs / (1 - p);

        // (1) Survivors are scaled by exactly 1/(1 − p); the others are 0.
        var kept = y.ne(0);
        var survivors = Outcome.Of(Difference.Of("dropout(x) where kept", y.masked_select(kept), "x/(1 − p)", scaled.masked_select(kept), trial.DType), "survivors");
        if (survivors.Verdict == Verdict.Violated) return survivors;

        // (2) The fraction dropped, per unit (an element, or a whole channel for spatial dropout).
        var units = dropout.Spatial && x.dim() > 2 ? y.flatten(2).abs().amax([2]).eq(0) : y.eq(0);
        var count = units.numel();
        var fraction = units.to_type(ScalarType.Float64).mean().item<double>();
        var bound = Sigmas * Math.Sqrt(p * (1 - p) / count) + 1.0 / count;
        if (Math.Abs(fraction - p) > bound)
            return new Outcome(Verdict.Violated, Math.Abs(fraction - p), bound,
                string.Format(CultureInfo.InvariantCulture, "dropped {0:P2} of {1} units, expected {2:P2} (within {3:G3})", fraction, count, p, bound));

        // (4) Spatial dropout: channels of one example are dropped independently, not the example as a whole.
        if (dropout.Spatial && x.dim() > 2 && x.shape[1] > 1)
        {
            var channels = x.shape[1];
            var agree = units.all(1).logical_or(units.logical_not().all(1)).to_type(ScalarType.Float64);
            var expected = Math.Pow(p, channels) + Math.Pow(1 - p, channels);
            var observed = agree.mean().item<double>();
            var rows = agree.numel();
            var within = Sigmas * Math.Sqrt(expected * (1 - expected) / rows) + 1.0 / rows;
            if (Math.Abs(observed - expected) > within)
                return new Outcome(Verdict.Violated, Math.Abs(observed - expected), within, string.Format(CultureInfo.InvariantCulture,
                    "{0:P2} of {1} examples had all {2} channels dropped or all kept; independent channels give {3:P2} (within {4:G3})", observed, rows, channels, expected, within));
        }

        // (3) The mean of the samples is x, within 7 standard errors (plus round-off).
        var mean = y.to_type(ScalarType.Float64).reshape([Samples, .. x.shape]).mean([0]);
        var input = x.to_type(ScalarType.Float64);
        var allowed = input.abs() * (Sigmas * Math.Sqrt(p / (1 - p) / Samples)) + Tolerance.For(trial.DType, input.abs().max().item<double>() / (1 - p));
        var excess = ((mean - input).abs() - allowed).flatten();
        var at = excess.argmax().item<long>();
        var difference = (mean - input).abs().flatten()[at].item<double>();
        var limit = allowed.flatten()[at].item<double>();
        var detail = string.Format(CultureInfo.InvariantCulture, "mean of {0} samples at {1}: {2:G6}, x = {3:G6}", Samples,
            Difference.Index(at, x.shape), mean.flatten()[at].item<double>(), input.flatten()[at].item<double>());
        return new Outcome(difference <= limit ? Verdict.Holds : Verdict.Violated, difference, limit, detail);
    }
}

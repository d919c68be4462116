namespace Cnn.Functional.Torch;

/// <summary>The per-epoch value a plateau schedule or early stopping watches; lower is better for each.</summary>
public enum Metric
{
    ValidationLoss,

    /// <summary>1 − validation accuracy: AlexNet's "validation error rate".</summary>
    ValidationError,

    /// <summary>The mean training loss of the epoch (needs no validation set).</summary>
    TrainingLoss,
}

/// <summary>
/// A schedule's state between epochs: the initial and current learning rates and, for plateau detection, the best
/// watched value so far and the epochs since it last improved. A plain value, so checkpoints store it exactly.
/// </summary>
public sealed record ScheduleState(double InitialLearningRate, double LearningRate, double Best, int Wait)
{
    public static ScheduleState Start(double learningRate) => new(learningRate, learningRate, double.PositiveInfinity, 0);
}

/// <summary>How the learning rate changes between epochs: <see cref="Next"/> maps the state after an epoch to the next one.</summary>
public abstract record LearningRateSchedule
{
    /// <summary>The state for the epoch after <paramref name="epoch"/> (whose summary holds the watched values).</summary>
    public abstract ScheduleState Next(ScheduleState state, EpochSummary epoch);

    /// <summary>The metric the schedule reads, if any (the trainer checks a validation set exists for it).</summary>
    public virtual IReadOnlyList<Metric> Reads => [];
}

/// <summary>A fixed learning rate.</summary>
public sealed record ConstantRate : LearningRateSchedule
{
    public override ScheduleState Next(ScheduleState state, EpochSummary epoch) => state;
}

/// <summary>
/// Step decay: ε after e completed epochs is ε₀·γ^⌊e/<paramref name="Every"/>⌋. GoogLeNet's "4% decrease every 8
/// epochs" (lecture) is <c>StepDecay(8, 0.96)</c>.
/// </summary>
public sealed record StepDecay(int Every, double Factor = 0.1) : LearningRateSchedule
{
    public override ScheduleState Next(ScheduleState state, EpochSummary epoch) =>
        state with { LearningRate = state.InitialLearningRate * Math.Pow(Factor, epoch.Epoch / Every) };
}

/// <summary>
/// Divide on plateau: AlexNet's "learning rate … manually divided by 10 when the validation error rate stopped
/// improving" (lecture, "AlexNet (2012) Training"), automated. After <paramref name="Patience"/> consecutive epochs
/// whose <paramref name="Metric"/> is not below the best so far by more than <paramref name="MinDelta"/>, ε is
/// multiplied by <paramref name="Factor"/> (not below <paramref name="MinLearningRate"/>) and the count restarts
/// (Keras' ReduceLROnPlateau semantics; patience 1 acts at the first epoch without improvement).
/// </summary>
public sealed record DivideOnPlateau(double Factor = 0.1, int Patience = 1, double MinDelta = 0, Metric Metric = Metric.ValidationError,
    double MinLearningRate = 0) : LearningRateSchedule
{
    public override IReadOnlyList<Metric> Reads => [Metric];

    public override ScheduleState Next(ScheduleState state, EpochSummary epoch)
    {
        var value = epoch.Value(Metric);
        if (value < state.Best - MinDelta) return state with { Best = value, Wait = 0 };
        var wait = state.Wait + 1;
        if (wait < Patience) return state with { Wait = wait };
        return state with { LearningRate = Math.Max(state.LearningRate * Factor, MinLearningRate), Wait = 0 };
    }
}

/// <summary>
/// Early stopping with patience: training stops once <paramref name="Metric"/> has not improved on its best by more
/// than <paramref name="MinDelta"/> for <paramref name="Patience"/> consecutive epochs. The weights are those of the
/// last epoch trained; <see cref="TrainingResult.BestEpoch"/> says which epoch was best.
/// </summary>
public sealed record EarlyStopping(int Patience, double MinDelta = 0, Metric Metric = Metric.ValidationLoss)
{
    /// <summary>The state after <paramref name="epoch"/>.</summary>
    public StoppingState Next(StoppingState state, EpochSummary epoch)
    {
        var value = epoch.Value(Metric);
        if (value < state.Best - MinDelta) return new StoppingState(value, epoch.Epoch, 0, false);
        var wait = state.Wait + 1;
        return state with { Wait = wait, Stop = wait >= Patience };
    }
}

/// <summary>Early stopping's state: the best value and its epoch, the epochs since, and whether to stop now.</summary>
public sealed record StoppingState(double Best, int BestEpoch, int Wait, bool Stop)
{
    public static StoppingState Start { get; } = new(double.PositiveInfinity, 0, 0, false);
}

/// <summary>Factories with named optional arguments.</summary>
public static class Schedules
{
    public static LearningRateSchedule Constant() => new ConstantRate();

    public static LearningRateSchedule StepDecay(int every, double factor = 0.1) => new StepDecay(every, factor);

    public static LearningRateSchedule DivideOnPlateau(double factor = 0.1, int patience = 1, double minDelta = 0,
        Metric metric = Metric.ValidationError, double minLearningRate = 0) =>
        new DivideOnPlateau(factor, patience, minDelta, metric, minLearningRate);
}

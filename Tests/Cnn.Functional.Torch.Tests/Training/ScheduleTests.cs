using Cnn.Functional.Torch;

namespace Cnn.Functional.Tests.Training;

[Collection("Training")]
public class ScheduleTests
{
    private static EpochSummary Epoch(int epoch, double validationError = 0.5, double validationLoss = 1) =>
        new(epoch, 0.1, new Metrics(1, 0.5), new Metrics(validationLoss, 1 - validationError), 1, 100);

    private static double[] Rates(LearningRateSchedule schedule, params double[] validationErrors)
    {
        var state = ScheduleState.Start(0.1);
        return validationErrors.Select((error, i) => (state = schedule.Next(state, Epoch(i + 1, error))).LearningRate).ToArray();
    }

    [Fact]
    public void Step_decay_multiplies_by_the_factor_every_k_epochs()
    {
        var rates = Rates(new StepDecay(2, 0.1), 0, 0, 0, 0, 0);
        Assert.Equal(new[] { 0.1, 0.01, 0.01, 0.001, 0.001 }, rates.Select(r => Math.Round(r, 12)));
        // GoogLeNet's 4% every 8 epochs.
        Assert.Equal(0.1 * 0.96, Rates(Schedules.StepDecay(8, 0.96), new double[8])[7], 12);
    }

    [Fact]
    public void Divide_on_plateau_divides_by_ten_after_patience_epochs_without_improvement()
    {
        // Errors .5 .4 (better) .4 (wait 1) .41 (wait 2: divide) .3 (better) .3 .3 (divide) .2
        var rates = Rates(new DivideOnPlateau(Patience: 2), 0.5, 0.4, 0.4, 0.41, 0.3, 0.3, 0.3, 0.2);
        Assert.Equal(new[] { 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001 }, rates.Select(r => Math.Round(r, 12)));
        // AlexNet's reading, patience 1: divide as soon as the error stops improving; an improvement smaller than
        // MinDelta does not count.
        Assert.Equal(new[] { 0.1, 0.01, 0.001 }, Rates(new DivideOnPlateau(MinDelta: 0.05), 0.5, 0.5, 0.48).Select(r => Math.Round(r, 12)));
        Assert.Equal(new[] { 0.1, 0.05, 0.05 }, Rates(new DivideOnPlateau(MinLearningRate: 0.05), 0.5, 0.6, 0.7));
    }

    [Fact]
    public void Early_stopping_stops_after_patience_epochs_without_improvement()
    {
        var rule = new EarlyStopping(Patience: 2);
        var state = StoppingState.Start;
        var losses = new[] { 1.0, 0.8, 0.9, 0.7, 0.75, 0.71, 0.6 };
        var stoppedAt = 0;
        for (var i = 0; i < losses.Length && stoppedAt == 0; i++)
        {
            state = rule.Next(state, Epoch(i + 1, validationLoss: losses[i]));
            if (state.Stop) stoppedAt = i + 1;
        }
        Assert.Equal(6, stoppedAt);
        Assert.Equal(new StoppingState(0.7, 4, 2, true), state);
    }

    [Fact]
    public void The_trainer_applies_the_schedule_between_epochs()
    {
        using var data = Synthetic.Quadrants(128, seed: 1);
        using var module = Synthetic.Module(Synthetic.SmallNet(), 1);
        using var trainer = new Trainer(module, new TrainingOptions { Epochs = 3, BatchSize = 32, LearningRate = 1e-3, Schedule = Schedules.StepDecay(1, 0.5) });
        var recorder = new Synthetic.Recorder();
        var result = trainer.Fit(data, progress: recorder);
        Assert.Equal(new[] { 1e-3, 5e-4, 2.5e-4 }, result.History.Select(e => e.LearningRate));
        Assert.Equal(new[] { 1e-3, 5e-4, 2.5e-4 }, recorder.Events.OfType<BatchEnded>().Where(b => b.Batch == 1).Select(b => b.LearningRate));
        Assert.Equal(1.25e-4, trainer.Optimizer.LearningRate);
    }

    [Fact]
    public void Early_stopping_ends_a_run_whose_validation_loss_rises_and_the_plateau_rule_divides_on_the_way()
    {
        // Validation labels are noise: as the net learns the quadrants, its confident answers make the validation
        // loss rise, so it stops improving within a few epochs.
        using var train = Synthetic.Quadrants(512, seed: 2);
        using var validation = Synthetic.Quadrants(128, seed: 3, randomLabels: true);
        using var module = Synthetic.Module(Synthetic.SmallNet(), 2);
        var options = new TrainingOptions
        {
            Epochs = 20, BatchSize = 32, LearningRate = 3e-3,
            Schedule = Schedules.DivideOnPlateau(metric: Metric.ValidationLoss),
            EarlyStopping = new EarlyStopping(Patience: 2),
        };
        using var trainer = new Trainer(module, options);
        var result = trainer.Fit(train, validation);
        Assert.Equal(StopReason.EarlyStopped, result.Reason);
        Assert.True(result.Epochs < 20);
        Assert.Equal(result.Epochs - 2, result.BestEpoch);
        Assert.Equal(result.History.MinBy(e => e.Validation!.Loss)!.Epoch, result.BestEpoch);
        Assert.StartsWith($"stopped after epoch {result.Epochs}: ValidationLoss has not improved for 2 epochs", result.Message);
        // The rates the trainer used are the schedule replayed over its own history.
        var state = ScheduleState.Start(3e-3);
        foreach (var epoch in result.History)
        {
            Assert.Equal(state.LearningRate, epoch.LearningRate);
            state = options.Schedule.Next(state, epoch);
        }
        Assert.Contains(result.History, e => e.LearningRate < 3e-3);
    }

    [Fact]
    public void Out_of_range_settings_are_named()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { Schedule = new StepDecay(0) }.Check());
        Assert.StartsWith("StepDecay.Every must be at least 1 epoch; got 0", error.Message);
        Assert.StartsWith("BatchSize must be at least 1; got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { BatchSize = 0 }.Check()).Message);
    }
}

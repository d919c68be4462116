using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Trains a lowered graph on a <see cref="Dataset"/>: shuffled mini-batches, one dispose scope per step, the loss
/// chosen by the output node (<see cref="ModelOutput"/>), a written-out optimiser, a schedule between epochs, early
/// stopping, progress events, and atomic checkpoints from which a run resumes to the same weights as an
/// uninterrupted one. The trainer owns its optimiser and shuffling generator; the caller owns module and data.
/// </summary>
/// <example><code>
/// using var module = GraphModule.Create(LeNet.LeNet5());
/// using var trainer = new Trainer(module, new TrainingOptions { Epochs = 3 });
/// var result = trainer.Fit(train, progress: new Progress&lt;TrainingEvent&gt;(Console.WriteLine));
/// var test = trainer.Evaluate(testSet);
/// </code></example>
public sealed class Trainer : IDisposable
{
    private readonly GraphModule module;
    private readonly Device device;
    private readonly Optimizer optimizer;
    private readonly Generator shuffle;
    private readonly Generator augment = new();
    private List<EpochSummary> history = [];
    private ScheduleState schedule;
    private StoppingState stopping = StoppingState.Start;
    private bool earlyStopped, seeded;

    /// <summary>Prepares <paramref name="module"/> for training: moves it to the device, applies freezing, creates the optimiser.</summary>
    /// <exception cref="ArgumentException">An option is out of range, the device is unavailable, or nothing is trainable.</exception>
    /// <exception cref="GraphException">The graph's output is not one score per class.</exception>
    public Trainer(GraphModule module, TrainingOptions? options = null)
    {
        Options = options ?? new TrainingOptions();
        Options.Check();
        this.module = module;
        Output = ModelOutput.Of(module.Graph);
        device = ParseDevice(Options.Device);
        module.to(device);
        Freezing.Apply(module);
        optimizer = Options.Optimizer.Create(module, Options.LearningRate);
        try
        {
            LearningRateScale.Apply(Options.LearningRateScales, module, optimizer);
        }
        catch
        {
            optimizer.Dispose();
            throw;
        }
        shuffle = new Generator(unchecked((ulong)Options.Seed));
        schedule = ScheduleState.Start(Options.LearningRate);
    }

    public TrainingOptions Options { get; }

    public GraphModule Module => module;

    public Optimizer Optimizer => optimizer;

    /// <summary>How the output becomes scores and a loss.</summary>
    public ModelOutput Output { get; }

    /// <summary>The number of epochs completed (including those before a loaded checkpoint).</summary>
    public int Epoch => history.Count;

    public IReadOnlyList<EpochSummary> History => history;

    /// <summary>
    /// Trains until <see cref="TrainingOptions.Epochs"/> epochs have completed in total, early stopping fires, a loss
    /// diverges, or <paramref name="cancellation"/> fires; reports events to <paramref name="progress"/> as it goes
    /// (synchronously, on this thread). Validates on <paramref name="validation"/>, or on a seeded held-out part of
    /// <paramref name="train"/> when <see cref="TrainingOptions.ValidationFraction"/> &gt; 0. Leaves the module in
    /// evaluation mode.
    /// </summary>
    /// <exception cref="GraphException">The data's example shape is not the graph's input, or it has more classes than the output.</exception>
    /// <exception cref="ArgumentException">A dataset is empty or badly typed, a label is out of range, or the schedule or early
    /// stopping watches a validation metric and there is no validation set.</exception>
    public TrainingResult Fit(Dataset train, Dataset? validation = null, IProgress<TrainingEvent>? progress = null, CancellationToken cancellation = default)
    {
        Evaluator.Check(train, module, Output, "training");
        if (validation is not null) Evaluator.Check(validation, module, Output, "validation");
        var (trainSet, validationSet) = validation is null && Options.ValidationFraction > 0
            ? Examples.Split(train, Options.ValidationFraction, Options.Seed)
            : (Examples.All(train), validation is null ? null : Examples.All(validation));
        using var owned = trainSet;
        using var ownedValidation = validationSet;
        var needsValidation = Options.Watched.Where(m => m != Metric.TrainingLoss).ToList();
        if (validationSet is null && needsValidation.Count > 0)
            throw new ArgumentException(
                $"the schedule or early stopping watches {needsValidation[0]}, which needs a validation set: pass one to Fit or set ValidationFraction", nameof(validation));
        if (!seeded)
        {
            manual_seed(Options.Seed);
            shuffle.manual_seed(Options.Seed);
            seeded = true;
        }
        try
        {
            while (Epoch < Options.Epochs && !earlyStopped)
            {
                var stop = RunEpoch(trainSet, validationSet, progress, cancellation);
                if (stop is not null) return Finish(stop.Reason, stop.Message, progress);
            }
            // The stop may come from a loaded checkpoint, when this run has no early stopping of its own.
            var watched = Options.EarlyStopping?.Metric.ToString() ?? "the watched metric";
            return earlyStopped
                ? Finish(StopReason.EarlyStopped, $"stopped after epoch {Epoch}: {watched} has not improved for {stopping.Wait} epochs (best {stopping.Best:G4} at epoch {stopping.BestEpoch})", progress)
                : Finish(StopReason.Completed, $"trained {Epoch} epochs", progress);
        }
        finally
        {
            module.eval();
        }
    }

    private static Tensor CustomLoss(Func<Tensor, Tensor, Tensor> loss, Tensor scores, Tensor labels)
    {
        var value = loss(scores, labels);
        if (value is null || value.dtype != ScalarType.Float32 || value.numel() != 1)
            throw new ArgumentException(
                $"TrainingOptions.Loss must return a float32 scalar; it returned {(value is null ? "null" : $"{value.dtype} [{string.Join(", ", value.shape)}]")}", nameof(TrainingOptions.Loss));
        return value;
    }

    private TrainingStopped? RunEpoch(Examples trainSet, Examples? validationSet, IProgress<TrainingEvent>? progress, CancellationToken cancellation)
    {
        var number = Epoch + 1;
        using var lastGood = Snapshot.Of(module);
        Freezing.Train(module);
        var learningRate = optimizer.LearningRate = schedule.LearningRate;
        using var order = trainSet.Shuffle(shuffle);
        // Seeded per epoch from the run's seed alone, so a resumed run augments exactly as an uninterrupted one.
        augment.manual_seed(unchecked(Options.Seed * -7046029254386353131L + number));
        var augmentation = Options.Augmentation is { IsIdentity: false } policy ? policy : null;
        var batches = trainSet.Batches(Options.BatchSize);
        var (lossSum, correct, seen) = (0.0, 0L, 0L);
        var clock = Stopwatch.StartNew();
        for (var b = 0; b < batches; b++)
        {
            if (cancellation.IsCancellationRequested)
                return new TrainingStopped(StopReason.Cancelled, $"cancelled in epoch {number} after {b} of {batches} steps");
            using var scope = NewDisposeScope();
            var batch = trainSet.Get(b, Options.BatchSize, order, device);
            optimizer.ZeroGrad();
            var images = augmentation?.Apply(batch.Images, augment) ?? batch.Images;
            if (Options.Adversarial is { } adversarial) images = adversarial.Apply(module, Output, images, batch.Labels, Options.Loss);
            var scored = Output.Score(module, images, batch.Labels);
            var lossTensor = Options.Loss is { } custom ? CustomLoss(custom, scored.Scores, batch.Labels) : scored.Loss;
            var loss = Scalars.Read<float>(lossTensor);
            if (!float.IsFinite(loss))
            {
                // Checked before backward, so the bad gradient is never applied; the epoch's earlier steps are undone.
                lastGood.Restore(module);
                return new TrainingStopped(StopReason.Diverged,
                    $"the loss became {loss} in epoch {number}, step {b + 1}: training diverged (try a smaller learning rate); the weights are those after epoch {Epoch}");
            }
            lossTensor.backward();
            optimizer.Step();
            lossSum += loss * (double)batch.Size;
            correct += Scalars.Read<long>(scored.Scores.argmax(1).eq(batch.Labels).sum());
            seen += batch.Size;
            if (progress is not null && Options.BatchEventInterval > 0 && ((b + 1) % Options.BatchEventInterval == 0 || b == batches - 1))
                progress.Report(new BatchEnded(number, b + 1, batches, lossSum / seen, (double)correct / seen, seen / clock.Elapsed.TotalSeconds, learningRate));
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var validationMetrics = validationSet is null ? null : Evaluator.Run(module, Output, validationSet, Options.EvaluationBatchSize, device).Metrics;
        var summary = new EpochSummary(number, learningRate, new Metrics(lossSum / seen, (double)correct / seen), validationMetrics, seconds, seen / seconds);
        history.Add(summary);
        schedule = Options.Schedule.Next(schedule, summary);
        optimizer.LearningRate = schedule.LearningRate;
        if (Options.EarlyStopping is { } early)
        {
            stopping = early.Next(stopping, summary);
            earlyStopped = stopping.Stop;
        }
        if (Options.CheckpointPath.Length > 0) SaveCheckpoint(Options.CheckpointPath);
        progress?.Report(new EpochEnded(summary, Options.Epochs));
        return null;
    }

    private TrainingResult Finish(StopReason reason, string message, IProgress<TrainingEvent>? progress)
    {
        progress?.Report(new TrainingStopped(reason, message));
        return new TrainingResult(reason, message, history.ToEquatableArray(), BestEpoch());
    }

    // The epoch with the lowest early-stopping metric, else validation loss, else training loss.
    private int BestEpoch()
    {
        var metric = Options.EarlyStopping?.Metric ?? (history.Any(e => e.Validation is not null) ? Metric.ValidationLoss : Metric.TrainingLoss);
        var candidates = history.Where(e => metric == Metric.TrainingLoss || e.Validation is not null).ToList();
        return candidates.Count == 0 ? 0 : candidates.MinBy(e => e.Value(metric))!.Epoch;
    }

    /// <summary>Loss, accuracy and confusion matrix on <paramref name="data"/>, in evaluation mode.</summary>
    /// <exception cref="GraphException">The data does not fit the graph (see <see cref="Fit"/>).</exception>
    /// <exception cref="ArgumentException">The data is empty, badly typed or has labels out of range.</exception>
    public Evaluation Evaluate(Dataset data)
    {
        Evaluator.Check(data, module, Output, "evaluation");
        using var examples = Examples.All(data);
        return Evaluator.Run(module, Output, examples, Options.EvaluationBatchSize, device);
    }

    /// <summary>
    /// Writes a checkpoint to <paramref name="path"/> atomically: a failure at any point leaves the previous file intact.
    /// Resuming reproduces an uninterrupted run from checkpoints taken between epochs (those Fit writes with
    /// <see cref="TrainingOptions.CheckpointPath"/>, or any taken after Fit returned Completed or EarlyStopped); one
    /// taken after a cancelled Fit holds the weights of the cancelled epoch's last step and trains that epoch again.
    /// </summary>
    /// <exception cref="CheckpointException">The file cannot be written; the message says why.</exception>
    public void SaveCheckpoint(string path)
    {
        try
        {
            AtomicFile.Write(path, SaveCheckpoint);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"cannot write checkpoint '{path}' (any previous checkpoint there is unchanged): {e.Message}", e);
        }
    }

    /// <summary>Writes a checkpoint to <paramref name="stream"/> (not atomically: prefer the path overload for files).</summary>
    public void SaveCheckpoint(Stream stream)
    {
        using var scope = NewDisposeScope();
        var document = new Checkpoint.Document(Checkpoint.Format, Checkpoint.Version, module.Graph.Graph.Name, Epoch, optimizer.Kind, Options.Seed,
            schedule, stopping, earlyStopped, history.ToArray());
        Checkpoint.Write(stream, module, optimizer, document, get_rng_state(), shuffle.get_state());
    }

    /// <summary>
    /// Restores weights, buffers, optimiser state, schedule, early-stopping state, history and both generators from
    /// <paramref name="path"/>; the next <see cref="Fit"/> continues with the epoch after the checkpoint's.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing or damaged, or was written for another graph, optimiser or seed;
    /// nothing is changed then.</exception>
    public void LoadCheckpoint(string path)
    {
        using var loaded = Checkpoint.Load(path, module, optimizer);
        var document = loaded.Document;
        if (document.Seed != Options.Seed)
            throw new CheckpointException($"checkpoint '{path}' was trained with seed {document.Seed}; resume it with TrainingOptions.Seed = {document.Seed} (this run has {Options.Seed})");
        try
        {
            optimizer.LoadState(loaded.OptimizerState);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"checkpoint '{path}' has optimiser state that does not fit this module: {e.Message}", e);
        }
        Snapshot.Copy(loaded.Weights, module);
        set_rng_state(loaded.Rng["global"]);
        shuffle.set_state(loaded.Rng["shuffle"]);
        history = [.. document.History];
        schedule = document.Schedule;
        stopping = document.Stopping;
        earlyStopped = document.EarlyStopped;
        optimizer.LearningRate = schedule.LearningRate;
        // A checkpoint taken before any training resumes like a fresh run, seeding as one.
        seeded = document.Epoch > 0;
    }

    private static Device ParseDevice(string name)
    {
        // Asked first: libtorch's own error for a CUDA device in a CPU build does not say that this is the reason.
        if (name.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !cuda.is_available())
            throw new ArgumentException($"device '{name}' is not available: this TorchSharp build runs on the CPU only; use \"cpu\"", nameof(name));
        try
        {
            return torch.device(name);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            throw new ArgumentException($"'{name}' is not a device name; use \"cpu\" or \"cuda:0\"", nameof(name), e);
        }
    }

    public void Dispose()
    {
        optimizer.Dispose();
        shuffle.Dispose();
        augment.Dispose();
    }
}

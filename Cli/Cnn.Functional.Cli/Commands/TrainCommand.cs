using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cnn.Functional.Torch;

namespace Cnn.Functional.Cli;

/// <summary>
/// <c>cnnf train</c>: trains a zoo model or a saved graph on Fashion-MNIST (or any folder of IDX files) with
/// Adam, printing one line per epoch and the final test accuracy; <c>--json</c> prints one final object with
/// testAccuracy, epochs, trainSeconds and samplesPerSecond.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = ModelSource.Help, DefaultValueFactory = _ => "lenet5" };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training set.", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch-size") { Description = "Examples per step.", DefaultValueFactory = _ => 64 };
        var rate = new Option<double>("--lr") { Description = "Adam's step size ε.", DefaultValueFactory = _ => 1e-3 };
        var seed = new Option<long>("--seed") { Description = "Seed for initialisation and shuffling (a CPU run is reproducible).", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = "A folder of IDX files (default: Debian's Fashion-MNIST)." };
        var limit = new Option<int>("--limit") { Description = "Use only the first N training and test examples (quick runs).", DefaultValueFactory = _ => int.MaxValue };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Write a checkpoint here after every epoch (atomically)." };
        var json = CliOutput.JsonOption();
        var command = new Command("train", "Train a model on Fashion-MNIST (or --data FOLDER) and report the test accuracy.")
        {
            model, epochs, batch, rate, seed, data, limit, checkpoint, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var output = parse.InvocationConfiguration.Output;
            try
            {
                var graph = ModelSource.Load(parse.GetValue(model)!);
                using var sets = FashionMnist.Load(parse.GetValue(data), parse.GetValue(limit));
                var options = new TrainingOptions
                {
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batch),
                    LearningRate = parse.GetValue(rate),
                    Seed = parse.GetValue(seed),
                    CheckpointPath = parse.GetValue(checkpoint) ?? "",
                    BatchEventInterval = int.MaxValue,
                };
                TorchSharp.torch.manual_seed(options.Seed);
                using var module = GraphModule.Create(graph);
                using var trainer = new Trainer(module, options);
                var progress = asJson ? null : new SynchronousProgress(e =>
                {
                    if (e is EpochEnded { Summary: var s } end)
                        output.WriteLine(Invariant($"epoch {s.Epoch}/{end.Epochs}  loss {s.Training.Loss:0.0000}  accuracy {s.Training.Accuracy:P2}  {s.SamplesPerSecond:0} samples/s  {s.Seconds:0.0} s"));
                });
                if (!asJson) output.WriteLine($"training {graph.Name} on {sets.Train.Name}: {sets.Train.Count} examples, {options.Epochs} epochs");
                var result = trainer.Fit(sets.Train, progress: progress);
                var test = trainer.Evaluate(sets.Test);
                output.WriteLine(asJson ? Json(graph.Name, result, test) : Invariant($"test accuracy {test.Accuracy:P2} on {test.Count} examples ({result.TrainSeconds:0.0} s training)"));
                return 0;
            }
            catch (Exception e) when (e is GraphException or DataException or CheckpointException or ArgumentException)
            {
                return CliOutput.Fail(parse, asJson, e);
            }
        });
        return command;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Json(string model, TrainingResult result, Evaluation test) => CliOutput.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteNumber("epochs", result.Epochs);
            w.WriteNumber("testAccuracy", test.Accuracy);
            w.WriteNumber("testLoss", test.Loss);
            w.WriteNumber("testExamples", test.Count);
            w.WriteNumber("trainSeconds", result.TrainSeconds);
            w.WriteNumber("samplesPerSecond", result.SamplesPerSecond);
            w.WriteString("stopReason", result.Reason.ToString());
            w.WriteStartArray("history");
            foreach (var e in result.History)
            {
                w.WriteStartObject();
                w.WriteNumber("epoch", e.Epoch);
                w.WriteNumber("loss", e.Training.Loss);
                w.WriteNumber("accuracy", e.Training.Accuracy);
                w.WriteNumber("seconds", e.Seconds);
                w.WriteNumber("samplesPerSecond", e.SamplesPerSecond);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

    /// <summary>Reports on the training thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<TrainingEvent> report) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value) => report(value);
    }
}

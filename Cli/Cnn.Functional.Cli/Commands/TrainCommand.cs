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
        var resume = new Option<string?>("--resume") { Description = "Continue the run saved in this checkpoint (same model and seed) up to --epochs." };
        var optimizer = new Option<string>("--optimizer") { Description = "adam (Algorithm 8.7) or sgd (momentum 0.9, weight decay 5e-4: AlexNet's recipe).", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("adam", "sgd");
        var augment = new Option<string>("--augment") { Description = "Augment training batches: crop=PIXELS, translate=PIXELS, flip, or none, comma-separated (e.g. crop=2,flip).", DefaultValueFactory = _ => "none" };
        var weights = new Option<string?>("--weights") { Description = "Transfer learning: start from the weights in this checkpoint, matched by node path (others keep their initialisation)." };
        var freeze = new Option<string[]>("--freeze") { Description = "Freeze the nodes at or under this path (repeatable): no gradient, no optimiser state.", AllowMultipleArgumentsPerToken = false };
        var scale = new Option<string[]>("--lr-scale") { Description = "PATH=FACTOR: the nodes under PATH learn at FACTOR × --lr (repeatable; fine-tuning)." };
        var init = new Option<string?>("--init") { Description = "Initialisation plan: a scheme (standard, xavier-uniform, xavier-normal, he-normal, he-uniform, delta-orthogonal, dirac, conv-kmeans) and PATH=SCHEME overrides, separated by ';' (e.g. \"he-normal; conv1=conv-kmeans\")." };
        var bar = new Option<bool>("--progress") { Description = "Draw a live progress bar even when the output is not a terminal (it is drawn on a terminal anyway)." };
        var report = new Option<string?>("--report") { Description = "At the end, write an HTML report of the model here (see 'cnnf report'); the test set is then also evaluated after each epoch for its validation curve." };
        var json = CliOutput.JsonOption();
        var command = new Command("train", "Train a model on Fashion-MNIST (or --data FOLDER) and report the test accuracy.")
        {
            model, epochs, batch, rate, seed, data, limit, checkpoint, resume, optimizer, augment, weights, freeze, scale, init, bar, report, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var output = parse.InvocationConfiguration.Output;
            try
            {
                var graph = ModelSource.Load(parse.GetValue(model)!);
                foreach (var prefix in parse.GetValue(freeze) ?? []) graph = graph.Freeze(prefix);
                using var sets = FashionMnist.Load(parse.GetValue(data), parse.GetValue(limit));
                var options = new TrainingOptions
                {
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batch),
                    LearningRate = parse.GetValue(rate),
                    Seed = parse.GetValue(seed),
                    CheckpointPath = parse.GetValue(checkpoint) ?? "",
                    BatchEventInterval = ProgressBar.Interval,
                    Optimizer = parse.GetValue(optimizer) == "sgd" ? Optimizers.Sgd() : Optimizers.Adam(),
                    Augmentation = AugmentationPolicy.Parse(parse.GetValue(augment)!),
                    LearningRateScales = (parse.GetValue(scale) ?? []).Select(ParseScale).ToEquatableArray(),
                };
                TorchSharp.torch.manual_seed(options.Seed);
                using var module = GraphModule.Create(graph);
                if (parse.GetValue(init) is { } planText)
                {
                    var plan = InitializationPlan.Parse(planText);
                    // Conv k-means learns filters from patches of real training images (Dundar et al.); a thousand images is plenty.
                    using var samples = sets.Train.Images.narrow(0, 0, Math.Min(1_000, sets.Train.Count));
                    var applied = Initialization.Apply(module, plan, options.Seed, samples);
                    if (!asJson) output.WriteLine($"initialised {applied.Count} layers with {plan}");
                }
                if (parse.GetValue(weights) is { } from)
                {
                    var report = Transfer.LoadWeights(module, from);
                    if (report.Loaded.Count == 0)
                        throw new CheckpointException($"checkpoint '{from}' has no weight that fits graph '{graph.Name}' by path and shape: {report}");
                    if (!asJson) output.WriteLine($"weights from {from}: {report}");
                }
                using var trainer = new Trainer(module, options);
                if (parse.GetValue(resume) is { } saved) trainer.LoadCheckpoint(saved);
                var live = parse.GetValue(bar) || (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
                var progress = asJson ? null : new ProgressBar(output, live);
                if (!asJson) output.WriteLine($"training {graph.Name} on {sets.Train.Name}: {sets.Train.Count} examples, {options.Epochs} epochs");
                var reportPath = parse.GetValue(report);
                var result = trainer.Fit(sets.Train, validation: reportPath is null ? null : sets.Test, progress: progress);
                var test = trainer.Evaluate(sets.Test);
                var written = reportPath is null ? null : ReportCommand.Build(module, sets.Test, result.History.Items, new Charts.ReportOptions(), reportPath, null);
                output.WriteLine(asJson ? Json(graph.Name, result, test, reportPath) : Invariant($"test accuracy {100 * test.Accuracy:0.00}% on {test.Count} examples ({result.TrainSeconds:0.0} s training)"));
                if (written is not null && !asJson) output.WriteLine(ReportCommand.Describe(written, reportPath!));
                return 0;
            }
            catch (Exception e) when (e is GraphException or DataException or CheckpointException or ArgumentException or FormatException or IOException)
            {
                return CliOutput.Fail(parse, asJson, e);
            }
        });
        return command;
    }

    // "features=0.1" → the nodes under features learn at a tenth of the rate.
    private static LearningRateScale ParseScale(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length == 2 && parts[0].Length > 0 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var factor))
            return new LearningRateScale(parts[0], factor);
        throw new FormatException($"--lr-scale '{text}' is not PATH=FACTOR (e.g. features=0.1)");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Json(string model, TrainingResult result, Evaluation test, string? report) => CliOutput.Json(w =>
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
            if (report is not null) w.WriteString("report", report);
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
}

using Cnn.Functional.Torch;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cnn.Functional.MLNet;

/// <summary>
/// A CNN as an ML.NET multiclass trainer: <c>Fit</c> reads the feature and key-label columns into tensors, trains the
/// graph with the training engine (<see cref="Trainer"/>) and returns a <see cref="CnnScoringTransformer"/> that adds
/// <c>Score</c> and <c>PredictedLabel</c> like the built-in trainers. Made by
/// <c>mlContext.MulticlassClassification.Trainers.Cnn(graph, …)</c>.
/// </summary>
/// <example><code>
/// var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
///     .Append(mlContext.MulticlassClassification.Trainers.Cnn(ModelZoo.Get("lenet5"), epochs: 3));
/// using var model = pipeline.Fit(train);
/// var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));
/// </code></example>
public sealed class CnnTrainer : IEstimator<CnnScoringTransformer>
{
    private readonly ModelOutput output;

    /// <exception cref="GraphException">The graph has errors, more than one input, or an output that is not one score per class.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    internal CnnTrainer(Graph graph, CnnTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        options.Check();
        var inferred = graph.Infer();
        output = ModelOutput.Of(inferred);
        var inputs = inferred.Nodes.Where(n => n.Node.Layer is Input).ToList();
        if (inputs.Count != 1)
            throw new GraphException(new GraphError(graph.Name, "graph", $"an ML.NET feature column feeds one input; graph '{graph.Name}' has {inputs.Count}", "give the graph a single Input node"));
        Graph = graph;
        InputShape = inputs[0].OutputShape;
        Options = options;
    }

    public Graph Graph { get; }

    public CnnTrainerOptions Options { get; }

    /// <summary>The shape of one example the feature column must hold.</summary>
    public Shape InputShape { get; }

    /// <summary>
    /// Trains a fresh copy of the graph, initialised from <see cref="TrainingOptions.Seed"/> (libtorch's global generator is
    /// seeded with it, as the training engine does), or one started from <see cref="CnnTrainerOptions.InitialWeights"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature or label column is missing or does not fit the graph (parameter "inputSchema").</exception>
    /// <exception cref="ArgumentException">The data is empty or has a missing label.</exception>
    /// <exception cref="InvalidOperationException">Training diverged.</exception>
    public CnnScoringTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var feature = FeatureColumn.Find(input.Schema, Options.FeatureColumnName, Graph, InputShape);
        var label = LabelColumn.Find(input.Schema, Options.LabelColumnName, Graph, output.OutputPath, output.Classes);
        var classes = ClassLabels.Of(label);
        using var data = TrainingData.Read(input, feature, label, InputShape, output.Classes, classes?.Names ?? []);
        // Initialised from the run's seed, as the training engine then shuffles from it: a fit is reproducible.
        TorchSharp.torch.manual_seed(Options.Training.Seed);
        var network = CnnNetwork.Create(Graph);
        try
        {
            var transfer = Options.InitialWeights is { } initial
                ? Transfer.LoadWeights(network.Module, initial.Module, Options.Transfer)
                : null;
            using var focal = Options.FocalLoss?.Create();
            var training = focal is null ? Options.Training : Options.Training with { Loss = focal.Compute };
            TrainingResult result;
            using (var trainer = new Trainer(network.Module, training))
                result = trainer.Fit(data, progress: Options.Progress);
            network.Module.eval();
            if (result.Reason == StopReason.Diverged)
                throw new InvalidOperationException($"training graph '{Graph.Name}' failed: {result.Message}");
            return new CnnScoringTransformer(new ScoreMapping(network, Options.FeatureColumnName, Options.ScoringBatchSize, classes), result, transfer);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The input's columns plus <c>Score</c> and <c>PredictedLabel</c>, after checking the feature and label columns.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature or label column is missing or of the wrong kind.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        FeatureColumn.Check(inputSchema, Options.FeatureColumnName, Graph, InputShape);
        LabelColumn.Check(inputSchema, Options.LabelColumnName, output.Classes);
        var label = inputSchema.First(c => c.Name == Options.LabelColumnName);
        var hasKeyValues = label.Annotations.Any(a => a.Name == AnnotationKinds.KeyValues);
        // Placeholder class labels of the annotation's type: a schema shape records annotation kinds, not values.
        var placeholder = hasKeyValues ? ClassLabels.Placeholder(label.Annotations.First(a => a.Name == AnnotationKinds.KeyValues).ItemType, output.Classes) : null;
        return SchemaShapes.Add(inputSchema,
            [ScoreMapping.ScoreColumn(output.Classes, placeholder), ScoreMapping.PredictedLabelColumn(output.Classes, placeholder)]);
    }
}

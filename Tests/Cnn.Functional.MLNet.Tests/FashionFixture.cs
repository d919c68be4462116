using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cnn.Functional.MLNet.Tests;

/// <summary>
/// Fashion-MNIST read once from Debian's IDX files for every test of the collection, as datasets and as
/// <see cref="IDataView"/>s, and the one expensive model: LeNet-5 trained for 3 epochs on all 60,000 training
/// images through the ML.NET pipeline (IDX → MapValueToKey → CNN trainer), fitted on first use.
/// </summary>
public sealed class FashionFixture : IDisposable
{
    private readonly Lazy<TrainedPipeline> lenet;

    public FashionFixture()
    {
        Data = FashionMnist.Load();
        Train = Context.Data.LoadFromDataset(Data.Train);
        Test = Context.Data.LoadFromDataset(Data.Test);
        lenet = new Lazy<TrainedPipeline>(() => TrainedPipeline.Fit(Context, Train, ModelZoo.Get("lenet5"), epochs: 3));
    }

    public MLContext Context { get; } = new(seed: 1);

    public TrainTest Data { get; }

    public IDataView Train { get; }

    public IDataView Test { get; }

    /// <summary>LeNet-5 after 3 epochs on the full training set, with how long fitting took.</summary>
    public TrainedPipeline LeNet => lenet.Value;

    /// <summary>The first <paramref name="count"/> training images as a view (a prefix of the stored, unshuffled set: all classes appear).</summary>
    public IDataView TrainPrefix(int count) => Context.Data.TakeRows(Train, count);

    public IDataView TestPrefix(int count) => Context.Data.TakeRows(Test, count);

    public void Dispose()
    {
        if (lenet.IsValueCreated) lenet.Value.Model.Dispose();
        Data.Dispose();
    }
}

/// <summary>A fitted pipeline, the scorer at its end, and the seconds fitting took.</summary>
public sealed record TrainedPipeline(TransformerChain<CnnScoringTransformer> Model, double FitSeconds)
{
    public CnnScoringTransformer Scorer => Model.LastTransformer;

    public static TrainedPipeline Fit(MLContext context, IDataView train, Graph graph, int epochs)
    {
        // Keys in class order (key k + 1 is class k), as the IDX labels number them.
        var pipeline = context.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(context.MulticlassClassification.Trainers.Cnn(graph, new CnnTrainerOptions
            {
                Training = new TrainingOptions { Epochs = epochs, BatchEventInterval = 0 },
            }));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = pipeline.Fit(train);
        return new TrainedPipeline(model, clock.Elapsed.TotalSeconds);
    }
}

[CollectionDefinition(Name)]
public sealed class FashionCollection : ICollectionFixture<FashionFixture>
{
    public const string Name = "Fashion-MNIST";
}

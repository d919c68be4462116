using Cnn.Functional.Dsl;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cnn.Functional.MLNet.Tests;

/// <summary>
/// Wrong columns fail in the pipeline's schema check or at <c>Fit</c> — before any training — with ML.NET's
/// "Schema mismatch" message naming the column, the expected shape and what was found, and a hint.
/// </summary>
public sealed class SchemaErrorTests
{
    private readonly MLContext context = new(seed: 1);

    private static readonly Graph LeNet = ModelZoo.Get("lenet5");

    public sealed class Pixels100
    {
        [VectorType(100)] public float[] Features = new float[100];
        public uint Label;
    }

    public sealed class VariablePixels
    {
        public float[] Features = new float[784];
        public uint Label;
    }

    public sealed class Interleaved
    {
        [VectorType(28, 28, 1)] public float[] Features = new float[784];
        public uint Label;
    }

    public sealed class Good
    {
        [VectorType(784)] public float[] Features = new float[784];
        public uint Label;
    }

    public sealed class ByteGood
    {
        [VectorType(784)] public byte[] Features = new byte[784];
        public uint Label;
    }

    private IDataView View<T>(Func<int, T> row) where T : class => context.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(row));

    private static Good GoodRow(int i) => new() { Label = (uint)(i % 10) };

    private EstimatorChain<CnnScoringTransformer> Pipeline(string features = "Features", Graph? graph = null) =>
        context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.MulticlassClassification.Trainers.Cnn(graph ?? LeNet, featureColumnName: features, epochs: 1));

    [Fact]
    public void A_missing_feature_column_is_named_with_the_expected_shape_and_the_columns_there_are()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pipeline("Pixels").Fit(View(GoodRow)));
        Assert.StartsWith(
            "Schema mismatch for feature column 'Pixels': expected a known-size vector of 784 Single values (graph 'lenet5' takes [1, 28, 28] per example, in (C, H, W) order), got no such column. The columns are 'Features', 'Label'.",
            error.Message);
    }

    [Fact]
    public void A_feature_vector_of_the_wrong_size_is_reported_at_fit_with_a_resizing_hint()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pipeline().Fit(View(i => new Pixels100 { Label = (uint)(i % 10) })));
        Assert.StartsWith(
            "Schema mismatch for feature column 'Features': expected a known-size vector of 784 Single values (graph 'lenet5' takes [1, 28, 28] per example, in (C, H, W) order), got a vector of 100 Single values. Resize the images to 28×28 and extract 1 colour channel, or build the graph for this input shape.",
            error.Message);
    }

    [Fact]
    public void A_feature_vector_of_variable_size_fails_in_the_pipelines_schema_check()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pipeline().Fit(View(i => new VariablePixels { Label = (uint)(i % 10) })));
        Assert.Contains("got a vector of Single of variable size. The size must be known from the schema", error.Message);
    }

    [Fact]
    public void Interleaved_pixels_are_recognised()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pipeline().Fit(View(i => new Interleaved { Label = (uint)(i % 10) })));
        Assert.Contains("got a vector of 784 Single values with dimensions [28, 28, 1]. The pixels are interleaved [H, W, C]: use ExtractPixels with interleavePixelColors: false", error.Message);
    }

    [Fact]
    public void Bytes_are_not_floats()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pipeline().Fit(View(i => new ByteGood { Label = (uint)(i % 10) })));
        Assert.Contains("got a vector of Byte. Convert the bytes to Single", error.Message);
    }

    [Fact]
    public void A_label_that_is_not_a_key_asks_for_MapValueToKey()
    {
        var trainer = context.MulticlassClassification.Trainers.Cnn(LeNet, epochs: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(View(GoodRow)));
        Assert.Equal(
            "Schema mismatch for label column 'Label': expected Key<UInt32> with 10 keys, one per class of the graph's output, got UInt32. Map the labels to keys first: mlContext.Transforms.Conversion.MapValueToKey(\"Label\"). (Parameter 'inputSchema')",
            error.Message);
        // The same check runs on schema shapes, in a pipeline's propagation before anything is fitted.
        var inPipeline = Assert.Throws<ArgumentOutOfRangeException>(() =>
            context.Transforms.CopyColumns("Copy", "Features").Append(trainer).Fit(View(GoodRow)));
        Assert.Contains("Schema mismatch for label column 'Label': expected Key<UInt32> with 10 keys, one per class of the graph's output, got UInt32 (Scalar)", inPipeline.Message);
    }

    [Fact]
    public void A_label_with_another_number_of_classes_names_the_output_layer_to_change()
    {
        var five = View(i => new Good { Label = (uint)(i % 5) });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pipeline().Fit(five));
        Assert.Contains("got Key<UInt32, 0-4> (5 classes). Graph 'lenet5' ends in 10 scores at 'fc3': give that layer 5 units (e.g. graph.Replace(\"fc3\", Layers.Dense(5)))", error.Message);
    }

    [Fact]
    public void A_graph_that_is_not_a_classifier_is_refused_when_the_trainer_is_made()
    {
        var error = Assert.Throws<GraphException>(() => context.MulticlassClassification.Trainers.Cnn(LeNet.Truncate("pool2")));
        Assert.Contains("a classifier's output is one score per class, [K]; this node gives [16, 5, 5]", error.Message);
    }

    [Fact]
    public void Options_out_of_range_are_named()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            context.MulticlassClassification.Trainers.Cnn(LeNet, new CnnTrainerOptions { ScoringBatchSize = 0 }));
        Assert.Contains("ScoringBatchSize must be at least 1; got 0", error.Message);
        var focal = Assert.Throws<ArgumentOutOfRangeException>(() =>
            context.MulticlassClassification.Trainers.Cnn(LeNet, new CnnTrainerOptions { FocalLoss = new FocalLossOptions(Gamma: -1) }));
        Assert.Contains("FocalLoss.Gamma must be a finite number ≥ 0; got -1", focal.Message);
    }

    [Fact]
    public void A_scorer_applied_to_data_without_its_feature_column_says_so_at_transform()
    {
        using var scorer = Pipeline().Fit(View(GoodRow));
        var other = View(i => new Pixels100());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => scorer.Transform(other));
        Assert.Contains("got a vector of 100 Single values", error.Message);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet;

/// <summary>
/// What a network adds to a row: columns computed from one feature column, <see cref="Width"/> floats per row, computed
/// for a whole batch of rows by one forward pass (<see cref="Compute"/>) and then read row by row through getters.
/// The scorer (Score, PredictedLabel) and the CNN-codes featurizer are the two kinds.
/// </summary>
internal abstract class NetworkMapping
{
    protected NetworkMapping(CnnNetwork network, string featureColumnName, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"the scoring batch size must be at least 1; got {batchSize}");
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        Network = network;
        FeatureColumnName = featureColumnName;
        BatchSize = batchSize;
    }

    public CnnNetwork Network { get; }

    public string FeatureColumnName { get; }

    /// <summary>The number of rows one forward pass scores.</summary>
    public int BatchSize { get; }

    /// <summary>The columns added after the input's, in order.</summary>
    public abstract IReadOnlyList<DataViewSchema.DetachedColumn> Added { get; }

    /// <summary>The floats kept per row.</summary>
    public abstract int Width { get; }

    /// <summary>
    /// Runs the network on <paramref name="input"/> <c>[n, …]</c> and writes n · <see cref="Width"/> floats, row-major, to
    /// <paramref name="output"/>. Called inside a dispose scope and libtorch's inference mode, with a channels-last
    /// batch (<see cref="Cnn.Functional.Torch.Inference.Layout"/>), holding the network's lock.
    /// </summary>
    public abstract void Compute(Tensor input, Span<float> output);

    /// <summary>A getter of added column <paramref name="index"/> that reads the current row's floats from <paramref name="row"/>.</summary>
    public abstract Delegate Getter(int index, IMappedRow row);

    /// <summary>The feature column of <paramref name="schema"/>, checked.</summary>
    public DataViewSchema.Column FeatureColumn(DataViewSchema schema) =>
        MLNet.FeatureColumn.Find(schema, FeatureColumnName, Network.Graph, Network.InputShape);

    /// <summary>The input's columns (hidden ones too, so indices are kept) followed by the added ones, which hide any of the same name.</summary>
    public DataViewSchema OutputSchema(DataViewSchema input)
    {
        FeatureColumn(input);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        foreach (var column in Added) builder.AddColumn(column.Name, column.Type, column.Annotations);
        return builder.ToSchema();
    }

    /// <summary>The getter of an added column as <c>ValueGetter&lt;TValue&gt;</c>, or a clear error for the wrong type.</summary>
    public ValueGetter<TValue> Getter<TValue>(int index, IMappedRow row)
    {
        var getter = Getter(index, row);
        return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
            $"column '{Added[index].Name}' is {Added[index].Type}, read as {getter.GetType().GetGenericArguments()[0].Name}; it cannot be read as {typeof(TValue).Name}");
    }
}

/// <summary>A row whose added values are known: the <see cref="NetworkMapping.Width"/> floats of the current row.</summary>
internal interface IMappedRow
{
    ReadOnlySpan<float> Current();
}

using Microsoft.ML;

namespace Cnn.Functional.MLNet;

/// <summary>
/// The CNN-codes featurizer as an estimator (nothing to learn: <c>Fit</c> checks the input and hands over the
/// transformer), so that "a trained CNN as a feature extractor feeding another trainer" is one pipeline:
/// <c>mlContext.Transforms.CnnCodes(network, "relu4").Append(mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Codes"))</c>.
/// </summary>
public sealed class CnnCodesEstimator : IEstimator<CnnCodesTransformer>
{
    private readonly CnnNetwork source;
    private readonly string nodePath;
    private readonly string outputColumnName;
    private readonly string featureColumnName;
    private readonly int batchSize;

    internal CnnCodesEstimator(CnnNetwork source, string nodePath, string outputColumnName, string featureColumnName, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        source.Graph.Find(nodePath);
        this.source = source;
        this.nodePath = nodePath;
        this.outputColumnName = outputColumnName;
        this.featureColumnName = featureColumnName;
        this.batchSize = batchSize;
    }

    /// <summary>A transformer with its own copy of the source network, cut after the node; checks the feature column first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or does not fit the graph's input.</exception>
    public CnnCodesTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        FeatureColumn.Find(input.Schema, featureColumnName, source.Graph, source.InputShape);
        var truncated = source.Truncate(nodePath);
        try
        {
            return new CnnCodesTransformer(new CodesMapping(truncated, featureColumnName, outputColumnName, batchSize));
        }
        catch
        {
            truncated.Dispose();
            throw;
        }
    }

    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or not a known-size Single vector.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        FeatureColumn.Check(inputSchema, featureColumnName, source.Graph, source.InputShape);
        var shape = source.Module.Graph[nodePath].OutputShape;
        var column = new Microsoft.ML.DataViewSchema.DetachedColumn(outputColumnName,
            new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, shape.Dims.Items.ToArray()));
        return SchemaShapes.Add(inputSchema, [column]);
    }
}

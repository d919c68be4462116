using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cnn.Functional.MLNet;

/// <summary>
/// A fitted network in an ML.NET pipeline: <c>Transform</c> adds the network's columns lazily and scores rows in
/// batches of <see cref="BatchSize"/> when a cursor reads them; <c>GetRowToRowMapper</c> serves
/// <c>PredictionEngine</c> one example at a time. The transformer owns its network (a chain disposes it).
/// ML.NET's <c>Model.Save</c> cannot store the network: save and load pipelines holding one with
/// <see cref="CnnModel.Save(MLContext, ITransformer, DataViewSchema, string)"/> and <see cref="CnnModel.Load(MLContext, string)"/>.
/// </summary>
public abstract class NetworkTransformer : ITransformer, IDisposable
{
    private bool disposed;

    private protected NetworkTransformer(NetworkMapping mapping) => Mapping = mapping;

    internal NetworkMapping Mapping { get; }

    /// <summary>The network this transformer runs (owned by the transformer).</summary>
    public CnnNetwork Network => Mapping.Network;

    /// <summary>The feature column the network reads.</summary>
    public string FeatureColumnName => Mapping.FeatureColumnName;

    /// <summary>The number of rows scored by one forward pass.</summary>
    public int BatchSize => Mapping.BatchSize;

    /// <summary>The input's columns, then the network's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or does not fit the graph's input.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckNotDisposed();
        return Mapping.OutputSchema(inputSchema);
    }

    /// <inheritdoc cref="GetOutputSchema"/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckNotDisposed();
        return new NetworkDataView(input, Mapping);
    }

    public bool IsRowToRowMapper => true;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckNotDisposed();
        return new NetworkRowMapper(Mapping, inputSchema);
    }

    /// <summary>Always throws: ML.NET's model format is closed to other assemblies. The message says what to call instead.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException(
            $"mlContext.Model.Save cannot store the network of {GetType().Name} ('{Network.Graph.Name}'): ML.NET's model format is closed to other assemblies. " +
            $"Save the pipeline with CnnModel.Save(mlContext, model, inputSchema, path) and load it with CnnModel.Load(mlContext, path).");

    private void CheckNotDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Network.Dispose();
        GC.SuppressFinalize(this);
    }
}

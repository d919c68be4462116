using Microsoft.ML;

namespace Cnn.Functional.MLNet;

/// <summary>
/// The lazy result of a network transformer's <c>Transform</c>: the input's rows with the mapping's columns added.
/// Nothing runs until a cursor moves; a cursor scores its rows in batches (see <see cref="BatchCursor"/>).
/// </summary>
internal sealed class NetworkDataView : IDataView
{
    public NetworkDataView(IDataView input, NetworkMapping mapping)
    {
        Input = input;
        Mapping = mapping;
        FeatureColumn = mapping.FeatureColumn(input.Schema);
        Schema = mapping.OutputSchema(input.Schema);
    }

    public IDataView Input { get; }

    public NetworkMapping Mapping { get; }

    public DataViewSchema.Column FeatureColumn { get; }

    public DataViewSchema Schema { get; }

    /// <summary>False: rows are scored in the input's order, a batch at a time.</summary>
    public bool CanShuffle => false;

    public long? GetRowCount() => Input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new BatchCursor(this, columnsNeeded);

    /// <summary>One cursor: the batches are the parallelism (libtorch uses every core for one forward pass).</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}

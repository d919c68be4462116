using Cnn.Functional.Torch;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet;

/// <summary>
/// The network as a row-to-row mapper, for <c>PredictionEngine</c> and for chains asked for one: each input row is a
/// batch of one, computed when an added column is first read for that row (rows are told apart by
/// <see cref="DataViewRow.Position"/>, which a prediction engine advances with every example).
/// </summary>
internal sealed class NetworkRowMapper : IRowToRowMapper
{
    private readonly NetworkMapping mapping;
    private readonly DataViewSchema.Column feature;

    public NetworkRowMapper(NetworkMapping mapping, DataViewSchema inputSchema)
    {
        this.mapping = mapping;
        InputSchema = inputSchema;
        feature = mapping.FeatureColumn(inputSchema);
        OutputSchema = mapping.OutputSchema(inputSchema);
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    /// <summary>Input columns need themselves; the added columns need the feature column.</summary>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var result = new HashSet<int>();
        foreach (var column in dependingColumns)
            result.Add(column.Index < InputSchema.Count ? column.Index : feature.Index);
        return result.Order().Select(i => InputSchema[i]).ToList();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new MappedRow(this, input, activeColumns);

    private sealed class MappedRow : DataViewRow, IMappedRow
    {
        private readonly NetworkRowMapper parent;
        private readonly DataViewRow input;
        private readonly bool[] active;
        private readonly float[] outputs;
        private readonly float[] features;
        private ValueGetter<VBuffer<float>>? featureGetter;
        private VBuffer<float> buffer;
        private long computedAt = -1;

        public MappedRow(NetworkRowMapper parent, DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        {
            this.parent = parent;
            this.input = input;
            active = new bool[parent.OutputSchema.Count];
            foreach (var column in activeColumns) active[column.Index] = true;
            outputs = new float[parent.mapping.Width];
            features = new float[parent.mapping.Network.FeatureSize];
        }

        public override DataViewSchema Schema => parent.OutputSchema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!active[column.Index])
                throw new InvalidOperationException($"column '{column.Name}' was not requested when the row was made");
            var inputCount = parent.InputSchema.Count;
            return column.Index < inputCount
                ? input.GetGetter<TValue>(parent.InputSchema[column.Index])
                : parent.mapping.Getter<TValue>(column.Index - inputCount, this);
        }

        public ReadOnlySpan<float> Current()
        {
            if (input.Position < 0) throw new InvalidOperationException("the input row holds no example yet");
            if (computedAt != input.Position)
            {
                var mapping = parent.mapping;
                featureGetter ??= input.GetGetter<VBuffer<float>>(parent.feature);
                featureGetter(ref buffer);
                FeatureColumn.Copy(buffer, features, mapping.FeatureColumnName, input.Position);
                using var scope = NewDisposeScope();
                // The batch cursor's settings, so one row scores as it does in a batch (BatchCursor.FillBatch).
                using var mode = Inference.Mode();
                long[] shape = [1, .. mapping.Network.InputShape.Dims.Items.Select(d => (long)d)];
                var example = Inference.Layout(tensor(features, shape));
                lock (mapping.Network.Gate) mapping.Compute(example, outputs);
                computedAt = input.Position;
            }
            return outputs;
        }
    }
}

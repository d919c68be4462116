using System.Runtime.InteropServices;
using Cnn.Functional.Torch;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet;

/// <summary>
/// A <see cref="Dataset"/> as an <see cref="IDataView"/>: <c>Features</c> (Single vector with the example's dimensions),
/// <c>Label</c> (UInt32 class number) and <c>ClassName</c> (Text). The images are read in place from native memory
/// (CPU tensors, in chunks of under 2 GiB) through the view's own handles on them; the labels are copied once.
/// Cursors may shuffle (a permutation drawn from the given <see cref="Random"/>).
/// </summary>
internal sealed class DatasetDataView : IDataView
{
    private readonly Tensor[] chunks;
    private readonly int chunkRows;
    private readonly int size;
    private readonly uint[] labels;
    private readonly ReadOnlyMemory<char>[] names;

    public DatasetDataView(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Images.dtype != ScalarType.Float32 || dataset.Labels.dtype != ScalarType.Int64 || dataset.Images.dim() < 2)
            throw new ArgumentException($"dataset '{dataset.Name}' must hold float32 images [N, …] and int64 labels [N]; it holds {dataset.Images.dtype} [{string.Join(", ", dataset.Images.shape)}] and {dataset.Labels.dtype}", nameof(dataset));
        var dims = dataset.ExampleShape.Dims.Items.ToArray();
        size = dims.Aggregate(1, (a, b) => checked(a * b));
        var count = dataset.Count;
        chunkRows = (int)Math.Max(1, Math.Min(count, (int.MaxValue / 4) / Math.Max(1, size)));
        using (var scope = NewDisposeScope())
        {
            var flat = dataset.Images.cpu().reshape(count, size).contiguous();
            chunks = flat.split(chunkRows).Select(c => c.contiguous().DetachFromDisposeScope()).ToArray();
            var values = dataset.Labels.cpu().data<long>().ToArray();
            if (values.Any(v => v < 0 || v >= dataset.Classes))
                throw new ArgumentException($"dataset '{dataset.Name}' has labels outside 0…{dataset.Classes - 1}", nameof(dataset));
            labels = values.Select(v => (uint)v).ToArray();
        }
        names = Enumerable.Range(0, dataset.Classes)
            .Select(i => (i < dataset.ClassNames.Count ? dataset.ClassNames[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture)).AsMemory())
            .ToArray();
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, dims));
        builder.AddColumn("Label", NumberDataViewType.UInt32);
        builder.AddColumn("ClassName", TextDataViewType.Instance);
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => true;

    public long? GetRowCount() => labels.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded, rand);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DatasetDataView parent;
        private readonly bool[] active = new bool[3];
        private readonly int[]? order;
        private long position = -1;

        public Cursor(DatasetDataView parent, IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand)
        {
            this.parent = parent;
            foreach (var column in columnsNeeded) active[column.Index] = true;
            if (rand is not null)
            {
                order = Enumerable.Range(0, parent.labels.Length).ToArray();
                rand.Shuffle(order);
            }
        }

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => position;

        public override long Batch => 0;

        private int Row => order is null ? (int)position : order[position];

        public override bool MoveNext()
        {
            if (position + 1 >= parent.labels.Length)
            {
                position = parent.labels.Length;
                return false;
            }
            position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = new DataViewRowId((ulong)Row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!active[column.Index]) throw new InvalidOperationException($"column '{column.Name}' was not requested when the cursor was made");
            Delegate getter = column.Index switch
            {
                0 => (ValueGetter<VBuffer<float>>)Features,
                1 => (ValueGetter<uint>)((ref uint value) => value = parent.labels[Check()]),
                _ => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = parent.names[parent.labels[Check()]]),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}");
        }

        private void Features(ref VBuffer<float> value)
        {
            var row = Check();
            var chunk = parent.chunks[row / parent.chunkRows];
            var values = MemoryMarshal.Cast<byte, float>(chunk.bytes).Slice(row % parent.chunkRows * parent.size, parent.size);
            var editor = VBufferEditor.Create(ref value, parent.size);
            values.CopyTo(editor.Values);
            value = editor.Commit();
        }

        private int Check() => position >= 0 && position < parent.labels.Length
            ? Row
            : throw new InvalidOperationException("the cursor is not on a row: call MoveNext first");
    }
}

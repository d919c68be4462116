using Cnn.Functional.Torch;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet;

/// <summary>
/// A cursor that scores rows a batch at a time. A second cursor over the input, reading only the feature column,
/// runs up to one batch ahead: its rows' features are copied straight into a reused native batch tensor, one forward
/// pass computes the batch's outputs, and the main cursor (which serves the input's own columns) then reads them row
/// by row. Both input cursors are unshuffled, so they meet the same rows in the same order; their row ids are compared
/// to make sure. When no input column is wanted, the look-ahead cursor is the only one.
/// </summary>
internal sealed class BatchCursor : DataViewRowCursor, IMappedRow
{
    private readonly NetworkDataView parent;
    private readonly NetworkMapping mapping;
    private readonly int inputCount;
    private readonly bool[] active;
    private readonly DataViewRowCursor? main;
    private readonly DataViewRowCursor? ahead;
    private readonly ValueGetter<VBuffer<float>>? features;
    private readonly ValueGetter<DataViewRowId>? aheadId;
    private readonly ValueGetter<DataViewRowId>? mainId;
    private readonly float[] outputs;
    private readonly DataViewRowId[] ids;
    private readonly Tensor? batch;
    private VBuffer<float> row;
    private long position = -1;
    private long batchStart;
    private int batchCount;
    private bool done;

    public BatchCursor(NetworkDataView parent, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        this.parent = parent;
        mapping = parent.Mapping;
        inputCount = parent.Input.Schema.Count;
        active = new bool[parent.Schema.Count];
        foreach (var column in columnsNeeded) active[column.Index] = true;
        var inputColumns = Enumerable.Range(0, inputCount).Where(i => active[i]).Select(i => parent.Input.Schema[i]).ToList();
        var mapped = active.Skip(inputCount).Any(a => a);
        outputs = new float[mapped ? mapping.BatchSize * mapping.Width : 0];
        ids = new DataViewRowId[mapped ? mapping.BatchSize : 0];
        try
        {
            if (mapped)
            {
                ahead = parent.Input.GetRowCursor([parent.FeatureColumn]);
                features = ahead.GetGetter<VBuffer<float>>(parent.FeatureColumn);
                aheadId = ahead.GetIdGetter();
                long[] shape = [mapping.BatchSize, .. mapping.Network.InputShape.Dims.Items.Select(d => (long)d)];
                batch = empty(shape, ScalarType.Float32).DetachFromDisposeScope();
            }
            if (!mapped || inputColumns.Count > 0)
            {
                main = parent.Input.GetRowCursor(inputColumns);
                mainId = main.GetIdGetter();
            }
        }
        catch
        {
            ahead?.Dispose();
            batch?.Dispose();
            throw;
        }
    }

    public override DataViewSchema Schema => parent.Schema;

    public override long Position => position;

    public override long Batch => 0;

    public override bool MoveNext()
    {
        if (done) return false;
        if (main is not null && !main.MoveNext()) return Finish();
        position++;
        if (ahead is null) return true;
        if (position >= batchStart + batchCount)
        {
            batchStart += batchCount;
            batchCount = FillBatch();
            if (batchCount == 0)
            {
                if (main is null) return Finish();
                throw new InvalidOperationException(
                    $"the input of the network's columns ended early at row {position}: its cursors disagree on the number of rows (an input whose rows change between passes cannot be scored in batches)");
            }
        }
        if (mainId is not null)
        {
            var id = default(DataViewRowId);
            mainId(ref id);
            if (!id.Equals(ids[position - batchStart]))
                throw new InvalidOperationException(
                    $"row {position} of the input has id {id} for its columns but {ids[position - batchStart]} for its features: the input does not repeat its row order between passes, which batch scoring needs");
        }
        return true;
    }

    private bool Finish()
    {
        done = true;
        position = -1;
        return false;
    }

    // Reads up to one batch of features ahead, runs the network once, and keeps Width floats per row.
    private int FillBatch()
    {
        var size = mapping.Network.FeatureSize;
        var target = MemoryMarshal.Cast<byte, float>(batch!.bytes);
        var count = 0;
        while (count < mapping.BatchSize && ahead!.MoveNext())
        {
            features!(ref row);
            FeatureColumn.Copy(row, target.Slice(count * size, size), mapping.FeatureColumnName, ahead.Position);
            aheadId!(ref ids[count]);
            count++;
        }
        if (count == 0) return 0;
        using var scope = NewDisposeScope();
        // As Inference.Predict scores: inference mode and channels-last batches (1.1–1.6× a plain no_grad forward, BENCHMARKS.md).
        using var mode = Inference.Mode();
        var input = Inference.Layout(count == mapping.BatchSize ? batch : batch.narrow(0, 0, count));
        lock (mapping.Network.Gate) mapping.Compute(input, outputs.AsSpan(0, count * mapping.Width));
        return count;
    }

    public ReadOnlySpan<float> Current()
    {
        if (position < 0) throw new InvalidOperationException("the cursor is not on a row: call MoveNext first");
        return outputs.AsSpan((int)(position - batchStart) * mapping.Width, mapping.Width);
    }

    public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!active[column.Index])
            throw new InvalidOperationException($"column '{column.Name}' was not requested when the cursor was made");
        return column.Index < inputCount
            ? main!.GetGetter<TValue>(parent.Input.Schema[column.Index])
            : mapping.Getter<TValue>(column.Index - inputCount, this);
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        mainId ?? ((ref DataViewRowId value) => value = ids[position - batchStart]);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            main?.Dispose();
            ahead?.Dispose();
            batch?.Dispose();
        }
        base.Dispose(disposing);
    }
}

using System.Runtime.InteropServices;
using Cnn.Functional.Torch;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet;

/// <summary>
/// Reads an <see cref="IDataView"/>'s feature and key-label columns into a <see cref="Dataset"/> for the training
/// engine: images float32 <c>[N, …input shape]</c> and labels int64 <c>[N]</c> (key k becomes class k − 1). Rows are
/// copied straight into native tensors a chunk at a time, so no managed copy of the whole set is made.
/// </summary>
internal static class TrainingData
{
    private const int ChunkRows = 4096;

    /// <exception cref="ArgumentException">The data has no rows, or a row's label is missing (key 0).</exception>
    public static Dataset Read(IDataView data, DataViewSchema.Column feature, DataViewSchema.Column label, Shape input, int classes, IReadOnlyList<string> classNames)
    {
        var size = checked((int)input.Elements);
        long[] exampleShape = [.. input.Dims.Items.Select(d => (long)d)];
        var imageChunks = new List<Tensor>();
        var labels = new List<long>();
        try
        {
            using var cursor = data.GetRowCursor([feature, label]);
            var getFeatures = cursor.GetGetter<VBuffer<float>>(feature);
            var getLabel = cursor.GetGetter<uint>(label);
            var buffer = default(VBuffer<float>);
            Tensor? chunk = null;
            var inChunk = 0;
            while (cursor.MoveNext())
            {
                uint key = 0;
                getLabel(ref key);
                if (key == 0)
                    throw new ArgumentException($"row {cursor.Position} has a missing label (key 0) in label column '{label.Name}': filter such rows out first, e.g. with mlContext.Data.FilterRowsByMissingValues", nameof(data));
                if (chunk is null)
                {
                    chunk = empty([ChunkRows, .. exampleShape], ScalarType.Float32).DetachFromDisposeScope();
                    imageChunks.Add(chunk);
                    inChunk = 0;
                }
                getFeatures(ref buffer);
                var target = MemoryMarshal.Cast<byte, float>(chunk.bytes).Slice(inChunk * size, size);
                FeatureColumn.Copy(buffer, target, feature.Name, cursor.Position);
                labels.Add(key - 1);
                if (++inChunk == ChunkRows) chunk = null;
            }
            if (labels.Count == 0)
                throw new ArgumentException("the training data has no rows", nameof(data));
            using var scope = NewDisposeScope();
            var last = imageChunks.Count - 1;
            var parts = imageChunks.Select((c, i) => i == last && inChunk is > 0 and < ChunkRows ? c.narrow(0, 0, inChunk) : c).ToList();
            var images = (parts.Count == 1 ? parts[0].clone() : cat(parts, 0)).DetachFromDisposeScope();
            var labelTensor = tensor(labels.ToArray(), ScalarType.Int64).DetachFromDisposeScope();
            var names = classNames.Count == classes ? classNames : Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            return new Dataset("ML.NET training data", images, labelTensor, classes, names.ToEquatableArray());
        }
        finally
        {
            foreach (var c in imageChunks) c.Dispose();
        }
    }
}

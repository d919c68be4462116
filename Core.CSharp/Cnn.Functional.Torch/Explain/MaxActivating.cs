using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// One example among those that activate a unit most: its index in the dataset, label, the unit's value, where in the
/// node's map it peaked (row, column; 0, 0 for a vector node), the input pixels that position sees, and the image.
/// </summary>
public sealed record TopActivation(int Example, int Label, float Value, int Row, int Column, Region Field, Picture Image)
{
    /// <summary>The part of the image inside the receptive field (the patch the unit responds to).</summary>
    public Picture Patch()
    {
        var r = Field.Clip(Image.Height, Image.Width);
        return new Picture(Image.Channels.Select(c => PixelMap.Of(r.Height, r.Width,
            Enumerable.Range(r.Top, r.Height).SelectMany(row => Enumerable.Range(r.Left, r.Width).Select(col => c[row, col])).ToArray())).ToEquatableArray());
    }
}

/// <summary>The examples of a dataset that activate channel <paramref name="Channel"/> of <paramref name="Path"/> most, largest first.</summary>
public sealed record TopActivations(string Path, int Channel, int Searched, EquatableArray<TopActivation> Items);

/// <summary>
/// "Keep track of which images activate a neuron most" (the lecture, after Girshick et al. 2014, "Rich feature
/// hierarchies", Fig. 4: top-activating regions of pool5 units, with the unit's receptive field outlined).
/// </summary>
public static class MaxActivating
{
    /// <summary>
    /// The <paramref name="k"/> examples among the first <paramref name="limit"/> of <paramref name="data"/> on which
    /// channel <paramref name="channel"/> of the node at <paramref name="path"/> reaches its largest value (for a map,
    /// its maximum over positions, with that position's receptive field). Evaluation mode, one dispose scope per batch.
    /// </summary>
    /// <exception cref="GraphException">No node has that path, or the data does not fit the graph.</exception>
    /// <exception cref="ArgumentException">A setting is out of range, or the data is empty or badly typed.</exception>
    public static TopActivations TopK(GraphModule module, Dataset data, string path, int channel, int k = 9, int limit = 10_000, int batchSize = 256)
    {
        var output = ModelOutput.Of(module.Graph);
        Evaluator.Check(data, module, output, "search");
        var node = ExplainInput.Node(module, path, "top activations");
        if (channel < 0 || channel >= node.OutputShape.Channels)
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"'{path}' has channels 0 to {node.OutputShape.Channels - 1}");
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "at least 1");
        if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit), limit, "at least 1");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "at least 1");
        var count = (int)Math.Min(limit, data.Count);
        var best = new List<(int Example, float Value, int Position)>();
        ExplainInput.ForEachBatch(module, data, path, count, batchSize, (start, activations) =>
        {
            var n = (int)activations.shape[0];
            var (values, positions) = activations.select(1, channel).reshape(n, -1).max(1);
            var v = values.cpu().data<float>().ToArray();
            var p = positions.cpu().data<long>().ToArray();
            for (var i = 0; i < n; i++) best.Add((start + i, v[i], (int)p[i]));
            best = best.OrderByDescending(b => b.Value).ThenBy(b => b.Example).Take(k).ToList();
        });
        var width = node.OutputShape.Rank == 3 ? node.OutputShape.Dims[2] : 1;
        var items = best.Select(b =>
        {
            var (row, column) = node.OutputShape.Rank == 3 ? (b.Position / width, b.Position % width) : (0, 0);
            using var scope = NewDisposeScope();
            return new TopActivation(b.Example, (int)Scalars.Read<long>(data.Labels[b.Example]), b.Value, row, column,
                ReceptiveFields.Of(module.Graph, path, row, column), Picture.FromTensor(data.Images[b.Example]));
        });
        return new TopActivations(path, channel, count, items.ToEquatableArray());
    }
}

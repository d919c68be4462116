using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// CNN codes: a node's output for each of <see cref="Count"/> examples, flattened (the lecture: "the activations of the
/// remaining layer are called CNN codes"), with the examples' labels for colouring an embedding.
/// </summary>
public sealed class Codes
{
    internal Codes(string path, float[][] vectors, int[] labels, EquatableArray<string> classNames)
    {
        Path = path;
        Vectors = vectors;
        Labels = labels;
        ClassNames = classNames;
    }

    public string Path { get; }

    /// <summary>One code per example.</summary>
    public IReadOnlyList<float[]> Vectors { get; }

    public IReadOnlyList<int> Labels { get; }

    public EquatableArray<string> ClassNames { get; }

    public int Count => Vectors.Count;

    public int Dimension => Vectors.Count == 0 ? 0 : Vectors[0].Length;
}

/// <summary>Extracts CNN codes from a dataset.</summary>
public static class CnnCodes
{
    /// <summary>
    /// The output of the node at <paramref name="path"/> for the first <paramref name="limit"/> examples of
    /// <paramref name="data"/>, flattened per example. Evaluation mode, one dispose scope per batch.
    /// </summary>
    /// <exception cref="GraphException">No node has that path, or the data does not fit the graph.</exception>
    /// <exception cref="ArgumentException">The data is empty or badly typed, or a setting is out of range.</exception>
    public static Codes Of(GraphModule module, Dataset data, string path, int limit = 1000, int batchSize = 256)
    {
        var output = ModelOutput.Of(module.Graph);
        Evaluator.Check(data, module, output, "coded");
        ExplainInput.Node(module, path, "CNN codes");
        if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit), limit, "at least 1");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "at least 1");
        var count = (int)Math.Min(limit, data.Count);
        var vectors = new float[count][];
        var device = ExplainInput.DeviceOf(module);
        using (ExplainInput.Evaluating(module))
        using (no_grad())
            for (var start = 0; start < count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var n = Math.Min(batchSize, count - start);
                var codes = module.Run(data.Images.narrow(0, start, n).to(device), [path])[path].reshape(n, -1).cpu().contiguous();
                var flat = codes.data<float>().ToArray();
                var d = (int)codes.shape[1];
                for (var i = 0; i < n; i++) vectors[start + i] = flat.AsSpan(i * d, d).ToArray();
            }
        long[] labels;
        using (var scope = NewDisposeScope()) labels = data.Labels.narrow(0, 0, count).cpu().data<long>().ToArray();
        return new Codes(path, vectors, labels.Select(l => (int)l).ToArray(), data.ClassNames);
    }
}

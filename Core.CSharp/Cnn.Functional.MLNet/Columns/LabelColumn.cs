using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cnn.Functional.MLNet;

/// <summary>
/// The label column a CNN trains on: a key (<c>MapValueToKey</c>) with one key per class of the graph's output, as
/// ML.NET's multiclass trainers require. Key k (1-based; 0 is missing) is class k − 1, the network's score k − 1.
/// </summary>
internal static class LabelColumn
{
    /// <exception cref="ArgumentOutOfRangeException">The column is missing, not a UInt32 key, or has another number of keys than the graph has classes.</exception>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, Graph graph, string outputPath, int classes)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw Mismatch(name, classes, "no such column", $"the columns are {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"))}");
        if (column.Type is not KeyDataViewType key || key.RawType != typeof(uint))
            throw Mismatch(name, classes, column.Type.ToString() ?? "?", Hint(name));
        if (key.Count != (ulong)classes)
            throw Mismatch(name, classes, $"Key<UInt32, 0-{key.Count - 1}> ({key.Count} classes)",
                $"graph '{graph.Name}' ends in {classes} scores at '{outputPath}': give that layer {key.Count} units (e.g. graph.Replace(\"{outputPath}\", Layers.Dense({key.Count}))), or map exactly {classes} label values to keys");
        return column;
    }

    /// <summary>The same check on a <see cref="SchemaShape"/> (which does not know the number of keys).</summary>
    public static void Check(SchemaShape shape, string name, int classes)
    {
        var found = shape.FirstOrDefault(c => c.Name == name);
        if (found.Name is null)
            throw Mismatch(name, classes, "no such column", $"the columns are {string.Join(", ", shape.Select(c => $"'{c.Name}'"))}");
        if (!found.IsKey || found.Kind != SchemaShape.Column.VectorKind.Scalar || found.ItemType.RawType != typeof(uint))
            throw Mismatch(name, classes, found.IsKey ? $"Key<{found.ItemType}> ({found.Kind})" : $"{found.ItemType} ({found.Kind})", Hint(name));
    }

    private static string Hint(string name) => $"map the labels to keys first: mlContext.Transforms.Conversion.MapValueToKey(\"{name}\")";

    private static ArgumentOutOfRangeException Mismatch(string name, int classes, string got, string hint) =>
        new("inputSchema", $"Schema mismatch for label column '{name}': expected Key<UInt32> with {classes} keys, one per class of the graph's output, got {got}. {char.ToUpperInvariant(hint[0])}{hint[1..]}.");
}

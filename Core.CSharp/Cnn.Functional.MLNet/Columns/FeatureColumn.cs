using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cnn.Functional.MLNet;

/// <summary>
/// The feature column a network reads: a <c>VBuffer&lt;float&gt;</c> of known size holding one example of the graph's
/// input shape in (C, H, W) order — a vector of C·H·W values, or a vector with dimensions [C, H, W] such as
/// <c>ExtractPixels</c> makes. Checks name the column, the expected shape and what was found, in ML.NET's
/// "Schema mismatch" form, so a pipeline fails before training.
/// </summary>
internal static class FeatureColumn
{
    /// <summary>The column of <paramref name="schema"/> named <paramref name="name"/>, checked against <paramref name="graph"/>'s input <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or of another type or size (parameter "inputSchema").</exception>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, Graph graph, Shape input)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw Mismatch(name, graph, input, "no such column", ColumnList(schema));
        var size = checked((int)input.Elements);
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
            throw Mismatch(name, graph, input, column.Type.ToString() ?? "?", TypeHint((column.Type as VectorDataViewType)?.ItemType ?? column.Type));
        if (!vector.IsKnownSize)
            throw Mismatch(name, graph, input, $"{vector} of variable size", "the size must be known from the schema: resize images to a fixed size before ExtractPixels");
        var dims = vector.Dimensions.ToArray();
        if (vector.Size != size)
            throw Mismatch(name, graph, input, $"{Describe(vector)}", SizeHint(dims, input));
        if (dims.Length > 1 && !dims.SequenceEqual(input.Dims.Items))
            throw Mismatch(name, graph, input, $"{Describe(vector)}", SizeHint(dims, input));
        return column;
    }

    /// <summary>The same check on a <see cref="SchemaShape"/>, which knows the kind of vector but not its size.</summary>
    public static void Check(SchemaShape shape, string name, Graph graph, Shape input)
    {
        var found = shape.FirstOrDefault(c => c.Name == name);
        if (found.Name is null)
            throw Mismatch(name, graph, input, "no such column", $"the columns are {string.Join(", ", shape.Select(c => $"'{c.Name}'"))}");
        if (found.Kind != SchemaShape.Column.VectorKind.Vector || found.IsKey || found.ItemType != NumberDataViewType.Single)
            throw Mismatch(name, graph, input, Describe(found),
                found.Kind == SchemaShape.Column.VectorKind.VariableVector && found.ItemType == NumberDataViewType.Single && !found.IsKey
                    ? "the size must be known from the schema: resize images to a fixed size before ExtractPixels"
                    : TypeHint(found.ItemType));
    }

    /// <summary>"Schema mismatch for feature column 'X': expected …, got …" with a hint.</summary>
    public static ArgumentOutOfRangeException Mismatch(string name, Graph graph, Shape input, string got, string hint) =>
        new("inputSchema",
            $"Schema mismatch for feature column '{name}': expected a known-size vector of {input.Elements} Single values " +
            $"(graph '{graph.Name}' takes {input} per example, in (C, H, W) order), got {got}. {Capitalised(hint)}.");

    private static string TypeHint(DataViewType item) => item.RawType == typeof(byte)
        ? "convert the bytes to Single (ExtractPixels with outputAsFloatArray: true, or ConvertType)"
        : "make a vector of Single values, e.g. with Concatenate or ExtractPixels";

    private static string SizeHint(int[] dims, Shape input)
    {
        if (dims.Length == 3 && input.Rank == 3 && dims[2] == input.Dims[0] && dims[0] == input.Dims[1] && dims[1] == input.Dims[2])
            return "the pixels are interleaved [H, W, C]: use ExtractPixels with interleavePixelColors: false";
        if (input.Rank == 3)
            return $"resize the images to {input.Dims[2]}×{input.Dims[1]} and extract {input.Dims[0]} colour channel{(input.Dims[0] == 1 ? "" : "s")}, or build the graph for this input shape";
        return "build the graph for this input shape";
    }

    private static string Describe(VectorDataViewType vector) =>
        vector.Dimensions.Length > 1
            ? $"a vector of {vector.Size} {vector.ItemType} values with dimensions [{string.Join(", ", vector.Dimensions)}]"
            : $"a vector of {vector.Size} {vector.ItemType} values";

    private static string Describe(SchemaShape.Column column) =>
        (column.IsKey ? $"Key<{column.ItemType}>" : column.ItemType.ToString()) switch
        {
            var item when column.Kind == SchemaShape.Column.VectorKind.Scalar => $"a scalar {item}",
            var item when column.Kind == SchemaShape.Column.VectorKind.VariableVector => $"a vector of {item} of variable size",
            var item => $"a vector of {item}",
        };

    private static string ColumnList(DataViewSchema schema) =>
        $"the columns are {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"))}";

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>
    /// Copies one row's vector into <paramref name="destination"/> (dense; sparse vectors are expanded).
    /// </summary>
    /// <exception cref="InvalidOperationException">The row's vector has another length (a column that lied about its size).</exception>
    public static void Copy(in VBuffer<float> value, Span<float> destination, string name, long row)
    {
        if (value.Length != destination.Length)
            throw new InvalidOperationException($"row {row} of feature column '{name}' holds {value.Length} values; the column's type promised {destination.Length}");
        var values = value.GetValues();
        if (value.IsDense)
        {
            values.CopyTo(destination);
            return;
        }
        destination.Clear();
        var indices = value.GetIndices();
        for (var i = 0; i < indices.Length; i++) destination[indices[i]] = values[i];
    }
}

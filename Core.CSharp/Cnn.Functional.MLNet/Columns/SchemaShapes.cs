using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cnn.Functional.MLNet;

/// <summary>
/// Output <see cref="SchemaShape"/>s for the estimators. <c>SchemaShape.Column</c> has no public constructor, so the
/// added columns are described to ML.NET's own <c>CustomMappingEstimator</c> (a public estimator) through a
/// <see cref="SchemaDefinition"/> of the same names, types and annotation kinds, and its
/// <c>GetOutputSchema</c> builds them: the shapes are exactly what ML.NET would report for such columns.
/// </summary>
internal static class SchemaShapes
{
    /// <summary>
    /// <paramref name="input"/> with <paramref name="added"/> columns (each a Single vector or a UInt32 key, with
    /// annotations of a Text, Text-vector or key-value-vector type) added, replacing columns of the same name.
    /// </summary>
    public static SchemaShape Add(SchemaShape input, IEnumerable<DataViewSchema.DetachedColumn> added)
    {
        var context = new MLContext(seed: 0);
        var shape = input;
        foreach (var column in added)
        {
            shape = column.Type switch
            {
                VectorDataViewType { ItemType: var item } when item == NumberDataViewType.Single => Probe<ProbeVector>(context, shape, column),
                KeyDataViewType { RawType: var raw } when raw == typeof(uint) => Probe<ProbeKey>(context, shape, column),
                _ => throw new ArgumentException($"no probe for a column of type {column.Type}", nameof(added)),
            };
        }
        return shape;
    }

    private static SchemaShape Probe<TProbe>(MLContext context, SchemaShape shape, DataViewSchema.DetachedColumn column)
        where TProbe : class, new()
    {
        var definition = SchemaDefinition.Create(typeof(TProbe));
        definition[0].ColumnName = column.Name;
        definition[0].ColumnType = column.Type;
        foreach (var annotation in column.Annotations.Schema)
        {
            var add = typeof(SchemaShapes).GetMethod(nameof(AddAnnotation), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(annotation.Type.RawType);
            add.Invoke(null, [definition[0], column.Annotations, annotation]);
        }
        var probe = context.Transforms.CustomMapping<ProbeInput, TProbe>((_, _) => { }, contractName: null, outputSchemaDefinition: definition);
        return probe.GetOutputSchema(shape);
    }

    private static void AddAnnotation<T>(SchemaDefinition.Column target, DataViewSchema.Annotations annotations, DataViewSchema.Column annotation)
    {
        var value = default(T)!;
        annotations.GetValue(annotation.Name, ref value);
        target.AddAnnotation(annotation.Name, value, annotation.Type);
    }

    /// <summary>No input columns: the probe adds columns and reads none.</summary>
    private sealed class ProbeInput;

    // Fields ML.NET's mapping would write: never read here.
#pragma warning disable CS0649
    private sealed class ProbeVector
    {
        public VBuffer<float> Value;
    }

    private sealed class ProbeKey
    {
        public uint Value;
    }
#pragma warning restore CS0649
}

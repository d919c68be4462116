using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cnn.Functional.MLNet;

/// <summary>
/// The values behind a label key (its <c>KeyValues</c> annotation: class names, or the original numbers), kept by a
/// fitted scorer so that its <c>PredictedLabel</c> maps back with <c>MapKeyToValue</c> exactly as the training label
/// did, and its <c>Score</c> slots are named after the classes. They are stored with a saved model as
/// invariant-culture text with their type's name, and come back as the same type.
/// </summary>
internal sealed class ClassLabels
{
    private static readonly Dictionary<Type, PrimitiveDataViewType> Types = new()
    {
        [typeof(ReadOnlyMemory<char>)] = TextDataViewType.Instance,
        [typeof(bool)] = BooleanDataViewType.Instance,
        [typeof(sbyte)] = NumberDataViewType.SByte,
        [typeof(byte)] = NumberDataViewType.Byte,
        [typeof(short)] = NumberDataViewType.Int16,
        [typeof(ushort)] = NumberDataViewType.UInt16,
        [typeof(int)] = NumberDataViewType.Int32,
        [typeof(uint)] = NumberDataViewType.UInt32,
        [typeof(long)] = NumberDataViewType.Int64,
        [typeof(ulong)] = NumberDataViewType.UInt64,
        [typeof(float)] = NumberDataViewType.Single,
        [typeof(double)] = NumberDataViewType.Double,
    };

    private readonly Array values;

    private ClassLabels(PrimitiveDataViewType itemType, Array values)
    {
        ItemType = itemType;
        this.values = values;
        Names = values.Cast<object>().Select(Text).ToArray();
    }

    /// <summary>The type of one value, e.g. Text for class names, UInt32 for the original numeric labels.</summary>
    public PrimitiveDataViewType ItemType { get; }

    public int Count => values.Length;

    /// <summary>The values as invariant-culture text (the slot names of the score vector).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The label column's key values, or null when it has none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The key values are of a type a saved model cannot carry.</exception>
    public static ClassLabels? Of(DataViewSchema.Column label)
    {
        var annotation = label.Annotations.Schema.GetColumnOrNull(AnnotationKinds.KeyValues);
        if (annotation is null) return null;
        if (annotation.Value.Type is not VectorDataViewType { ItemType: PrimitiveDataViewType item } || !Types.ContainsKey(item.RawType))
            throw new ArgumentOutOfRangeException("inputSchema",
                $"the key values of label column '{label.Name}' are {annotation.Value.Type}; a CNN scorer carries key values of text, Boolean or a number type: map those labels to keys instead");
        var read = typeof(ClassLabels).GetMethod(nameof(Read), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(item.RawType);
        return new ClassLabels(Types[item.RawType], (Array)read.Invoke(null, [label.Annotations])!);
    }

    /// <summary>K default values of <paramref name="itemType"/> (for schema shapes, which record kinds, not values); null for an unsupported type.</summary>
    public static ClassLabels? Placeholder(DataViewType itemType, int count) =>
        itemType is PrimitiveDataViewType && Types.TryGetValue(itemType.RawType, out var type)
            ? new ClassLabels(type, Array.CreateInstance(itemType.RawType, count))
            : null;

    private static T[] Read<T>(DataViewSchema.Annotations annotations)
    {
        var buffer = default(VBuffer<T>);
        annotations.GetValue(AnnotationKinds.KeyValues, ref buffer);
        return buffer.DenseValues().ToArray();
    }

    /// <summary>The type's name and the values as text: what a saved model stores.</summary>
    public ClassLabelsDocument ToDocument() => new(ItemType.RawType.Name, [.. Names]);

    /// <exception cref="FormatException">The document names an unknown type or holds a value that does not parse as it.</exception>
    public static ClassLabels FromDocument(ClassLabelsDocument document)
    {
        var entry = Types.FirstOrDefault(t => t.Key.Name == document.Type);
        if (entry.Key is null)
            throw new FormatException($"class labels of type '{document.Type}' are not one of {string.Join(", ", Types.Keys.Select(k => k.Name))}");
        var values = Array.CreateInstance(entry.Key, document.Values.Length);
        for (var i = 0; i < values.Length; i++) values.SetValue(Parse(entry.Key, document.Values[i]), i);
        return new ClassLabels(entry.Value, values);
    }

    /// <summary>The <c>KeyValues</c> annotation of a key column over these classes.</summary>
    public void AddKeyValues(DataViewSchema.Annotations.Builder builder)
    {
        var add = typeof(ClassLabels).GetMethod(nameof(AddKeyValuesOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(ItemType.RawType);
        add.Invoke(this, [builder]);
    }

    private void AddKeyValuesOf<T>(DataViewSchema.Annotations.Builder builder)
    {
        var typed = (T[])values;
        builder.Add(AnnotationKinds.KeyValues, new VectorDataViewType(ItemType, typed.Length),
            (ref VBuffer<T> value) => value = new VBuffer<T>(typed.Length, (T[])typed.Clone()));
    }

    /// <summary>The <c>SlotNames</c> annotation of a score vector over these classes.</summary>
    public void AddSlotNames(DataViewSchema.Annotations.Builder builder)
    {
        var names = Names.Select(n => n.AsMemory()).ToArray();
        builder.Add(AnnotationKinds.SlotNames, new VectorDataViewType(TextDataViewType.Instance, names.Length), (ref VBuffer<ReadOnlyMemory<char>> value) =>
            value = new VBuffer<ReadOnlyMemory<char>>(names.Length, (ReadOnlyMemory<char>[])names.Clone()));
    }

    private static string Text(object value) => value switch
    {
        ReadOnlyMemory<char> text => text.ToString(),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static object Parse(Type type, string text) => type == typeof(ReadOnlyMemory<char>)
        ? text.AsMemory()
        : type == typeof(bool) ? bool.Parse(text)
        : Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
}

/// <summary>Class labels as a saved model stores them: the .NET type name of the values and the values as text.</summary>
internal sealed record ClassLabelsDocument(string Type, string[] Values);

/// <summary>The annotation kinds ML.NET's scorers and evaluators read (the strings of its internal <c>AnnotationUtils.Kinds</c>).</summary>
internal static class AnnotationKinds
{
    public const string KeyValues = "KeyValues";
    public const string SlotNames = "SlotNames";
    public const string ScoreColumnKind = "ScoreColumnKind";
    public const string ScoreValueKind = "ScoreValueKind";
}

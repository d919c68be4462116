using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cnn.Functional;

/// <summary>Writes an <see cref="EquatableArray{T}"/> inside a layer (a connection table) as a plain JSON array.</summary>
internal sealed class EquatableArrayConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(EquatableArray<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(EquatableArrayConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class EquatableArrayConverter<T> : JsonConverter<EquatableArray<T>>
    {
        public override EquatableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonSerializer.Deserialize<T[]>(ref reader, options) ?? throw new JsonException("expected an array, got null"));

        public override void Write(Utf8JsonWriter writer, EquatableArray<T> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var item in value) JsonSerializer.Serialize(writer, item, options);
            writer.WriteEndArray();
        }
    }
}

/// <summary>A <see cref="Size"/> is a JSON array of integers: <c>[5]</c> or <c>[3, 1]</c>.</summary>
internal sealed class SizeConverter : JsonConverter<Size>
{
    public override Size Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return Size.All(reader.GetInt32());
        return new Size(IntArray.Read(ref reader, "a size"));
    }

    public override void Write(Utf8JsonWriter writer, Size value, JsonSerializerOptions options) => IntArray.Write(writer, value.Values);
}

/// <summary>A <see cref="Shape"/> is a JSON array of integers: <c>[1, 28, 28]</c>.</summary>
internal sealed class ShapeConverter : JsonConverter<Shape>
{
    public override Shape Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(IntArray.Read(ref reader, "a shape"));

    public override void Write(Utf8JsonWriter writer, Shape value, JsonSerializerOptions options) => IntArray.Write(writer, value.Dims);
}

/// <summary>Padding is <c>"same"</c> or an array of explicit amounts: <c>[2]</c>, <c>[1, 0]</c>.</summary>
internal sealed class PaddingConverter : JsonConverter<Padding>
{
    public override Padding Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString();
            return text switch
            {
                "same" => Padding.Same,
                "valid" => Padding.Valid,
                _ => throw new JsonException($"padding must be \"same\", \"valid\" or an array of integers; got \"{text}\""),
            };
        }
        if (reader.TokenType == JsonTokenType.Number) return reader.GetInt32();
        return new Padding(PaddingKind.Explicit, new Size(IntArray.Read(ref reader, "a padding")));
    }

    public override void Write(Utf8JsonWriter writer, Padding value, JsonSerializerOptions options)
    {
        if (value.Kind == PaddingKind.Same) writer.WriteStringValue("same");
        else IntArray.Write(writer, value.Amount.Values);
    }
}

internal static class IntArray
{
    public static EquatableArray<int> Read(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"expected {what} as an array of integers, got {reader.TokenType}");
        var values = new List<int>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var v))
                throw new JsonException($"expected {what} as an array of 32-bit integers");
            if (values.Count >= 16) throw new JsonException($"{what} has more than 16 entries");
            values.Add(v);
        }
        return values.ToEquatableArray();
    }

    public static void Write(Utf8JsonWriter writer, EquatableArray<int> values)
    {
        writer.WriteStartArray();
        foreach (var v in values) writer.WriteNumberValue(v);
        writer.WriteEndArray();
    }
}

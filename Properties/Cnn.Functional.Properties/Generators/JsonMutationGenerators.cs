using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>A graph document after one to three mutations, with what was done to it.</summary>
/// <param name="Json">The mutated text.</param>
/// <param name="Mutations">What was done, in order (e.g. "remove nodes[2].layer.kernel").</param>
public sealed record MutatedJson(string Json, EquatableArray<string> Mutations)
{
    public override string ToString() => $"{string.Join("; then ", Mutations.Items)}:\n{Json}";
}

/// <summary>
/// Generators of damaged graph documents, to check that <see cref="Graph.FromJson"/> answers every text with a
/// graph or a <see cref="GraphException"/>. Structural mutations (on the parsed tree): a property removed or
/// renamed, a number replaced by a huge, negative or fractional one, a value replaced by one of another type
/// or null, an unknown layer kind, an array element removed or duplicated. Textual mutations: truncation, a
/// character replaced, a bit flipped in the UTF-8 bytes, deep nesting.
/// </summary>
public static class JsonMutationGenerators
{
    private sealed record Location(JsonNode Container, string? Key, int Index)
    {
        public JsonNode? Value => Key is null ? Container.AsArray()[Index] : Container.AsObject()[Key];

        public string Where => Container.GetPath() + (Key is null ? $"[{Index}]" : $".{Key}");
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly string[] Numbers =
        ["2147483648", "-2147483649", "9223372036854775808", "1e300", "1e400", "-1", "0", "-0", "1.5", "-2147483648", "2147483647", "1000000000"];

    private static readonly string[] Values =
        ["null", "\"text\"", "\"same\"", "true", "[]", "{}", "[[1]]", "-1", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]"];

    private static readonly string[] Kinds = ["convolution", "", "CONV", "Conv", "input ", "layer", "graph", "42"];

    private static readonly string[] Names = ["Kind", "kernal", "", "kind2", "$type", "shape ", "extra", "nodes"];

    private static readonly char[] Characters = ['\0', '"', '{', '}', '[', ']', ',', ':', 'x', '-', '9', ' ', '\\', 'é', '\uD800'];

    /// <summary>Valid graphs' JSON after one to three mutations.</summary>
    public static Gen<MutatedJson> MutatedGraphJson() =>
        ValidGraphGenerators.Any().SelectMany(g => Mutated(g.Graph.ToJson()));

    /// <summary><paramref name="json"/> after one to three mutations (structural ones only while the text still parses).</summary>
    public static Gen<MutatedJson> Mutated(string json) =>
        Gen.Choose(1, 3).SelectMany(n => Apply(new MutatedJson(json, EquatableArray<string>.Empty), n));

    private static Gen<MutatedJson> Apply(MutatedJson current, int remaining) =>
        remaining == 0 ? Gen.Constant(current)
            : Mutation(current.Json).SelectMany(m => Apply(new MutatedJson(m.Json, current.Mutations.Append(m.Mutations[0])), remaining - 1));

    /// <summary>One mutation of <paramref name="json"/>.</summary>
    public static Gen<MutatedJson> Mutation(string json)
    {
        var textual = Textual(json);
        if (Parse(json) is null) return textual;
        return Gen.Frequency(
            (2, textual),
            (2, Edit(json, l => l.Key is not null, l => Gen.Constant<Action>(() => l.Container.AsObject().Remove(l.Key!)), "remove")),
            (1, Edit(json, l => l.Key is not null, l => Gen.Elements(Names).Select<string, Action>(name => () => Rename(l, name)), "rename")),
            (3, Edit(json, l => l.Value is JsonValue v && v.GetValueKind() == JsonValueKind.Number, l => Replace(l, Numbers), "renumber")),
            (2, Edit(json, _ => true, l => Replace(l, Values), "retype")),
            (2, Edit(json, l => l.Key == "kind", l => Replace(l, Kinds.Select(k => JsonSerializer.Serialize(k)).Append("7").Append("null").ToArray()), "unknown kind")),
            (1, Edit(json, l => l.Key is null, l => Gen.Elements(true, false).Select<bool, Action>(dup => () => Duplicate(l, dup)), "remove/duplicate element")));
    }

    private static Gen<MutatedJson> Textual(string json)
    {
        if (json.Length == 0) return Gen.Constant(One(json, "empty"));
        return Gen.OneOf(
            Gen.Choose(0, json.Length - 1).Select(n => One(json[..n], $"truncate at {n}")),
            from i in Gen.Choose(0, json.Length - 1) from c in Gen.Elements(Characters)
            select One(json[..i] + c + json[(i + 1)..], $"replace character {i} by U+{(int)c:X4}"),
            from i in Gen.Choose(0, Encoding.UTF8.GetByteCount(json) - 1) from bit in Gen.Choose(0, 7)
            select One(FlipBit(json, i, bit), $"flip bit {bit} of byte {i}"),
            Gen.Choose(1, 300).Select(depth => One(Nest(json, depth), $"nest {depth} arrays in outputs")));
    }

    /// <summary>Picks one of the locations that satisfy <paramref name="where"/> and applies an edit made for it, on a fresh parse.</summary>
    private static Gen<MutatedJson> Edit(string json, Func<Location, bool> where, Func<Location, Gen<Action>> edit, string label)
    {
        var count = Locations(Parse(json)!).Count(where);
        if (count == 0) return Textual(json);
        return Gen.Choose(0, count - 1).SelectMany(i =>
        {
            // Each Action captures a location of a tree parsed for it alone, so generating stays pure.
            Gen<(JsonNode Root, Location At, Action Change)> pick = Gen.Constant(0).SelectMany(_ =>
            {
                var root = Parse(json)!;
                var at = Locations(root).Where(where).ElementAt(i);
                return edit(at).Select(change => (root, at, change));
            });
            return pick.Select(p =>
            {
                var place = p.At.Where;
                p.Change();
                return One(p.Root.ToJsonString(Indented), $"{label} {place}");
            });
        });
    }

    private static Gen<Action> Replace(Location l, string[] literals) =>
        Gen.Elements(literals).Select<string, Action>(literal => () => Set(l, JsonNode.Parse(literal)));

    private static void Set(Location l, JsonNode? value)
    {
        if (l.Key is null) l.Container.AsArray()[l.Index] = value;
        else l.Container.AsObject()[l.Key] = value;
    }

    private static void Rename(Location l, string name)
    {
        var obj = l.Container.AsObject();
        var value = l.Value;
        obj.Remove(l.Key!);
        obj[name] = value;
    }

    private static void Duplicate(Location l, bool duplicate)
    {
        var array = l.Container.AsArray();
        if (duplicate) array.Insert(l.Index, l.Value?.DeepClone());
        else array.RemoveAt(l.Index);
    }

    private static IEnumerable<Location> Locations(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    yield return new Location(obj, key, -1);
                    if (value is not null) foreach (var inner in Locations(value)) yield return inner;
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return new Location(array, null, i);
                    if (array[i] is { } value) foreach (var inner in Locations(value)) yield return inner;
                }
                break;
        }
    }

    private static JsonNode? Parse(string json)
    {
        try { return JsonNode.Parse(json); }
        catch (JsonException) { return null; }
        catch (ArgumentException) { return null; }
        catch (InvalidOperationException) { return null; }
    }

    private static MutatedJson One(string json, string mutation) => new(json, EquatableArray.Of(mutation));

    private static string FlipBit(string json, int index, int bit)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        bytes[index] ^= (byte)(1 << bit);
        return Encoding.UTF8.GetString(bytes);
    }

    private static string Nest(string json, int depth)
    {
        var at = json.IndexOf("\"outputs\": [", StringComparison.Ordinal);
        if (at < 0) return new string('[', depth) + json;
        at += "\"outputs\": [".Length;
        var separator = json[at..].TrimStart().StartsWith(']') ? "" : ", ";
        return json[..at] + new string('[', depth) + new string(']', depth) + separator + json[at..];
    }
}

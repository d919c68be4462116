using System.Text.Json.Nodes;

namespace Cnn.Functional.Notebooks;

/// <summary>One output of a code cell, in nbformat's four kinds.</summary>
public abstract record CellOutput
{
    /// <summary>The output as text, for checks: a stream's text, a display's text/plain or text/html, an error's message.</summary>
    public abstract string Text { get; }

    internal abstract JsonObject ToJson(int executionCount);

    internal static CellOutput FromJson(JsonObject output) => output["output_type"]?.GetValue<string>() switch
    {
        "stream" => new StreamOutput(output["name"]?.GetValue<string>() ?? "stdout", NotebookDocument.MultilineText(output["text"])),
        "error" => new ErrorOutput(output["ename"]?.GetValue<string>() ?? "", output["evalue"]?.GetValue<string>() ?? ""),
        var kind => new DisplayOutput(
            ((JsonObject?)output["data"] ?? []).ToDictionary(p => p.Key, p => p.Value is JsonObject or JsonArray && !IsText(p.Key) ? p.Value!.ToJsonString() : NotebookDocument.MultilineText(p.Value)),
            IsResult: kind == "execute_result"),
    };

    // Jupyter keeps JSON mime types as JSON and everything else (text, base64 images) as strings.
    internal static bool IsJson(string mimeType) => mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);

    private static bool IsText(string mimeType) => mimeType.StartsWith("text/", StringComparison.Ordinal);
}

/// <summary>Text the cell wrote to standard output or standard error.</summary>
public sealed record StreamOutput(string Name, string Value) : CellOutput
{
    public override string Text => Value;

    internal override JsonObject ToJson(int executionCount) =>
        new() { ["output_type"] = "stream", ["name"] = Name, ["text"] = NotebookDocument.Lines(Value) };
}

/// <summary>A displayed value or the cell's result, in one or more mime types (mime type → formatted value).</summary>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data, bool IsResult) : CellOutput
{
    public override string Text =>
        Data.TryGetValue("text/plain", out var plain) ? plain : Data.TryGetValue("text/html", out var html) ? html : "";

    internal override JsonObject ToJson(int executionCount)
    {
        var data = new JsonObject();
        foreach (var (mime, value) in Data)
            data[mime] = IsJson(mime) ? JsonNode.Parse(value) : mime.StartsWith("image/", StringComparison.Ordinal) ? value : NotebookDocument.Lines(value);
        var json = new JsonObject { ["output_type"] = IsResult ? "execute_result" : "display_data", ["data"] = data, ["metadata"] = new JsonObject() };
        if (IsResult) json["execution_count"] = executionCount;
        return json;
    }
}

/// <summary>The cell failed.</summary>
public sealed record ErrorOutput(string Name, string Message) : CellOutput
{
    public override string Text => Message;

    internal override JsonObject ToJson(int executionCount) =>
        new() { ["output_type"] = "error", ["ename"] = Name, ["evalue"] = Message, ["traceback"] = new JsonArray(Message) };
}

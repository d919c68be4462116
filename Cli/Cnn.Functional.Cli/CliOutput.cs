using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Cnn.Functional.Cli;

/// <summary>How commands report failures: one line on stderr for people, a JSON object on stdout for machines.</summary>
internal static class CliOutput
{
    public static Option<bool> JsonOption() => new("--json") { Description = "Write machine-readable JSON to stdout instead of text." };

    /// <summary>
    /// Reports <paramref name="exception"/> (a graph error with its node paths, or a data, checkpoint or
    /// argument error whose message already says where) and returns the input-error exit code.
    /// </summary>
    public static int Fail(ParseResult parse, bool json, Exception exception)
    {
        var config = parse.InvocationConfiguration;
        if (json)
            config.Output.WriteLine(ErrorJson(exception));
        else
            config.Error.WriteLine($"cnnf: error: {(exception is GraphException { Errors.Count: 1 } g ? g.Errors[0].ToString() : exception.Message)}");
        return CnnfApp.InputError;
    }

    /// <summary>The JSON that <paramref name="write"/> produces, indented with "\n" line ends (deterministic output).</summary>
    public static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" })) write(w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string ErrorJson(Exception exception) => Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", exception.Message);
            w.WriteStartArray("errors");
            foreach (var e in (exception as GraphException)?.Errors ?? [])
            {
                w.WriteStartObject();
                w.WriteString("path", e.Path);
                w.WriteString("kind", e.LayerKind);
                w.WriteString("message", e.Message);
                if (e.Hint is not null) w.WriteString("hint", e.Hint);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });
}

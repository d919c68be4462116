using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cnn.Functional.MLNet.Tests;

/// <summary>Reads a scored view's <c>Score</c> and <c>PredictedLabel</c> columns with one cursor.</summary>
internal static class PredictionReader
{
    public static List<(uint Key, float[] Scores)> Read(IDataView predictions)
    {
        var score = predictions.Schema["Score"];
        var predicted = predictions.Schema["PredictedLabel"];
        using var cursor = predictions.GetRowCursor([score, predicted]);
        var getScore = cursor.GetGetter<VBuffer<float>>(score);
        var getPredicted = cursor.GetGetter<uint>(predicted);
        var buffer = default(VBuffer<float>);
        uint key = 0;
        var rows = new List<(uint, float[])>();
        while (cursor.MoveNext())
        {
            getScore(ref buffer);
            getPredicted(ref key);
            rows.Add((key, buffer.DenseValues().ToArray()));
        }
        return rows;
    }

    /// <summary>One line per row: the predicted key and the scores as round-trip text (what LoadCheck writes).</summary>
    public static string[] Lines(ITransformer model, IDataView data) =>
        Read(model.Transform(data))
            .Select(r => string.Join("\t", r.Scores.Select(s => s.ToString("R", CultureInfo.InvariantCulture)).Prepend(r.Key.ToString(CultureInfo.InvariantCulture))))
            .ToArray();
}

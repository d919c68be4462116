using System.Text.Json;
using Cnn.Functional.Cli;

namespace Cnn.Functional.Tests;

/// <summary><c>cnnf report</c> and <c>cnnf train --report</c> on real Fashion-MNIST, kept small.</summary>
public class ReportCommandTests
{
    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"cnnf-report-{Environment.ProcessId}-{name}");

    [Fact]
    public void Train_writes_a_report_and_report_rebuilds_it_from_the_checkpoint()
    {
        var (checkpoint, trained, rebuilt) = (Temp("lenet.ckpt"), Temp("train.html"), Temp("report.html"));
        try
        {
            var (code, output, error) = Cnnf.Run("train", "--epochs", "1", "--limit", "1500", "--checkpoint", checkpoint, "--report", trained, "--json");
            Assert.True(code == 0, error);
            using (var doc = JsonDocument.Parse(output)) Assert.Equal(trained, doc.RootElement.GetProperty("report").GetString());
            var page = File.ReadAllText(trained);
            Assert.Contains("training curves", page);
            Assert.Contains("validation loss", page);

            (code, output, error) = Cnnf.Run("report", checkpoint, "--out", rebuilt, "--limit", "600", "--fgsm-examples", "300", "--json");
            Assert.True(code == 0, error);
            using var document = JsonDocument.Parse(output);
            var report = document.RootElement;
            Assert.Equal("lenet5", report.GetProperty("model").GetString());
            Assert.True(report.GetProperty("charts").GetInt32() >= 20, output);
            Assert.Equal(600, report.GetProperty("testExamples").GetInt32());
            var fgsm = report.GetProperty("fgsm").EnumerateArray().Select(p => p.GetProperty("accuracy").GetDouble()).ToList();
            Assert.Equal(report.GetProperty("testAccuracy").GetDouble(), fgsm[0], 1);
            Assert.True(fgsm[^1] < fgsm[0], "accuracy falls as ε grows");
            Assert.True(new FileInfo(rebuilt).Length > 3_000_000, "plotly.js is embedded");
        }
        finally
        {
            foreach (var f in new[] { checkpoint, trained, rebuilt }) File.Delete(f);
        }
    }

    [Fact]
    public void Report_text_names_the_file_and_the_fgsm_figures()
    {
        var (checkpoint, html) = (Temp("small.ckpt"), Temp("small.html"));
        try
        {
            var (code, _, error) = Cnnf.Run("train", "--epochs", "1", "--limit", "500", "--checkpoint", checkpoint, "--json");
            Assert.True(code == 0, error);
            (code, var output, error) = Cnnf.Run("report", checkpoint, "--out", html, "--limit", "300", "--examples", "2", "--fgsm-examples", "200");
            Assert.True(code == 0, error);
            Assert.StartsWith($"report: {html} (", output);
            Assert.Contains("FGSM on 200 images: ε 0: ", output);
        }
        finally
        {
            File.Delete(checkpoint);
            File.Delete(html);
        }
    }

    [Fact]
    public void A_missing_checkpoint_is_one_clear_line_and_json_an_error_object()
    {
        var (code, _, error) = Cnnf.Run("report", "/nonexistent.ckpt", "--out", Temp("never.html"));
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Equal("cnnf: error: no checkpoint at '/nonexistent.ckpt'", error.TrimEnd());
        (code, var output, _) = Cnnf.Run("report", "/nonexistent.ckpt", "--out", Temp("never.html"), "--json");
        Assert.Equal(CnnfApp.InputError, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Contains("no checkpoint", doc.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.False(File.Exists(Temp("never.html")));
    }

    [Fact]
    public void An_unwritable_report_path_is_an_input_error_not_a_crash()
    {
        var checkpoint = Temp("unwritable.ckpt");
        try
        {
            var (code, _, error) = Cnnf.Run("train", "--epochs", "1", "--limit", "200", "--checkpoint", checkpoint, "--json");
            Assert.True(code == 0, error);
            (code, _, error) = Cnnf.Run("report", checkpoint, "--out", "/proc/cnnf/report.html", "--limit", "100", "--examples", "1", "--fgsm-examples", "50");
            Assert.Equal(CnnfApp.InputError, code);
            Assert.StartsWith("cnnf: error: cannot write the report '/proc/cnnf/report.html'", error);
        }
        finally
        {
            File.Delete(checkpoint);
        }
    }

    [Fact]
    public void Report_requires_an_output_file() =>
        Assert.NotEqual(0, Cnnf.Run("report", "x.ckpt").Code);
}

using System.Diagnostics;
using System.Globalization;

namespace Cnn.Functional.Charts;

/// <summary>Debian's chromium is missing; the message says how to install it.</summary>
public sealed class ChromiumNotFoundException(string message) : FileNotFoundException(message);

/// <summary>
/// Opens a local HTML file in headless Chromium (Debian's <c>chromium</c>, installed by scripts/setup.sh) with the
/// network cut off — every host name resolves to nothing — to read the DOM after the page's scripts ran, or to take a
/// screenshot. Each run gets a fresh, deleted profile.
/// </summary>
public static class HeadlessChromium
{
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>The chromium executable, or a <see cref="ChromiumNotFoundException"/> saying how to install it.</summary>
    public static string Executable(string path = DefaultPath) =>
        File.Exists(path) ? path : throw new ChromiumNotFoundException(
            $"chromium is not installed at {path}: run scripts/setup.sh (it runs 'apt-get install -y chromium'), then try again");

    /// <summary>The page's DOM after its scripts ran (plotly draws synchronously when the page loads).</summary>
    /// <exception cref="ChromiumNotFoundException">Chromium is not installed.</exception>
    /// <exception cref="TimeoutException">Chromium did not finish within <paramref name="timeoutSeconds"/>.</exception>
    /// <exception cref="InvalidOperationException">Chromium failed; the message holds the end of its error output.</exception>
    public static string DumpDom(string htmlPath, int timeoutSeconds = 120) =>
        Run(htmlPath, ["--dump-dom", "--virtual-time-budget=10000"], timeoutSeconds);

    /// <summary>A PNG screenshot of the page's top <paramref name="height"/> pixels at <paramref name="width"/> wide.</summary>
    /// <exception cref="ChromiumNotFoundException">Chromium is not installed.</exception>
    /// <exception cref="InvalidOperationException">Chromium failed or wrote no file.</exception>
    public static void Screenshot(string htmlPath, string pngPath, int width = 1280, int height = 2400, int timeoutSeconds = 120)
    {
        var target = Path.GetFullPath(pngPath);
        var folder = Path.GetDirectoryName(target);
        if (folder is not null) Directory.CreateDirectory(folder);
        File.Delete(target);
        Run(htmlPath, [$"--screenshot={target}", string.Create(CultureInfo.InvariantCulture, $"--window-size={width},{height}"),
            "--hide-scrollbars", "--virtual-time-budget=10000"], timeoutSeconds);
        if (!File.Exists(target)) throw new InvalidOperationException($"chromium wrote no screenshot to {target}");
    }

    private static string Run(string htmlPath, string[] action, int timeoutSeconds)
    {
        var executable = Executable();
        var page = Path.GetFullPath(htmlPath);
        if (!File.Exists(page)) throw new FileNotFoundException($"no page at {page}", page);
        var profile = Directory.CreateTempSubdirectory("cnnf-chromium-");
        try
        {
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                         "--disable-extensions", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND", $"--user-data-dir={profile.FullName}", .. action,
                         new Uri(page).AbsoluteUri])
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish {page} within {timeoutSeconds} s");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"chromium exited with code {process.ExitCode} on {page}: {Tail(error.Result)}");
            return output.Result;
        }
        finally
        {
            // A leftover temporary profile is harmless; failing the caller over it would not be.
            try { profile.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}

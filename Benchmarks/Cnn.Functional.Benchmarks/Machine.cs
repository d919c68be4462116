namespace Cnn.Functional.Benchmarks;

/// <summary>The machine a benchmark ran on, in one line: CPU model, cores, memory, operating system; and how busy it is.</summary>
internal static class Machine
{
    /// <summary>The one-minute load average (2 on this 2-core machine means both cores busy).</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    public static string Describe()
    {
        var cpu = Field("/proc/cpuinfo", "model name", ':') ?? "unknown CPU";
        var memory = Field("/proc/meminfo", "MemTotal", ':') is { } kb && long.TryParse(kb.Split(' ')[0], out var k) ? $"{k / 1024.0 / 1024:N1} GiB" : "? GiB";
        var os = Field("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? Environment.OSVersion.ToString();
        return $"{cpu}, {Environment.ProcessorCount} cores, {memory}, {os}";
    }

    private static string? Field(string file, string name, char separator)
    {
        if (!File.Exists(file)) return null;
        foreach (var line in File.ReadLines(file))
        {
            var at = line.IndexOf(separator);
            if (at > 0 && line[..at].Trim() == name) return line[(at + 1)..].Trim();
        }
        return null;
    }
}

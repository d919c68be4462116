using System.Runtime.InteropServices;

namespace Cnn.Functional.Torch;

/// <summary>
/// Tunes glibc's allocator for libtorch. Measured on these machines: glibc keeps returning libtorch's 3–25 MB
/// activation buffers to the OS and faulting them back in, cutting a convolution with a 6.4 MB output from
/// ~220 to ~40 GFLOP/s; raising the mmap threshold to 32 MiB and turning trimming off made a VGG-style net
/// train 2.3× and infer 4.2× faster (shared/reference/platform-notes.md). Applied once per process, before
/// the first graph is lowered; a no-op where glibc is absent.
/// </summary>
public static class NativeAllocator
{
    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;
    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>True once glibc accepted both settings (false on non-glibc systems).</summary>
    public static bool Tuned => Applied.Value;

    /// <summary>Applies the settings if not yet done; returns whether they are in force.</summary>
    public static bool EnsureTuned() => Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MMmapThreshold, 32 << 20) == 1 && mallopt(MTrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}

using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// How close the two sides of a law must be, per dtype: |left − right| ≤ r·(1 + s), where s is the largest magnitude
/// on the reference side (for an inner product, the sum of the magnitudes of its terms) and r is:
/// <list type="table">
/// <item><term>float64</term><description>10⁻¹⁰. Unit round-off is 1.1·10⁻¹⁶; the sums of these laws have at most a few
/// thousand terms, so round-off stays below ~10⁻¹³·s.</description></item>
/// <item><term>float32</term><description>10⁻⁴. Unit round-off is 6·10⁻⁸; a sum of n terms is off by at most ~n·6·10⁻⁸·s
/// (Higham, "Accuracy and Stability of Numerical Algorithms", §3.1), below 10⁻⁵·s for the ≤ 150-term sums of the
/// small layers generated here, and libtorch's kernels usually do much better.</description></item>
/// <item><term>float16 / bfloat16</term><description>10⁻² / 3·10⁻² (unit round-off 4.9·10⁻⁴ / 3.9·10⁻³), for users who
/// check their own half-precision layers.</description></item>
/// </list>
/// A real break changes values by a fraction of their size: each law's mutation test breaks a layer and is detected,
/// and a perturbation of 10⁻³ of the output is detected in float32 (see the tests), so no tolerance hides a break.
/// </summary>
public static class Tolerance
{
    /// <summary>The relative tolerance r for <paramref name="dtype"/>.</summary>
    public static double Relative(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => 1e-10,
        ScalarType.Float32 => 1e-4,
        ScalarType.Float16 => 1e-2,
        ScalarType.BFloat16 => 3e-2,
        _ => 0,
    };

    /// <summary>The absolute tolerance for values of magnitude up to <paramref name="scale"/>: r·(1 + scale).</summary>
    public static double For(ScalarType dtype, double scale) => Relative(dtype) * (1 + Math.Abs(scale));
}

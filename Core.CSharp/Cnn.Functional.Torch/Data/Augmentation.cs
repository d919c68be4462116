using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Torch;

/// <summary>
/// Data augmentation for training batches (the lecture's "Data Augmentation"; AlexNet's random crops and horizontal
/// reflections, Krizhevsky et al. 2012, §4.1; the pad-4-and-crop of ResNet's CIFAR experiments, He et al. 2016, §4.2):
/// pure functions from a batch [N, C, H, W] to a new batch of the same shape, drawing every random number from the
/// <see cref="torch.Generator"/> passed in, so a seeded generator reproduces the same batches. Each example gets its
/// own draw. Intermediates live in a dispose scope of their own; only the result is left in the caller's scope, and
/// the input is never changed. Apply them to training batches only, never to the test set.
/// </summary>
public static class Augmentation
{
    /// <summary>Mirrors every image left to right: out[n, c, y, x] = in[n, c, y, W − 1 − x].</summary>
    public static Tensor HorizontalFlip(Tensor batch)
    {
        CheckBatch(batch, nameof(HorizontalFlip));
        return batch.flip(3);
    }

    /// <summary>Mirrors each image left to right with probability <paramref name="probability"/> (default ½).</summary>
    public static Tensor RandomHorizontalFlip(Tensor batch, torch.Generator generator, double probability = 0.5)
    {
        CheckBatch(batch, nameof(RandomHorizontalFlip));
        if (probability is < 0 or > 1 || double.IsNaN(probability))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "a probability is in [0, 1]");
        }
        using var scope = NewDisposeScope();
        var flip = (rand(batch.shape[0], generator: generator) < probability).to(batch.device).view(-1, 1, 1, 1);
        return where(flip, batch.flip(3), batch).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Pads every image with <paramref name="padding"/> zero pixels on each side, then crops it back to H × W at a
    /// uniformly random offset (0…2·padding in each direction): a random shift by −padding…padding whole pixels, what
    /// moves out of the frame is lost and what comes in is zero. padding = 0 returns a copy.
    /// </summary>
    public static Tensor RandomCrop(Tensor batch, int padding, torch.Generator generator)
    {
        CheckBatch(batch, nameof(RandomCrop));
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        var (n, c, h, w) = (batch.shape[0], batch.shape[1], batch.shape[2], batch.shape[3]);
        using var scope = NewDisposeScope();
        var padded = F.pad(batch, [padding, padding, padding, padding]); // [N, C, H + 2p, W + 2p], zeros around
        var top = randint(0, 2 * padding + 1, [n], generator: generator).to(batch.device);
        var left = randint(0, 2 * padding + 1, [n], generator: generator).to(batch.device);
        // Row i of example k comes from padded row top[k] + i, column j from padded column left[k] + j: two gathers
        // crop every example at its own offset without a loop over the batch.
        var rows = (top.view(n, 1) + arange(h, device: batch.device).view(1, h)).view(n, 1, h, 1).expand(n, c, h, w + 2 * padding);
        var cols = (left.view(n, 1) + arange(w, device: batch.device).view(1, w)).view(n, 1, 1, w).expand(n, c, h, w);
        return padded.gather(2, rows).gather(3, cols).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Translates each image by its own (dx, dy) drawn uniformly from [−maxShift, maxShift]² pixels — sub-pixel
    /// shifts, sampled bilinearly, zeros outside the image. Unlike <see cref="RandomCrop"/>, the shift need not be whole.
    /// </summary>
    public static Tensor RandomTranslate(Tensor batch, double maxShift, torch.Generator generator)
    {
        CheckBatch(batch, nameof(RandomTranslate));
        if (maxShift < 0 || !double.IsFinite(maxShift))
        {
            throw new ArgumentOutOfRangeException(nameof(maxShift), maxShift, "a maximal shift is a finite number of pixels ≥ 0");
        }
        using var scope = NewDisposeScope();
        var shifts = (rand(batch.shape[0], 2, generator: generator) * 2 - 1) * maxShift;
        return Translate(batch, shifts).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Translates image k by shifts[k] = (dx, dy) pixels (right and down positive): out[y, x] = in[y − dy, x − dx],
    /// bilinear between pixels, zero outside. shifts is [N, 2]. Whole-pixel shifts move pixels exactly.
    /// </summary>
    public static Tensor Translate(Tensor batch, Tensor shifts)
    {
        CheckBatch(batch, nameof(Translate));
        var n = batch.shape[0];
        if (shifts.dim() != 2 || shifts.shape[0] != n || shifts.shape[1] != 2)
        {
            throw new DataException($"Translate needs one (dx, dy) per image, shifts [{n}, 2]; got [{string.Join(", ", shifts.shape)}]");
        }
        using var scope = NewDisposeScope();
        var (h, w) = (batch.shape[2], batch.shape[3]);
        // affine_grid maps each output pixel centre to a source point in [−1, 1] coordinates (align_corners = false:
        // pixel x sits at (2x + 1)/W − 1), so a shift of dx pixels is a source offset of −2·dx/W.
        var scale = tensor(new[] { -2f / w, -2f / h }, device: batch.device);
        var offset = (shifts.to_type(ScalarType.Float32).to(batch.device) * scale).view(n, 2, 1);
        var theta = cat([eye(2, dtype: ScalarType.Float32, device: batch.device).expand(n, 2, 2), offset], 2);
        var grid = F.affine_grid(theta.to_type(batch.dtype), [n, batch.shape[1], h, w], align_corners: false);
        return F.grid_sample(batch, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false)
            .MoveToOuterDisposeScope();
    }

    private static void CheckBatch(Tensor batch, string what)
    {
        if (batch.dim() != 4)
        {
            throw new DataException($"{what} needs a batch of images [N, C, H, W]; got a tensor of shape [{string.Join(", ", batch.shape)}]");
        }
        if (!batch.is_floating_point())
        {
            throw new DataException($"{what} needs floating-point pixels; got {batch.dtype}");
        }
    }
}

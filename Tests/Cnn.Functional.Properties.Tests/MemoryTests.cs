using Cnn.Functional.Properties;
using TorchSharp;

namespace Cnn.Functional.Tests;

/// <summary>Checking laws leaves no tensor behind: every case runs in a dispose scope, and instances dispose their modules.</summary>
[Collection("Laws")]
public class MemoryTests
{
    [Fact]
    public void Checking_every_law_leaves_the_live_tensor_count_where_it_was()
    {
        var conv = Subject.For(Layers.Conv(3, 3, padding: Padding.Same), Shape.Image(2, 7, 7));
        var pool = Subject.For(Layers.MaxPool(2), Shape.Image(2, 6, 6));
        void CheckAll(int cases)
        {
            foreach (var law in Laws.All)
            {
                law.Check(conv, new LawOptions { Cases = cases });
                law.Check(pool, new LawOptions { Cases = cases });
            }
            ShiftStability.Measure(pool, samples: cases);
        }
        CheckAll(2);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        CheckAll(20);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}

using FsCheck.Xunit;

namespace Smi.Retention.Tests.Files;

/// <summary>
/// A file written past the page cache holds exactly the bytes written, in order, whatever the
/// sizes of the writes and wherever they fall against the blocks and steps; where the file system
/// cannot write so, nothing starts and the caller writes as before.
/// </summary>
public sealed class DirectWritesTests : IDisposable
{
    private const int Step = 64 << 10; // the smallest step: every write size below crosses steps and blocks

    private readonly string _folder = Directory.CreateTempSubdirectory("smi-direct-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Property(MaxTest = 60, QuietOnSuccess = true)]
    public bool Written_IsEveryByteInOrder(ushort[] sizes, byte seed, bool whole)
    {
        // Writes of 0 to 65,535 bytes (or whole 4 KiB blocks), up to 60 of them: lengths from 0 to some megabytes, ending anywhere in a block.
        var expected = new MemoryStream();
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            var direct = DirectWrites.TryStart(file, Step);
            if (direct is null)
            {
                return true; // this file system cannot: DirectWrites_StartsWhereTheFileSystemCan says where it must
            }

            var random = new Random(seed);
            foreach (var size in sizes.Take(60))
            {
                var bytes = new byte[whole ? size / 4096 * 4096 : size];
                random.NextBytes(bytes);
                direct.Write(bytes);
                expected.Write(bytes);
                if (direct.Position != expected.Length)
                {
                    return false;
                }
            }

            direct.Complete();
            direct.Complete(); // once is enough: a second does nothing
        }

        return File.ReadAllBytes(path).AsSpan().SequenceEqual(expected.ToArray());
    }

    [Fact]
    public void DirectWrites_StartsWhereTheFileSystemCan()
    {
        var path = Path.Combine(_folder, "probe");
        using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        var direct = DirectWrites.TryStart(file);

        // The test machines' temporary folder is on a file system that states a direct I/O alignment (ext4, xfs: Linux 6.1 and later).
        var canHere = OperatingSystem.IsLinux() && FileFacts.DirectIoAlignment(file) > 0;
        Assert.Equal(canHere, direct is not null);
    }

    [Fact]
    public void AWriteFailsPartWay_TheStepIsWrittenThroughTheCache_AndTheFileIsWhole()
    {
        var path = Path.Combine(_folder, "failing");
        var expected = new byte[(5 * Step) + 1234];
        new Random(7).NextBytes(expected);
        DirectWrites.FailDirectAt.Value = (2 * Step) + 100; // the third step's write fails, as a full disk's may
        try
        {
            using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
            {
                if (DirectWrites.TryStart(file, Step) is not { } direct)
                {
                    return; // this file system cannot write past the cache: nothing to fail
                }

                for (var at = 0; at < expected.Length; at += 10_000)
                {
                    direct.Write(expected.AsSpan(at, Math.Min(10_000, expected.Length - at)));
                }

                direct.Complete();
            }

            Assert.Equal(expected, File.ReadAllBytes(path));
        }
        finally
        {
            DirectWrites.FailDirectAt.Value = null;
        }
    }

    [Fact]
    public void Completed_MoreWrites_Refused()
    {
        using var file = File.OpenHandle(Path.Combine(_folder, "done"), FileMode.CreateNew, FileAccess.Write);
        if (DirectWrites.TryStart(file, Step) is not { } direct)
        {
            return;
        }

        direct.Write([1, 2, 3]);
        direct.Complete();
        Assert.Throws<InvalidOperationException>(() => direct.Write([4]));
    }

    [Fact]
    public void TryStart_AStepNotAWholeNumberOfBlocks_Refused()
    {
        using var file = File.OpenHandle(Path.Combine(_folder, "step"), FileMode.CreateNew, FileAccess.Write);
        Assert.Throws<ArgumentOutOfRangeException>(() => DirectWrites.TryStart(file, 5000));
        Assert.Throws<ArgumentOutOfRangeException>(() => DirectWrites.TryStart(file, 0));
    }

}

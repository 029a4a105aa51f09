using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Files;

/// <summary>
/// A large output written past the page cache (<see cref="DirectWrites"/>): every byte, in order,
/// at its place, whatever the sizes of the writes, whether the file system takes direct writes or
/// refuses them part-way; a write that fails on the writing thread fails the writer.
/// </summary>
public sealed class DirectWritesTests : IDisposable
{
    private const int MiB = 1 << 20;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("smi-direct-");

    public void Dispose()
    {
        DirectWrites.Fault.Value = null;
        _folder.Delete(recursive: true);
    }

    // Sizes about the thresholds: below and past the bytes written as usual (8 MiB), parts of a
    // block, whole gathered buffers (4 MiB) and more; a refusal (EINVAL) after some of the direct writes, or none.
    [Property(MaxTest = 25)]
    public Property AnyWrites_TheFileIsWhatWasWritten() =>
        Prop.ForAll(
            Gen.ListOf(Gen.OneOf(Gen.Choose(0, 5000), Gen.Choose(4000, 3 * MiB), Gen.Constant(4 * MiB), Gen.Choose(4 * MiB, 9 * MiB)))
                .Where(sizes => sizes.Count is > 0 and <= 8)
                .SelectMany(sizes => Gen.Choose(-1, 4).Select(refusedAt => (Sizes: sizes.ToArray(), RefusedAt: refusedAt)))
                .ToArbitrary(),
            c =>
            {
                var written = 0;
                DirectWrites.Fault.Value = () => written++ == c.RefusedAt ? 22 : null;
                var expected = WriteAll(c.Sizes, seed: c.Sizes.Sum() ^ c.RefusedAt, out var actual, out _);
                DirectWrites.Fault.Value = null;
                return expected.AsSpan().SequenceEqual(actual);
            });

    [Fact]
    public void LargeFile_WrittenPastThePageCacheOnLinux_AsWritten()
    {
        var expected = WriteAll([3 * MiB, 6 * MiB + 17, 5 * MiB, 4096, 7 * MiB + 1], seed: 7, out var actual, out var direct);

        Assert.Equal(expected, actual);
        Assert.Equal(DirectWrites.IsAvailable, direct); // this file system (the temporary folder's, a disk's) takes them
    }

    [Fact]
    public void SmallFile_WrittenAsUsual()
    {
        var expected = WriteAll([100, (int)DirectWrites.BufferedUpTo - 100], seed: 3, out var actual, out var direct);

        Assert.Equal(expected, actual);
        Assert.False(direct);
    }

    // A write the disk fails (EIO), made on the writing thread: thrown to the writer at its next
    // hand-over or at the end, never passed over; nothing after it is written.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void WriteFailsOnTheWritingThread_TheWriterIsTold(int failing)
    {
        if (!DirectWrites.IsAvailable)
        {
            return;
        }

        var writes = 0;
        DirectWrites.Fault.Value = () => writes++ == failing ? 5 : null;
        var error = Assert.Throws<IOException>(() => WriteAll([30 * MiB], seed: 1, out _, out _));

        Assert.Equal(5, error.HResult);
        Assert.Equal(failing + 1, writes); // none after it
    }

    [Fact]
    public void DisposedPartWay_TheWritingThreadEnds()
    {
        var path = Path.Combine(_folder.FullName, "abandoned");
        using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 1 });
        var writes = new DirectWrites(file);
        writes.Write(new byte[20 * MiB]);
        writes.Dispose(); // joins the thread: the test would hang if it did not end
        Assert.True(file.Length <= 20 * MiB);
    }

    /// <summary>Writes pseudo-random bytes in writes of the given sizes, finishes; the bytes, and the file as read back.</summary>
    private byte[] WriteAll(int[] sizes, int seed, out byte[] actual, out bool direct)
    {
        var bytes = new byte[sizes.Sum()];
        new Random(seed).NextBytes(bytes);
        var path = Path.Combine(_folder.FullName, Guid.NewGuid().ToString("N"));
        direct = false;
        using (var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 1 }))
        {
            using var writes = new DirectWrites(file);
            var at = 0;
            foreach (var size in sizes)
            {
                writes.Write(bytes.AsSpan(at, size));
                at += size;
                direct |= writes.IsDirect;
            }

            writes.Finish();
            Assert.Equal(bytes.Length, file.Length);
        }

        actual = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }
}

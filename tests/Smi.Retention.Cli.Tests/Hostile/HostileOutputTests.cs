using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Smi.Retention.Tests.Hostile;

/// <summary>
/// Destinations as a careless operator or an attacker gives them: the inventory itself by any
/// spelling, a link or a hard link to it, the policy file, the same file twice, a planted link at a
/// temporary name, a symbolic link, a pipe, a directory, a missing folder, standard output; and runs
/// refused or interrupted halfway. No input is ever overwritten, no destination is replaced when it
/// is not a regular file, and nothing is left behind.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class HostileOutputTests : IDisposable
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";
    private readonly CliRunner _cli = new();
    private readonly string _inventory;
    private readonly string _original;

    public HostileOutputTests()
    {
        _original = Header + "\n" + string.Join("\n", Enumerable.Range(0, 200).Select(i =>
            FormattableString.Invariant($"88-73-84-57-00-00-{i >> 8:X2}-{i & 0xFF:X2},ESME,{(i % 50 == 0 ? "Pending" : "Commissioned")},2015-01-01,"))) + "\n";
        _inventory = _cli.Write("inventory.csv", _original);
    }

    public void Dispose() => _cli.Dispose();

    private (int Exit, string Output, string Error) Run(params string[] extra) =>
        _cli.Run(["run", "--policy", "secmp0060", "--inventory", _inventory, "--as-of", "2019-11-07", .. extra]);

    private void AssertInventoryIntact()
    {
        Assert.Equal(_original, File.ReadAllText(_inventory));
        Assert.Empty(_cli.Leftovers());
    }

    // The flush before a rename says truly whether the disk took the data: .NET's own flush to
    // disk passes over a failure (EIO, ENOSPC), and the rename then put lost data in place.
    // A file system that cannot sync a file (EINVAL) is passed over, as .NET does, whatever its size;
    // one that turned read-only (EROFS) is not.
    [Theory]
    [InlineData(5, false)] // EIO
    [InlineData(28, false)] // ENOSPC
    [InlineData(22, true)] // EINVAL: cannot sync this file
    [InlineData(30, false)] // EROFS: the file system turned read-only under the run (an ext4 after an I/O error); its fsync wrote nothing
    public void Run_TheDiskFailsTheFlushBeforeTheRename_NothingWrittenAndSaidSo(int errno, bool passedOver)
    {
        if (!Smi.Retention.Files.DataSync.IsAvailable)
        {
            return; // elsewhere .NET's flush is all there is
        }

        var decisions = _cli.PathOf("decisions.csv");
        Smi.Retention.Files.DataSync.Fault.Value = _ => errno;
        try
        {
            var (exit, _, error) = Run("--out", decisions, "--rejects", _cli.PathOf("rejects.csv"), "--max-removal-percent", "100");

            if (passedOver)
            {
                Assert.Equal(0, exit);
                Assert.True(File.Exists(decisions));
            }
            else
            {
                Assert.Equal(74, exit);
                Assert.False(File.Exists(decisions));
                Assert.False(File.Exists(_cli.PathOf("rejects.csv")));
                Assert.Contains("--out", error, StringComparison.Ordinal);
                Assert.Contains("could not be written", error, StringComparison.Ordinal);
            }

            AssertInventoryIntact();
        }
        finally
        {
            Smi.Retention.Files.DataSync.Fault.Value = null;
        }
    }

    // Every output is made durable before the first is committed: when the disk does not take a
    // later output's data (its sync fails), the decisions, whole and first in the order, do not
    // replace yesterday's while the evidence is lost.
    [Fact]
    public void Run_TheDiskFailsALaterOutputsFlush_NothingCommitted()
    {
        if (!Smi.Retention.Files.DataSync.IsAvailable)
        {
            return; // elsewhere .NET's flush is all there is
        }

        var decisions = _cli.Write("decisions.csv", "yesterday's decisions");
        Smi.Retention.Files.DataSync.Fault.Value = file => RandomAccess.GetLength(file) < 4000 ? 5 : null; // EIO for the evidence (about 1.8 KB), not the decisions (about 7 KB)
        try
        {
            var (exit, _, error) = Run("--out", decisions, "--evidence", _cli.PathOf("evidence.jsonl"), "--max-removal-percent", "100");

            Assert.Equal(74, exit);
            Assert.Equal("--evidence " + _cli.PathOf("evidence.jsonl") + " could not be written: Input/output error. No output was written, and no temporary file is left behind.\n", error);
            Assert.Equal("yesterday's decisions", File.ReadAllText(decisions));
            Assert.False(File.Exists(_cli.PathOf("evidence.jsonl")));
            AssertInventoryIntact();
        }
        finally
        {
            Smi.Retention.Files.DataSync.Fault.Value = null;
        }
    }

    // A temporary file that cannot be deleted (a folder whose permissions changed under the run, a
    // file system gone read-only) is named with the reason, and the failure no longer claims that
    // none is left: the operator must be able to find what fills the disk.
    [Fact]
    public void Run_FailsAndATemporaryFileCannotBeDeleted_SaysWhereItIsInsteadOfNoneLeft()
    {
        if (!Smi.Retention.Files.DataSync.IsAvailable)
        {
            return; // the failure is injected into the flush, which only Linux runs through DataSync
        }

        var decisions = _cli.PathOf("decisions.csv");
        Smi.Retention.Files.DataSync.Fault.Value = _ => 5; // EIO: the flush before the rename fails
        Smi.Retention.Cli.Output.OutputFile.DeleteFault.Value = "Operation not permitted";
        try
        {
            var (exit, _, error) = Run("--out", decisions, "--max-removal-percent", "100");

            Assert.Equal(74, exit);
            Assert.False(File.Exists(decisions));
            var left = Assert.Single(_cli.Leftovers());
            Assert.DoesNotContain("no temporary file is left behind", error, StringComparison.Ordinal);
            Assert.Contains("No output was written. A temporary file could not be deleted and is left behind: " + left + " (Operation not permitted). Delete it when nothing is using it.", error, StringComparison.Ordinal);
        }
        finally
        {
            Smi.Retention.Files.DataSync.Fault.Value = null;
            Smi.Retention.Cli.Output.OutputFile.DeleteFault.Value = null;
        }
    }

    // A temporary file whose folder was removed under the run (a cleaner, an operator) went with
    // it: the failure says nothing is left, as is true, rather than naming a file that is not there.
    [Fact]
    public void Run_TheOutputsFolderRemovedDuringTheRun_NoTemporaryFileClaimedLeft()
    {
        var folder = Directory.CreateDirectory(_cli.PathOf("going")).FullName;
        var rows = Header + "\n" + string.Join("\n", Enumerable.Range(0, 10).Select(i => "not a row " + i)) + "\n";
        using var input = new BeforeFirstRead(Encoding.UTF8.GetBytes(rows), () => Directory.Delete(folder, recursive: true));

        var (exit, _, error) = _cli.RunWith(input, null, default, "run", "--policy", "secmp0060", "--inventory", "-", "--as-of", "2019-11-07", "--out", Path.Combine(folder, "d.csv"));

        Assert.True(input.Gated);
        Assert.Equal(4, exit);
        Assert.DoesNotContain("could not be deleted", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    // The outputs' folder moved (renamed) while the run went on: the renames at the end fail, said in
    // words about the destination, and the temporary files are deleted where they are now, under the
    // folder's new name, rather than claimed gone while they fill a disk.
    [Fact]
    public void Run_TheOutputsFolderMovedDuringTheRun_TemporaryFilesDeletedWhereTheyAreNow()
    {
        var folder = Directory.CreateDirectory(_cli.PathOf("moving")).FullName;
        var moved = folder + ".moved";
        using var input = new BeforeFirstRead(Encoding.UTF8.GetBytes(_original), () => Directory.Move(folder, moved));

        var (exit, _, error) = _cli.RunWith(input, null, default, "run", "--policy", "secmp0060", "--inventory", "-", "--as-of", "2019-11-07", "--out", Path.Combine(folder, "d.csv"), "--rejects", Path.Combine(folder, "r.csv"), "--evidence", Path.Combine(folder, "e.jsonl"));

        Assert.True(input.Gated);
        Assert.Equal(74, exit);
        Assert.Contains("could not be put in its place (it is no longer where it was written: its folder was moved or removed during the run)", error, StringComparison.Ordinal);
        Assert.Contains("No output was written, and no temporary file is left behind.", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(moved));
        Assert.False(Directory.Exists(folder));
    }

    // The outputs' folder copied and the copy swapped in during the run (a backup restored, a sync):
    // under each temporary name is now a stale copy, not the file written. Renaming it into place
    // committed empty outputs with exit 0; the file under the name is now checked against the
    // handle that wrote it, the run fails saying so, and nothing is left that it wrote: the folder
    // written deleted (its stale copies with it), or moved away (the files written deleted where
    // they are; the files under their names in the folder swapped in, copies or another's, are not
    // the tool's to delete: said to be left, with where they are, where the message said none was).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_TheOutputsFolderCopiedAndSwappedInDuringTheRun_NothingStaleCommitted(bool movedAway)
    {
        var folder = Directory.CreateDirectory(_cli.PathOf("swapped")).FullName;
        void CopyAndSwap()
        {
            // By cp, as a backup or sync tool copies: .NET's own opens would honour the run's lock on its files.
            using (var copying = System.Diagnostics.Process.Start("cp", ["-a", folder, folder + ".copy"]))
            {
                copying.WaitForExit();
                Assert.Equal(0, copying.ExitCode);
            }

            Assert.NotEmpty(Directory.GetFiles(folder + ".copy", "*.partial"));
            if (movedAway)
            {
                Directory.Move(folder, folder + ".moved");
            }
            else
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.Move(folder + ".copy", folder);
        }

        using var input = new BeforeFirstRead(Encoding.UTF8.GetBytes(_original), CopyAndSwap);

        var (exit, _, error) = _cli.RunWith(input, null, default, "run", "--policy", "secmp0060", "--inventory", "-", "--as-of", "2019-11-07", "--out", Path.Combine(folder, "d.csv"), "--evidence", Path.Combine(folder, "e.jsonl"));

        Assert.True(input.Gated);
        Assert.Equal(74, exit);
        Assert.Contains("could not be put in its place (the file under its temporary name is no longer the one written: its folder was replaced during the run)", error, StringComparison.Ordinal);
        if (movedAway)
        {
            Assert.Empty(Directory.GetFileSystemEntries(folder + ".moved"));
            var left = Directory.GetFiles(folder, "*.partial");
            Assert.Equal(2, left.Length);
            Assert.Contains("2 temporary files could not be deleted and are left behind: ", error, StringComparison.Ordinal);
            Assert.All(left, stale => Assert.Contains(stale + " (a file under the temporary file's name in the folder put in the output folder's place during the run", error, StringComparison.Ordinal));
            Assert.DoesNotContain("no temporary file is left behind", error, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("no temporary file is left behind", error, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
    }

    // A file replaced keeps its permissions: decisions kept from other users stay so when written again.
    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)]
    public void Run_DestinationReplaced_KeepsItsPermissions(UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var decisions = _cli.PathOf("kept.csv");
        File.WriteAllText(decisions, "old");
        File.SetUnixFileMode(decisions, mode);

        var (exit, _, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", _cli.Write("inventory.csv", _original), "--as-of", "2019-11-07", "--out", decisions);

        Assert.True(exit == 0, error);
        Assert.StartsWith("device_id,", File.ReadAllText(decisions), StringComparison.Ordinal);
        Assert.Equal(mode, File.GetUnixFileMode(decisions));
    }

    // A replaced file became the writer's and the writer's group's: another user's decisions, kept
    // from everyone but their group, were then open to the writer's group. As root (as CI runs), both
    // are kept; anyone else keeps the group where they are in it (not testable here without a second user).
    [Fact]
    public void Run_DestinationReplaced_KeepsItsOwnerAndGroupWhereTheWriterMay()
    {
        if (OperatingSystem.IsWindows() || Smi.Retention.Files.Ownership.EffectiveUser != 0)
        {
            return;
        }

        var decisions = _cli.PathOf("theirs.csv");
        File.WriteAllText(decisions, "old");
        File.SetUnixFileMode(decisions, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        using (var chown = Process.Start("chown", ["65534:65534", decisions]))
        {
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }

        var (exit, _, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", _cli.Write("inventory.csv", _original), "--as-of", "2019-11-07", "--out", decisions);

        Assert.True(exit == 0, error);
        Assert.StartsWith("device_id,", File.ReadAllText(decisions), StringComparison.Ordinal);
        var facts = Smi.Retention.Files.FileFacts.Of(decisions);
        Assert.Equal((65534L, 65534L), (facts.Owner, facts.Group));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(decisions));
    }

    // An owner or group the writer may not give the new file (root without CAP_CHOWN, as any user
    // replacing another's file): the new file is the writer's, and whoever the old owner or group
    // class denied would fall into another class (the old group's members into "other", say) and
    // could read it. It is private to the writer instead, and the run says so (it was silent, with
    // the old group's bits dropped and the other bits kept).
    [Fact]
    public void Run_DestinationOwnerOrGroupTheWriterMayNotGive_PrivateAndSaid()
    {
        if (!OperatingSystem.IsLinux() || Smi.Retention.Files.Ownership.EffectiveUser != 0)
        {
            return;
        }

        var decisions = _cli.PathOf("grouped.csv");
        File.WriteAllText(decisions, "old");
        File.SetUnixFileMode(decisions, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead); // its group denied
        _cli.Write("inventory.csv", _original);
        Assert.Equal(0, Shell("chgrp 65534 grouped.csv").Exit);

        var (exit, error) = Shell("setpriv --bounding-set=-chown TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out grouped.csv > /dev/null");

        Assert.Equal(0, exit);
        Assert.Equal("--out grouped.csv: the new file could not be given the group of the file it replaces (group 65534; this user is not in it), so it is private to this user: no one may read it who could not read the old one. Set its group and permissions yourself if others should read it.\n", error);
        Assert.StartsWith("device_id,", File.ReadAllText(decisions), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(decisions));

        // The fifth review's: another user's file, whose label could not be set either, was said in
        // two lines; one reason is said, the first.
        File.SetUnixFileMode(decisions, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.Equal(0, Shell("chown 1:1 grouped.csv").Exit);
        Assert.True(TrySetAttribute(decisions, "security.smi-test", "confined"u8.ToArray()) || !OperatingSystem.IsLinux());

        var both = Shell("setpriv --bounding-set=-chown,-sys_admin TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out grouped.csv > /dev/null");

        Assert.Equal(0, both.Exit);
        Assert.Equal("--out grouped.csv: the new file could not be given the owner and group of the file it replaces (user 1, group 1), so it is this user's and private to them: no one may read it who could not read the old one. Replace another user's file as that user, or set its owner and permissions yourself.\n", both.Error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(decisions));

        // Under --format json the document says it too: a program that reads only the document learns the file is private.
        File.SetUnixFileMode(decisions, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Equal(0, Shell("chgrp 65534 grouped.csv").Exit);
        var json = Shell("setpriv --bounding-set=-chown TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out grouped.csv --format json > run.json");
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(_cli.PathOf("run.json")));
        Assert.Equal(0, json.Exit);
        Assert.Equal([json.Error.TrimEnd('\n')], document.RootElement.GetProperty("notices").EnumerateArray().Select(n => n.GetString()));
        Assert.StartsWith("--out grouped.csv: the new file could not be given the group of the file it replaces", json.Error, StringComparison.Ordinal);
    }

    // The fourth review's case: the mode and ACL were taken when the run began, so a file made
    // private (its ACL entry for another user removed, its mode narrowed) while the run went on was
    // replaced by one as open as it had been. They are taken just before the new file is put in its place.
    [Fact]
    public void Run_DestinationNarrowedDuringTheRun_TheNewFileAsNarrow()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var decisions = _cli.PathOf("narrowed.csv");
        File.WriteAllText(decisions, "old");
        File.SetUnixFileMode(decisions, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var input = new BeforeFirstRead(Encoding.UTF8.GetBytes(_original), () =>
        {
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(decisions, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            TrySetAttribute(decisions, "user.narrowed", "yes"u8.ToArray());
        });

        var (exit, _, error) = _cli.RunWith(input, null, default, "run", "--policy", "secmp0060", "--inventory", "-", "--as-of", "2019-11-07", "--out", decisions);

        Assert.True(input.Gated);
        Assert.True(exit == 0, error);
        Assert.StartsWith("device_id,", File.ReadAllText(decisions), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(decisions));
        if (Smi.Retention.Files.Ownership.TryAttribute(decisions, "user.narrowed", out var narrowed) && narrowed is not null)
        {
            Assert.Equal("yes", Encoding.UTF8.GetString(narrowed));
        }
    }

    // The fourth review's case: root without CAP_FOWNER gave the temporary file to the replaced
    // file's owner, then could not set its mode: exit 2 with a false "may not create files in its
    // folder", and the temporary file left behind on every attempt. Now the file stays private as
    // made, is put in place, and the run says so.
    [Fact]
    public void Run_DestinationOfAnotherOwner_WriterWithoutFowner_PrivateNothingLeft()
    {
        if (!OperatingSystem.IsLinux() || Smi.Retention.Files.Ownership.EffectiveUser != 0)
        {
            return;
        }

        Directory.CreateDirectory(_cli.PathOf("st"));
        var decisions = _cli.PathOf("st/d.csv");
        File.WriteAllText(decisions, "old");
        File.SetUnixFileMode(decisions, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        _cli.Write("inventory.csv", _original);
        Assert.Equal(0, Shell("chown 1:1 st/d.csv").Exit);

        var (exit, error) = Shell("setpriv --bounding-set=-fowner --inh-caps=-fowner TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out st/d.csv > /dev/null");

        Assert.Equal(0, exit);
        Assert.Equal("--out st/d.csv: the new file could not be given the extended attributes and permissions of the file it replaces (its mode: permission denied), so it is private to its owner: no one may read it who could not read the old one. Set its permissions yourself if others should read it.\n", error);
        Assert.Equal(["d.csv"], Directory.GetFileSystemEntries(_cli.PathOf("st")).Select(Path.GetFileName));
        Assert.StartsWith("device_id,", File.ReadAllText(decisions), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(decisions));
        Assert.Equal((1L, 1L), (Smi.Retention.Files.FileFacts.Of(decisions).Owner, Smi.Retention.Files.FileFacts.Of(decisions).Group));
    }

    // The second review's cases: a replaced file's mode bits were copied but not its access ACL (its
    // group bits are the ACL's mask: group members it denied could then read the decisions, and a
    // named user it granted lost them); and the new file took its folder's default ACL (a user the
    // folder's default names could read a file the replaced one kept from them).
    [Fact]
    public void Run_DestinationReplaced_KeepsItsAccessAclAndTakesNoneFromItsFolder()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var decisions = _cli.PathOf("acl.csv");
        File.WriteAllText(decisions, "old");
        File.SetUnixFileMode(decisions, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (!TrySetAttribute(decisions, "system.posix_acl_access", Acl((1, 6, uint.MaxValue), (2, 4, 1), (4, 0, uint.MaxValue), (0x10, 4, uint.MaxValue), (0x20, 0, uint.MaxValue))))
        {
            return; // a file system without ACLs: nothing to keep
        }

        Assert.True(Smi.Retention.Files.Ownership.TryAttribute(decisions, "system.posix_acl_access", out var acl));
        var mode = File.GetUnixFileMode(decisions);
        Assert.NotNull(acl);

        Assert.Equal(0, Run("--out", decisions).Exit);

        Assert.StartsWith("device_id,", File.ReadAllText(decisions), StringComparison.Ordinal);
        Assert.True(Smi.Retention.Files.Ownership.TryAttribute(decisions, "system.posix_acl_access", out var kept));
        Assert.Equal(acl, kept);
        Assert.Equal(mode, File.GetUnixFileMode(decisions));

        Directory.CreateDirectory(_cli.PathOf("shared"));
        var plain = _cli.PathOf("shared/plain.csv");
        File.WriteAllText(plain, "old");
        File.SetUnixFileMode(plain, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.True(TrySetAttribute(_cli.PathOf("shared"), "system.posix_acl_default", Acl((1, 6, uint.MaxValue), (2, 6, 65534), (4, 4, uint.MaxValue), (0x10, 6, uint.MaxValue), (0x20, 0, uint.MaxValue))));

        Assert.Equal(0, Run("--out", plain).Exit);

        Assert.True(Smi.Retention.Files.Ownership.TryAttribute(plain, "system.posix_acl_access", out var inherited));
        Assert.Null(inherited);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(plain));
    }

    // The third review's case: an ACL larger than a 4 KiB buffer (601 named users, on tmpfs, XFS or
    // btrfs) was read as none, and the new file got the mode bits alone (its group bits were the mask).
    [Fact]
    public void Run_DestinationWithALargeAcl_KeptWhole()
    {
        if (!OperatingSystem.IsLinux() || Smi.Retention.Files.Ownership.EffectiveUser != 0)
        {
            return;
        }

        Directory.CreateDirectory(_cli.PathOf("tm"));
        Assert.Equal(0, Shell("mount -t tmpfs none tm").Exit);
        try
        {
            var decisions = _cli.PathOf("tm/big.csv");
            File.WriteAllText(decisions, "old");
            (ushort, ushort, uint)[] entries = [(1, 6, uint.MaxValue), .. Enumerable.Range(2000, 601).Select(id => ((ushort)2, (ushort)4, (uint)id)), (4, 0, uint.MaxValue), (0x10, 4, uint.MaxValue), (0x20, 0, uint.MaxValue)];
            if (!TrySetAttribute(decisions, "system.posix_acl_access", Acl(entries)))
            {
                return; // a tmpfs without ACLs
            }

            Assert.True(Smi.Retention.Files.Ownership.TryAttribute(decisions, "system.posix_acl_access", out var acl));
            Assert.True(acl!.Length > 4096);

            Assert.Equal(0, Run("--out", decisions).Exit);

            Assert.True(Smi.Retention.Files.Ownership.TryAttribute(decisions, "system.posix_acl_access", out var kept));
            Assert.Equal(acl, kept);
        }
        finally
        {
            Shell("umount tm");
        }
    }

    // The third review's "Left": a replaced file's other extended attributes were not kept, so a
    // security label (SELinux's security.selinux, Smack's) that confined who may read the decisions
    // was replaced by the folder's default one, and the user's own attributes were lost. As root, the
    // label (an attribute of the security namespace, as any LSM keeps one) and a user's attribute kept.
    [Fact]
    public void Run_DestinationReplaced_KeepsItsSecurityLabelAndUserAttributes()
    {
        if (!OperatingSystem.IsLinux() || Smi.Retention.Files.Ownership.EffectiveUser != 0)
        {
            return;
        }

        var decisions = _cli.PathOf("labelled.csv");
        File.WriteAllText(decisions, "old");
        if (!TrySetAttribute(decisions, "security.smi-test", "confined"u8.ToArray()) || !TrySetAttribute(decisions, "user.origin", "dcc"u8.ToArray()))
        {
            return; // a file system without extended attributes
        }

        var (exit, _, error) = Run("--out", decisions);

        Assert.Equal((0, ""), (exit, error));
        Assert.StartsWith("device_id,", File.ReadAllText(decisions), StringComparison.Ordinal);
        Assert.True(Smi.Retention.Files.Ownership.TryAttribute(decisions, "security.smi-test", out var label));
        Assert.True(Smi.Retention.Files.Ownership.TryAttribute(decisions, "user.origin", out var origin));
        Assert.Equal(("confined", "dcc"), (Encoding.UTF8.GetString(label!), Encoding.UTF8.GetString(origin!)));
    }

    // A label the writer may not set (root without CAP_SYS_ADMIN, as any other user): the new file
    // is private to its owner and the run says so, rather than leave it readable under the folder's
    // label; the attributes it may set (the user's own) are kept.
    [Fact]
    public void Run_DestinationLabelTheWriterMayNotSet_PrivateAndSaid()
    {
        if (!OperatingSystem.IsLinux() || Smi.Retention.Files.Ownership.EffectiveUser != 0)
        {
            return;
        }

        var decisions = _cli.PathOf("labelled.csv");
        File.WriteAllText(decisions, "old");
        File.SetUnixFileMode(decisions, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        _cli.Write("inventory.csv", _original);
        if (!TrySetAttribute(decisions, "security.smi-test", "confined"u8.ToArray()) || !TrySetAttribute(decisions, "user.origin", "dcc"u8.ToArray()))
        {
            return; // a file system without extended attributes
        }

        var (exit, error) = Shell("setpriv --bounding-set=-sys_admin TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out labelled.csv > /dev/null");

        Assert.Equal(0, exit);
        Assert.Equal("--out labelled.csv: the new file could not be given these extended attributes of the file it replaces: security.smi-test, so it is private to its owner: no one may read it who could not read the old one. Set its permissions yourself if others should read it.\n", error);
        Assert.StartsWith("device_id,", File.ReadAllText(decisions), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(decisions));
        Assert.True(Smi.Retention.Files.Ownership.TryAttribute(decisions, "user.origin", out var origin));
        Assert.Equal("dcc", Encoding.UTF8.GetString(origin!));
    }

    // The fourth review's cases: generate's check of the room left said "0.0 GB" below 50 MB, and
    // for standard output looked only at the temporary folder, so a file it was redirected to on a
    // full file system took 1 MiB and exit 74. Both said in a unit that shows them, and checked.
    [Theory]
    [InlineData("--out tm/g.csv", "tm/g.csv", "in the output's folder")]
    [InlineData("--out - > tm/so.csv", "tm/so.csv", "on the file system of the file standard output goes to")]
    public void Generate_MoreThanASmallFileSystemHolds_RefusedBeforeAnyRow(string output, string written, string where)
    {
        if (!OperatingSystem.IsLinux() || Smi.Retention.Files.Ownership.EffectiveUser != 0)
        {
            return;
        }

        Directory.CreateDirectory(_cli.PathOf("tm"));
        Assert.Equal(0, Shell("mount -t tmpfs -o size=1m none tm").Exit);
        try
        {
            var (exit, error) = Shell($"TOOL generate --devices 100000 --as-of 2026-12-01 {output}");

            Assert.Equal(2, exit);
            Assert.Matches(@"^--devices 100,000 would write at least 5\.1 MB \(51 bytes a row at the fewest, and the header\), more than the 1[,.0-9]* (KB|MB) available " + where + "; ", error);
            Assert.True(!File.Exists(_cli.PathOf(written)) || new FileInfo(_cli.PathOf(written)).Length == 0);
            Assert.Equal(0, Shell($"TOOL generate --devices 1000 --as-of 2026-12-01 {output}").Exit);
        }
        finally
        {
            Shell("umount tm");
        }
    }

    // The fifth review's cases: the room was counted with the blocks reserved for root, which an
    // ordinary user (and root under resv_strict) cannot write, so a count that fitted only there
    // filled the disk for everyone; and sizes that read alike ("1.0 MB ... more than the 1.0 MB") said nothing.
    [Fact]
    public void Generate_RoomReservedForRoot_NotCountedAndSizesThatReadAlikeInBytes()
    {
        if (!OperatingSystem.IsLinux() || Smi.Retention.Files.Ownership.EffectiveUser != 0 || Shell("command -v mkfs.ext4").Exit != 0)
        {
            return;
        }

        Directory.CreateDirectory(_cli.PathOf("e4"));
        Assert.Equal(0, Shell("truncate -s 16M e4.img && mkfs.ext4 -q -m 50 e4.img && mount -o loop e4.img e4").Exit);
        try
        {
            var available = long.Parse(Shell("df -B1 --output=avail e4 | tail -1 >&2").Error.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var over = ((available - 96) / 51) + 1; // one row more than fits in what is available, far less than the free blocks with root's reserve

            var (exit, error) = Shell($"TOOL generate --devices {over} --as-of 2026-12-01 --out e4/g.csv");

            Assert.Equal(2, exit);
            Assert.Contains($"bytes (51 bytes a row at the fewest, and the header), more than the {available:N0} bytes available in the output's folder", error, StringComparison.Ordinal);
            Assert.False(File.Exists(_cli.PathOf("e4/g.csv")));
        }
        finally
        {
            Shell("umount e4");
        }
    }

    /// <summary>A POSIX ACL as the kernel keeps it in an extended attribute: version 2, then (tag, permissions, id) entries in order.</summary>
    private static byte[] Acl(params (ushort Tag, ushort Permissions, uint Id)[] entries)
    {
        var bytes = new byte[4 + (8 * entries.Length)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes, 2);
        for (var i = 0; i < entries.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4 + (8 * i)), entries[i].Tag);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6 + (8 * i)), entries[i].Permissions);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8 + (8 * i)), entries[i].Id);
        }

        return bytes;
    }

    private static bool TrySetAttribute(string path, string name, byte[] acl) => SetAttribute(path, name, acl, (nuint)acl.Length, 0) == 0;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "setxattr", SetLastError = true)]
    private static extern int SetAttribute([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string name, byte[] value, nuint size, int flags);

    // The third review's cases: a destination the kernel will not let be replaced (immutable,
    // append-only, or a file mounted over) failed at its rename, after the outputs before it were
    // committed (exit 74, one run's decisions beside another's rejects). Refused before any work.
    [Theory]
    [InlineData("chattr +i x.csv", "chattr -i x.csv", "x.csv", "it or its folder is immutable (chattr +i)")]
    [InlineData("mkdir af && chattr +a af", "chattr -a af", "af/r.csv", "it or its folder is append-only (chattr +a)")]
    [InlineData("echo a > a.csv && mount --bind a.csv x.csv", "umount x.csv", "x.csv", "a file is mounted over it (a bind mount)")]
    public void Run_DestinationTheKernelWillNotReplace_RefusedBeforeAnyWork(string setUp, string tearDown, string destination, string why)
    {
        if (!OperatingSystem.IsLinux() || Smi.Retention.Files.Ownership.EffectiveUser != 0)
        {
            return;
        }

        File.WriteAllText(_cli.PathOf("x.csv"), "kept\n");
        if (Shell(setUp).Exit != 0)
        {
            return; // a file system without those attributes
        }

        try
        {
            var (exit, _, error) = Run("--out", _cli.PathOf("d.csv"), "--rejects", _cli.PathOf(destination));

            Assert.Equal(2, exit);
            Assert.Equal($"--rejects {_cli.PathOf(destination)} cannot be written: {why}, so the kernel would refuse to put the output in its place. Give another path.\n", error);
            Assert.False(File.Exists(_cli.PathOf("d.csv")));
        }
        finally
        {
            Shell(tearDown);
        }
    }

    // Another user's file in a sticky folder (as /tmp is) cannot be renamed over: found after other
    // outputs were committed (exit 74, the decisions without their rejects). Now refused before any work.
    [Theory]
    [InlineData(0x3FF, 1000, 0, 2000, true)] // drwxrwxrwt root's folder, another user's file
    [InlineData(0x3FF, 1000, 0, 1000, false)] // the writer's own file
    [InlineData(0x3FF, 1000, 1000, 2000, false)] // the writer's own folder
    [InlineData(0x1FF, 1000, 0, 2000, false)] // not sticky
    [InlineData(0x3FF, 0, 0, 2000, false)] // root may
    [InlineData(-1, 1000, -1, -1, false)] // unknown (statx not used): not refused here
    public void StickyFolder_AnotherUsersFile_RefusedBeforeAnyWork(int folderMode, long user, long folderOwner, long fileOwner, bool refused)
    {
        var folder = new Smi.Retention.Files.FileFacts(Smi.Retention.Files.FileKind.Directory, "1:1:1", 0, Mode: folderMode, Owner: folderOwner, Group: 0);
        var file = new Smi.Retention.Files.FileFacts(Smi.Retention.Files.FileKind.Regular, "1:1:2", 3, Mode: 0x1B6, Owner: fileOwner, Group: 0);
        Assert.Equal(refused, Smi.Retention.Cli.Output.OutputPlan.StickyRefuses(folder, file, user));
    }

    // The destination replaced by a folder while the run went on: the rename at the end fails, and
    // the message says so in words about the destination, not the temporary file's name.
    [Fact]
    public void Run_DestinationBecomesAFolderDuringTheRun_TheRenameFailureSaidPlainly()
    {
        var decisions = _cli.PathOf("d.csv");
        using var input = new BeforeFirstRead(Encoding.UTF8.GetBytes(_original), () => Directory.CreateDirectory(Path.Combine(decisions, "inside")));

        var (exit, _, error) = _cli.RunWith(input, null, default, "run", "--policy", "secmp0060", "--inventory", "-", "--as-of", "2019-11-07", "--out", decisions);

        Assert.True(input.Gated);
        Assert.Equal(74, exit);
        Assert.StartsWith("--out " + decisions + " could not be written: the finished file could not be put in its place (", error, StringComparison.Ordinal);
        Assert.DoesNotContain(".partial", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" : '", error, StringComparison.Ordinal); // .NET's path part, which names a file the reader does not know
        Assert.True(Directory.Exists(Path.Combine(decisions, "inside")));
        Assert.Empty(_cli.Leftovers());
    }

    /// <summary>Bytes read as a stream, after an action done at the first read (while the command waits for its input).</summary>
    private sealed class BeforeFirstRead(byte[] bytes, Action action) : MemoryStream(bytes)
    {
        public bool Gated { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            Gate();
            return base.Read(buffer);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Gate();
            return base.Read(buffer, offset, count);
        }

        private void Gate()
        {
            if (!Gated)
            {
                Gated = true;
                action();
            }
        }
    }

    // A destination whose name is near the file-name limit (255 bytes) is written: its temporary
    // file's name, which adds a random part, is cut to fit rather than refused.
    [Theory]
    [InlineData(240)]
    [InlineData(251)]
    public void Run_OutputNameNearTheLimit_Written(int length)
    {
        var name = new string('a', length - 4) + ".csv";
        var decisions = _cli.PathOf(name);

        var (exit, _, error) = Run("--out", decisions, "--max-removal-percent", "100");

        Assert.True(exit == 0, error);
        Assert.Equal(201, File.ReadAllLines(decisions).Length);
        AssertInventoryIntact();
    }

    // A file-size limit (ulimit -f) makes a write fail with EFBIG, which .NET reports as an
    // argument out of range: an output failure (74), said so, never "a bug in the tool" (70).
    [Fact]
    public void RealProcess_FileSizeLimit_ExitSeventyFourSayingSo()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // ulimit -f
        }

        _cli.Write("pending.csv", string.Join("\n", [Header, .. Enumerable.Range(0, 200_000).Select(i => FormattableString.Invariant($"88-73-84-57-00-{i >> 16:X2}-{(i >> 8) & 0xFF:X2}-{i & 0xFF:X2},ESME,Pending,2015-01-01,"))]) + "\n");
        var (exit, error) = Shell("ulimit -f 65536; TOOL run --policy secmp0060 --inventory pending.csv --as-of 2019-11-07 --max-removal-percent 100 --out decisions.csv --evidence evidence.jsonl");

        Assert.Equal(74, exit);
        Assert.Contains("--evidence evidence.jsonl could not be written: the file is larger than this process may write (a file-size limit: see ulimit -f).", error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("evidence.jsonl")));
        Assert.Empty(_cli.Leftovers());
    }

    // Standard output meets the file-size limit in either of its two writes: its spool in the
    // temporary folder (where another folder is no help, so none is advised), or the copy into a
    // file standard output appends to. Each is said in the tool's words, not the system's.
    [Fact]
    public void RealProcess_StandardOutputMeetsTheFileSizeLimit_SaidInTheToolsWords()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // ulimit -f, truncate
        }

        _cli.Write("pending.csv", string.Join("\n", [Header, .. Enumerable.Range(0, 154_000).Select(i => FormattableString.Invariant($"88-73-84-57-00-{i >> 16:X2}-{(i >> 8) & 0xFF:X2}-{i & 0xFF:X2},ESME,Pending,2015-01-01,"))]) + "\n");
        var limit = "the file is larger than this process may write (a file-size limit: see ulimit -f).";

        var spool = Shell("ulimit -f 65536; TOOL run --policy secmp0060 --inventory pending.csv --as-of 2019-11-07 --max-removal-percent 100 --evidence - > /dev/null");
        Assert.Equal(74, spool.Exit);
        Assert.Matches("^--evidence - could not be written: its content is held in the temporary folder .* until the run ends, and writing there failed: " + Regex.Escape(limit + " No output was written, and no temporary file is left behind.") + "\n$", spool.Error);

        var appended = Shell("truncate -s 67108000 out.csv; ulimit -f 65536; TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --max-removal-percent 100 --out - >> out.csv");
        Assert.Equal(74, appended.Exit);
        Assert.StartsWith("--out - could not be written: " + limit + " No output was written in full; --out - was written in part (at most its first 864 bytes reached it)", appended.Error, StringComparison.Ordinal);
        Assert.Equal(1L << 26, new FileInfo(_cli.PathOf("out.csv")).Length);
        Assert.Empty(_cli.Leftovers());
    }

    // An output that crosses the file-size limit only in its last bytes (the evidence, 64.5 MiB
    // against a 64 MiB limit) fails the run before anything is committed: the decisions, whole and
    // first in the order, do not replace yesterday's while the evidence is lost.
    [Fact]
    public void RealProcess_FileSizeLimitMetAtAnOutputsEnd_NothingCommitted()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // ulimit -f
        }

        _cli.Write("pending.csv", string.Join("\n", [Header, .. Enumerable.Range(0, 154_000).Select(i => FormattableString.Invariant($"88-73-84-57-00-{i >> 16:X2}-{(i >> 8) & 0xFF:X2}-{i & 0xFF:X2},ESME,Pending,2015-01-01,"))]) + "\n");
        var decisions = _cli.Write("decisions.csv", "yesterday's decisions");
        var (exit, error) = Shell("ulimit -f 65536; TOOL run --policy secmp0060 --inventory pending.csv --as-of 2019-11-07 --max-removal-percent 100 --out decisions.csv --evidence evidence.jsonl");

        Assert.Equal(74, exit);
        Assert.Equal("--evidence evidence.jsonl could not be written: the file is larger than this process may write (a file-size limit: see ulimit -f). " + "No output was written, and no temporary file is left behind.\n", error);
        Assert.Equal("yesterday's decisions", File.ReadAllText(decisions));
        Assert.False(File.Exists(_cli.PathOf("evidence.jsonl")));
        Assert.Empty(_cli.Leftovers());
    }

    // The spool of an output to a pipe or standard output: made where TMPDIR says, readable by its
    // owner only; a TMPDIR that does not exist is named with advice; a spool cut short by another
    // process while the run waits is an output failure, never a part passed off as the whole.
    [Fact]
    public void RealProcess_Spools_PrivateNamedWhenTheyCannotBeMadeAndNeverCutShortUnseen()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // mkfifo, stat, truncate
        }

        var missing = Shell("TMPDIR=/nonexistent-smi-folder TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out - > /dev/null");
        Assert.Equal(2, missing.Exit);
        Assert.Equal("--out - cannot be written: its content is held in the temporary folder /nonexistent-smi-folder/ until the run ends, and a file cannot be made there: its folder does not exist. Set TMPDIR to a folder that exists and may be written. Nothing was written.\n", missing.Error);

        // The fourth review's: TMPDIR naming a file was said "its folder does not exist", and /proc
        // in .NET's words, "Could not find file it.".
        var file = Shell("echo x > afile; TMPDIR=$PWD/afile TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out - > /dev/null");
        Assert.Equal(2, file.Exit);
        Assert.Contains("and a file cannot be made there: it is a regular file, not a folder. Set TMPDIR", file.Error, StringComparison.Ordinal);
        var proc = Shell("TMPDIR=/proc TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out - > /dev/null");
        Assert.Equal(2, proc.Exit);
        Assert.Contains("and a file cannot be made there: its file system does not let files be made (as /proc does not). Set TMPDIR", proc.Error, StringComparison.Ordinal);

        var (exit, error) = Shell(
            "mkdir spools; mkfifo decisions.fifo; "
            + "TMPDIR=$PWD/spools TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out decisions.fifo --max-removal-percent 100 2> errors.txt & tool=$!; "
            + "while ! grep -q 'Waiting for a reader' errors.txt 2>/dev/null; do sleep 0.1; done; "
            + "stat -c %a spools/.smi-retention.*.partial >&2; truncate -s 100 spools/.smi-retention.*.partial; "
            + "cat decisions.fifo > received.csv; wait $tool; code=$?; cat errors.txt >&2; exit $code");

        Assert.Equal(74, exit);
        Assert.StartsWith("600\n", error, StringComparison.Ordinal);
        Assert.Contains("--out decisions.fifo could not be written: its temporary copy was cut short by something else while the run went on (100 of ", error, StringComparison.Ordinal);
        Assert.Contains("--out decisions.fifo was written in part (at most its first 100 bytes reached it)", error, StringComparison.Ordinal);
        Assert.Equal(100, new FileInfo(_cli.PathOf("received.csv")).Length);
        Assert.Empty(Directory.GetFiles(_cli.PathOf("spools")));
    }

    // The spool of an output to standard output is deleted after it is copied there: a run that
    // succeeds but cannot delete it says where it is (on standard error; the exit stays 0).
    [Fact]
    public void Run_SucceedsAndItsSpoolCannotBeDeleted_WarnsWhereItIs()
    {
        Smi.Retention.Cli.Output.OutputFile.DeleteFault.Value = "Read-only file system";
        try
        {
            var (exit, _, error) = Run("--out", "-", "--max-removal-percent", "100");

            // The file named, not found by listing the shared temporary folder: other tests' runs spool there at the same time.
            Assert.Equal(0, exit);
            var named = Regex.Match(error, @"A temporary file could not be deleted and is left behind: (/\S+) \(Read-only file system\)\. Delete it when nothing is using it\.");
            Assert.True(named.Success, error);
            var left = named.Groups[1].Value;
            Assert.Matches(@"^\.smi-retention\.[0-9a-f]{16}\.partial$", Path.GetFileName(left));
            Assert.Equal(Path.GetFullPath(Path.GetTempPath()), Path.GetFullPath(Path.GetDirectoryName(left)! + "/"));
            Assert.True(File.Exists(left));
            File.Delete(left);
        }
        finally
        {
            Smi.Retention.Cli.Output.OutputFile.DeleteFault.Value = null;
        }
    }

    // A program reading only the JSON document learns of a temporary file left behind too: in the
    // document of a command that writes its own (test), and in the error document of a failure,
    // where the message says it as well.
    [Fact]
    public void SpoolThatCannotBeDeleted_InTheDocumentsNotices_OnSuccessAndFailure()
    {
        var tests = Path.Combine(Repository.Root(), "examples", "policies", "exclusion-per-type.tests.json");
        var bad = _cli.Write("bad.csv", _original + "88-73-84-57-00-00-FF-FF,Toaster,Pending,2015-01-01,\n");
        Smi.Retention.Cli.Output.OutputFile.DeleteFault.Value = "Read-only file system";
        try
        {
            var test = _cli.Run("test", tests, "--junit", "/dev/null", "--format", "json");
            var failed = _cli.Run("run", "--policy", "secmp0060", "--inventory", bad, "--as-of", "2019-11-07", "--rejects", "/dev/null", "--max-reject-percent", "0.001", "--format", "json");

            foreach (var (exit, expected, output, error) in new[] { (test.Exit, 0, test.Output, test.Error), (failed.Exit, 4, failed.Output, failed.Error) })
            {
                Assert.True(exit == expected, error);
                using var document = System.Text.Json.JsonDocument.Parse(output);
                var notice = Assert.Single(document.RootElement.GetProperty("notices").EnumerateArray()).GetString()!;
                var left = Regex.Match(notice, @"^A temporary file could not be deleted and is left behind: (/\S+) \(Read-only file system\)\. Delete it when nothing is using it\.$");
                Assert.True(left.Success, notice);
                Assert.Contains(notice, error, StringComparison.Ordinal);
                File.Delete(left.Groups[1].Value);
            }
        }
        finally
        {
            Smi.Retention.Cli.Output.OutputFile.DeleteFault.Value = null;
        }
    }

    [Theory]
    [InlineData("--out")]
    [InlineData("--rejects")]
    public void Run_OutputIsTheInventory_ByAnySpelling_RefusedAndTheInventoryIntact(string option)
    {
        Directory.CreateDirectory(_cli.PathOf("sub"));
        File.CreateSymbolicLink(_cli.PathOf("link.csv"), _inventory);
        using (var ln = Process.Start("ln", [_inventory, _cli.PathOf("hard.csv")]))
        {
            ln.WaitForExit();
        }

        foreach (var spelling in new[] { _inventory, _cli.PathOf("sub/../inventory.csv"), _cli.PathOf("./inventory.csv"), _cli.PathOf("link.csv"), _cli.PathOf("hard.csv") })
        {
            var (exit, output, error) = Run(option, spelling);
            Assert.Equal(2, exit);
            Assert.Empty(output);
            Assert.StartsWith($"{option} {spelling} is ", error, StringComparison.Ordinal);
            AssertInventoryIntact();
        }
    }

    // The review's data loss: the destination was checked where the kernel finds the path (no such
    // file: a new one) and written where .NET's text made it (the inventory): exit 0, the inventory
    // replaced by its decisions. Every output of every command is checked by the one plan.
    [Theory]
    [InlineData("--out", "inventory.csv/.", "--out {0} is a folder name (its last name is '.'); give the path of a file to write (or - for standard output).")]
    [InlineData("--rejects", "inventory.csv/..", "--rejects {0} is a folder name (its last name is '..'); give the path of a file to write (or - for standard output).")]
    [InlineData("--out", "nosuch/../inventory.csv", "--out {0}: its folder does not exist; create the folder first or give another path.")]
    [InlineData("--alerts", "inventory.csv/../inventory.csv", "--alerts {0}: its folder does not exist; create the folder first or give another path.")]
    [InlineData("--out", "sub/./../inventory.csv", "--out {0} is the same file as --inventory {1}; writing it would destroy that file. Give --out a path of its own.")]
    public void Run_OutputSpelledWithDotsAsTheKernelReadsIt_NeverAnotherFile(string option, string relative, string message)
    {
        Directory.CreateDirectory(_cli.PathOf("sub"));
        var spelling = _cli.PathOf(relative);
        var (exit, output, error) = Run(option, spelling);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, spelling, _inventory) + "\n", error);
        AssertInventoryIntact();
    }

    // Every command's outputs are checked by the one plan: the policy a forecast reads, a tests file.
    [Fact]
    public void Output_EveryCommand_AnInputSpelledWithADot_RefusedAndIntact()
    {
        var policy = _cli.Write("p.json", PolicyCatalog.BuiltInText("secmp0060"));
        var tests = _cli.Write("p.tests.json", """{ "Policy": "p.json", "Cases": [ { "Name": "c", "Type": "ESME", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Remove" } } ] }""");
        var testsText = File.ReadAllText(tests);

        var forecast = _cli.Run("forecast", "--policy", policy, "--inventory", _inventory, "--from", "2019-11-07", "--months", "3", "--out", policy + "/.");
        var junit = _cli.Run("test", tests, "--junit", tests + "/.");
        var html = _cli.Run("diff", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--inventory", _inventory, "--as-of", "2019-11-07", "--html", _cli.PathOf("nosuch/../inventory.csv"));

        Assert.Equal((2, 2, 2), (forecast.Exit, junit.Exit, html.Exit));
        Assert.Equal(PolicyCatalog.BuiltInText("secmp0060"), File.ReadAllText(policy));
        Assert.Equal(testsText, File.ReadAllText(tests));
        AssertInventoryIntact();
    }

    [Fact]
    public void Run_OutputThroughALinkThenDotDot_WrittenWhereTheKernelPutsIt_TheInventoryIntact()
    {
        Directory.CreateDirectory(_cli.PathOf("elsewhere/sub"));
        File.CreateSymbolicLink(_cli.PathOf("link"), _cli.PathOf("elsewhere/sub"));

        var (exit, _, error) = Run("--out", _cli.PathOf("link/../inventory.csv")); // the kernel: elsewhere/inventory.csv

        Assert.True(exit == 0, error);
        Assert.StartsWith("device_id,action,", File.ReadAllText(_cli.PathOf("elsewhere/inventory.csv")), StringComparison.Ordinal);
        AssertInventoryIntact();
    }

    [Fact]
    public void Run_TwoNewOutputsOneFileThroughALinkedFolder_Refused()
    {
        Directory.CreateDirectory(_cli.PathOf("real"));
        File.CreateSymbolicLink(_cli.PathOf("alias"), "real");

        var (exit, _, error) = Run("--out", _cli.PathOf("real/decisions.csv"), "--alerts", _cli.PathOf("alias/decisions.csv"));

        Assert.Equal(2, exit);
        Assert.Equal($"--alerts {_cli.PathOf("alias/decisions.csv")} is the same file as --out {_cli.PathOf("real/decisions.csv")}; writing it would destroy that file. Give --alerts a path of its own.\n", error);
        Assert.Empty(Directory.GetFiles(_cli.PathOf("real")));
        AssertInventoryIntact();
    }

    // The second review's case: a bind mount of the outputs' folder. Two new files were told apart by
    // their paths' text: one output replaced the other (exit 0). Root only (mount), as CI runs.
    [Fact]
    public void Run_TwoNewOutputsOneFileThroughABindMount_Refused()
    {
        if (!OperatingSystem.IsLinux() || Smi.Retention.Files.Ownership.EffectiveUser != 0)
        {
            return;
        }

        Directory.CreateDirectory(_cli.PathOf("a"));
        Directory.CreateDirectory(_cli.PathOf("b"));
        Assert.Equal(0, Shell("mount --bind a b").Exit);
        try
        {
            var (exit, _, error) = Run("--out", _cli.PathOf("a/d.csv"), "--rejects", _cli.PathOf("b/d.csv"));

            Assert.Equal(2, exit);
            Assert.Equal($"--rejects {_cli.PathOf("b/d.csv")} is the same file as --out {_cli.PathOf("a/d.csv")}; writing it would destroy that file. Give --rejects a path of its own.\n", error);
        }
        finally
        {
            Shell("umount b");
        }
    }

    // The second review's cases. A name that is not UTF-8 reached .NET with U+FFFD in place of its
    // bytes, so --out $'\xfe.csv' replaced a file named '\uFFFD.csv' (exit 0).
    [Fact]
    public void RealProcess_ArgumentNotUtf8_RefusedAndTheFileItCouldBeTakenForKept()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var precious = _cli.Write("\uFFFD.csv", "precious\n");

        var (exit, error) = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out $'\\xfe.csv'");

        Assert.Equal(2, exit);
        Assert.StartsWith("Argument 9 (\uFFFD.csv) holds bytes that are not UTF-8", error, StringComparison.Ordinal);
        Assert.Equal("precious\n", File.ReadAllText(precious));
        AssertInventoryIntact();
    }

    // The third review's case: `test nu8` found a tests file whose name is not UTF-8 and read it by
    // its U+FFFD name, another file (whose case passed): "1 passed, 0 failed", the failing case never run.
    [Fact]
    public void RealProcess_TestsFoundByAFolderWithANameNotUtf8_Refused()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Directory.CreateDirectory(_cli.PathOf("nu8"));
        const string Case = """{ "Policy": "secmp0060", "Cases": [ { "Name": "c", "Type": "ESME", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "ACTION" } } ] }""";
        File.WriteAllText(_cli.PathOf("nu8/\uFFFD.tests.json"), Case.Replace("ACTION", "Remove", StringComparison.Ordinal));
        File.WriteAllText(_cli.PathOf("failing.json"), Case.Replace("ACTION", "Retain", StringComparison.Ordinal));
        Assert.Equal(0, Shell("mv failing.json nu8/$'\\xfe.tests.json'").Exit);

        var (exit, error) = Shell("TOOL test nu8; status=$?; rm -rf nu8; exit $status"); // removed here: .NET cannot name the file to delete it

        Assert.Equal(2, exit);
        Assert.Contains("whose name holds bytes that are not UTF-8", error, StringComparison.Ordinal);
    }

    // >(gzip > d.gz) is /dev/fd/63, a pipe with no name: the run went through, then failed (exit 74)
    // to open 'pipe:[...]' again. Refused before any work, saying what to do instead.
    [Fact]
    public void RealProcess_OutputIsAProcessSubstitution_RefusedBeforeAnyWork()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var (exit, error) = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out >(cat > /dev/null)");

        Assert.Equal(2, exit);
        Assert.Contains("is a pipe with no name (a process substitution such as >(gzip > d.gz)), which cannot be opened again", error, StringComparison.Ordinal);
        AssertInventoryIntact();
    }

    // test --junit creates its report's folder: lk/../new/j.xml made ./new (.NET's reading of the
    // text), then was refused as having no folder, leaving the stray folder behind.
    [Fact]
    public void Test_JunitFolderThroughALinkAndDotDot_MadeWhereTheKernelPutsIt()
    {
        Directory.CreateDirectory(_cli.PathOf("real/inner"));
        File.CreateSymbolicLink(_cli.PathOf("lk"), _cli.PathOf("real/inner"));
        var tests = _cli.Write("p.tests.json", """{ "Policy": "secmp0060", "Cases": [ { "Name": "c", "Type": "ESME", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Remove" } } ] }""");

        var (exit, _, error) = _cli.Run("test", tests, "--junit", _cli.PathOf("lk/../new/j.xml"));

        Assert.True(exit == 0, error);
        Assert.True(File.Exists(_cli.PathOf("real/new/j.xml")));
        Assert.False(Directory.Exists(_cli.PathOf("new")));
    }

    // The third review's case: a folder to be made where a link to a missing folder (or a file) is
    // said "File exists: dl", naming nothing wrong; the fourth's: a link to a file was called a link
    // to a missing folder, and a loop of links named no fix. Said as what it is; nothing made.
    [Theory]
    [InlineData("ln -s gone dl", "a link to nothing (what it names does not exist), not a folder, so no folder can be made there")]
    [InlineData("echo a > dl", "a regular file, not a folder, so no folder can be made there")]
    [InlineData("echo a > f && ln -s f dl", "a link to a regular file, not a folder, so no folder can be made there")]
    [InlineData("mkfifo fifo && ln -s fifo dl", "a link to a named pipe (FIFO), not a folder, so no folder can be made there")]
    [InlineData("mkfifo dl", "a named pipe (FIFO), not a folder, so no folder can be made there")]
    public void Test_JunitFolderWhereALinkOrFileIs_SaidWhatItIs(string setUp, string said)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(0, Shell(setUp).Exit);
        var tests = _cli.Write("p.tests.json", """{ "Policy": "secmp0060", "Cases": [ { "Name": "c", "Type": "ESME", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Remove" } } ] }""");

        var (exit, _, error) = _cli.Run("test", tests, "--junit", _cli.PathOf("dl/new/j.xml"));

        Assert.Equal(2, exit);
        Assert.Contains($"{_cli.PathOf("dl")} is {said}; give a path through folders that exist or can be made.", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_cli.PathOf("gone")));
    }

    // The fifth review's cases: the folders made before one that could not be made were left behind
    // ("Nothing was written", and p/newA stayed); a loop of links named no way out.
    [Fact]
    public void Test_JunitFolderThatCannotBeMade_NothingLeftOfTheWay()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Directory.CreateDirectory(_cli.PathOf("p"));
        _cli.Write("p/f", "a file\n");
        File.CreateSymbolicLink(_cli.PathOf("loop"), _cli.PathOf("loop"));
        var tests = _cli.Write("p.tests.json", """{ "Policy": "secmp0060", "Cases": [ { "Name": "c", "Type": "ESME", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Remove" } } ] }""");

        var (exit, _, error) = _cli.Run("test", tests, "--junit", _cli.PathOf("p/newA/newB/../../f/new/j.xml"));

        Assert.Equal(2, exit);
        Assert.Contains("is a regular file, not a folder", error, StringComparison.Ordinal);
        Assert.Equal(["f"], Directory.GetFileSystemEntries(_cli.PathOf("p")).Select(Path.GetFileName));

        var looped = _cli.Run("test", tests, "--junit", _cli.PathOf("loop/j.xml"));

        Assert.Equal(2, looped.Exit);
        Assert.Contains($"The folder {_cli.PathOf("loop")} cannot be made (Too many levels of symbolic links", looped.Error, StringComparison.Ordinal);
        Assert.Contains("give a path in a folder this user may write to, or make the folder first.", looped.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OutAndRejectsOneExistingFileByDotDot_Refused()
    {
        var decisions = _cli.Write("d.csv", "kept\n");

        var (exit, _, error) = Run("--out", decisions, "--rejects", _cli.PathOf("nosuch/../d.csv"));

        Assert.Equal(2, exit);
        Assert.Equal($"--rejects {_cli.PathOf("nosuch/../d.csv")}: its folder does not exist; create the folder first or give another path.\n", error);
        Assert.Equal("kept\n", File.ReadAllText(decisions));
    }

    [Fact]
    public void Run_OutputIsThePolicyFile_Refused()
    {
        var policy = _cli.Write("policy.json", PolicyCatalog.BuiltInText("secmp0060"));
        var (exit, _, error) = _cli.Run("run", "--policy", policy, "--inventory", _inventory, "--as-of", "2019-11-07", "--rejects", policy);
        Assert.Equal(2, exit);
        Assert.Equal($"--rejects {policy} is the same file as --policy {policy}; writing it would destroy that file. Give --rejects a path of its own.\n", error);
        Assert.Equal(PolicyCatalog.BuiltInText("secmp0060"), File.ReadAllText(policy));
    }

    [Fact]
    public void Run_OutAndRejectsTheSameFile_Refused()
    {
        var (exit, _, error) = Run("--out", _cli.PathOf("x.csv"), "--rejects", _cli.PathOf("./x.csv"));
        Assert.Equal(2, exit);
        Assert.Equal($"--rejects {_cli.PathOf("./x.csv")} is the same file as --out {_cli.PathOf("x.csv")}; writing it would destroy that file. Give --rejects a path of its own.\n", error);
        Assert.False(File.Exists(_cli.PathOf("x.csv")));
    }

    [Fact]
    public void Run_LinkPlantedAtTheOldTemporaryName_NotFollowed_EvenOnARefusedRun()
    {
        var victim = _cli.Write("victim.txt", "precious");
        var decisions = _cli.PathOf("decisions.csv");
        File.CreateSymbolicLink(decisions + ".partial", victim);

        Assert.Equal(3, Run("--out", decisions, "--max-removal-percent", "0").Exit); // refused by the guard
        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.False(File.Exists(decisions));

        Assert.Equal(0, Run("--out", decisions).Exit);
        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Equal(201, File.ReadAllLines(decisions).Length);
        Assert.Equal(["decisions.csv.partial"], Directory.GetFiles(_cli.Folder, "*.partial").Select(Path.GetFileName)); // only the planted link
    }

    [Fact]
    public void Run_DestinationIsASymbolicLink_RefusedAndTheLinkAndItsTargetKept()
    {
        var target = _cli.Write("target.csv", "kept");
        File.CreateSymbolicLink(_cli.PathOf("link.csv"), target);
        var (exit, _, error) = Run("--out", _cli.PathOf("link.csv"));
        Assert.Equal(2, exit);
        Assert.Equal($"--out {_cli.PathOf("link.csv")} is a symbolic link; the output would replace the link, not the file it points to. Give the path of the file itself.\n", error);
        Assert.Equal("kept", File.ReadAllText(target));
        Assert.NotNull(new FileInfo(_cli.PathOf("link.csv")).LinkTarget);
    }

    [Fact]
    public async Task Run_DestinationIsAFifo_WrittenThroughNotReplaced()
    {
        var fifo = _cli.PathOf("decisions.fifo");
        Fifo.Make(fifo);
        var reader = Task.Run(() => File.ReadAllText(fifo));

        var (exit, _, error) = Run("--out", fifo);

        Assert.True(exit == 0, error);
        var received = await reader.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(201, received.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Null(new FileInfo(fifo).LinkTarget);
        Assert.Equal(0, new FileInfo(fifo).Length); // still the pipe, not a file put in its place
        Assert.Empty(_cli.Leftovers());
    }

    [Fact]
    public void Run_DestinationIsACharacterDevice_WrittenThroughNotReplaced()
    {
        var (exit, _, error) = Run("--out", "/dev/null");
        Assert.True(exit == 0, error);
        Assert.Equal(FileKind.CharacterDevice, FileFacts.Of("/dev/null").Kind);
        Assert.Empty(_cli.Leftovers());
    }

    [Fact]
    public void Run_DashMeansStandardOutput_SummaryGoesToStandardError()
    {
        using var stdout = new MemoryStream();
        var (exit, output, error) = _cli.RunWith(null, stdout, default, "run", "--policy", "secmp0060", "--inventory", _inventory, "--as-of", "2019-11-07", "--out", "-");
        Assert.Equal(0, exit);
        Assert.Empty(output);
        Assert.Contains("Rows       200 read = 200 decided + 0 rejected", error, StringComparison.Ordinal);
        var lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("device_id,action,rule,due_date,alert", lines[0]);
        Assert.Equal(201, lines.Length);
        Assert.False(File.Exists(_cli.PathOf("-")));

        var twice = Run("--out", "-", "--rejects", "-");
        Assert.Equal(2, twice.Exit);
        Assert.Equal("--out and --rejects both write to standard output, where their rows would mix; send one of them to a file.\n", twice.Error);
    }

    [Fact]
    public void Run_RejectsIsADirectory_RefusedBeforeAnythingIsWritten()
    {
        var decisions = _cli.PathOf("decisions.csv");
        var (exit, _, error) = Run("--out", decisions, "--rejects", _cli.Folder);
        Assert.Equal(2, exit);
        Assert.Equal($"--rejects {_cli.Folder} is a directory; give the path of a file to write (or - for standard output).\n", error);
        Assert.False(File.Exists(decisions));
        AssertInventoryIntact();
    }

    [Theory]
    [InlineData("no/such/folder/decisions.csv", "--out {0}: its folder does not exist; create the folder first or give another path.")]
    [InlineData("decisions/", "--out {0} is a folder name (it ends with a separator); give the path of a file to write (or - for standard output).")]
    [InlineData("inventory.csv/x.csv", "--out {0}: its folder does not exist; create the folder first or give another path.")]
    public void Run_DestinationThatCannotBeAFile_Refused(string relative, string message)
    {
        var (exit, _, error) = Run("--out", _cli.PathOf(relative));
        Assert.Equal(2, exit);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, _cli.PathOf(relative)) + "\n", error);
        AssertInventoryIntact();
    }

    [Fact]
    public void Run_RefusedByTheGuard_ExistingDestinationUntouchedAndNothingLeft()
    {
        var decisions = _cli.Write("decisions.csv", "yesterday's decisions");
        Assert.Equal(3, Run("--out", decisions, "--rejects", _cli.PathOf("rejects.csv"), "--max-removals", "0").Exit);
        Assert.Equal("yesterday's decisions", File.ReadAllText(decisions));
        Assert.False(File.Exists(_cli.PathOf("rejects.csv")));
        AssertInventoryIntact();
    }

    [Theory]
    [InlineData("--max-removal-percent", "4,9", "--max-removal-percent '4,9' is not a percentage; write a number from 0 to 100 with digits and a '.' for decimals (at most 8), e.g. 4.9 (never a comma).")]
    [InlineData("--max-removal-percent", "2.439999999999999", "--max-removal-percent '2.439999999999999' is not a percentage;")]
    [InlineData("--max-removal-percent", " 5", "--max-removal-percent ' 5' is not a percentage;")]
    [InlineData("--max-removal-percent", "5%", "--max-removal-percent '5%' is not a percentage;")]
    [InlineData("--max-removal-percent", "1e2", "--max-removal-percent '1e2' is not a percentage;")]
    [InlineData("--max-removal-percent", "101", "--max-removal-percent '101' is not a percentage;")]
    [InlineData("--max-removal-percent", "NaN", "--max-removal-percent 'NaN' is not a percentage;")]
    [InlineData("--max-removals", "1,000", "--max-removals '1,000' is not a count; write a whole number of devices with digits only (at most 18 of them), e.g. 1200.")]
    [InlineData("--max-removals", "1234567890123456789", "--max-removals '1234567890123456789' is not a count; write a whole number of devices with digits only (at most 18 of them)")]
    [InlineData("--max-removals", "-1", "--max-removals '-1' is not a count;")]
    [InlineData("--max-reject-percent", "0,5", "--max-reject-percent '0,5' is not a percentage;")]
    public void Run_NumberInAnotherCultureOrForm_RefusedNeverMisread(string option, string value, string message)
    {
        var (exit, _, error) = Run(option, value, "--out", _cli.PathOf("d.csv"));
        Assert.Equal(2, exit);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("d.csv")));
    }

    /// <summary>An inventory on standard input that raises the interrupt when its reader reaches byte <paramref name="at"/> (its end when past it).</summary>
    private sealed class InterruptingStream(byte[] content, long at, CancellationTokenSource interrupt) : MemoryStream(content)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position + count > at)
            {
                interrupt.Cancel();
            }

            return base.Read(buffer, offset, Math.Min(count, 4096));
        }
    }

    public static TheoryData<int, int> InterruptPositions() => new() { { 0, 0 }, { 200_000, 1 }, { 200_000, 60 }, { 200_000, 99 }, { 200_000, 100 }, { 0, 100 } };

    [Theory]
    [MemberData(nameof(InterruptPositions))]
    public void Run_Interrupted_ExitsWithNothingWrittenAndNothingLeft(int rows, int percent)
    {
        var content = Encoding.UTF8.GetBytes(rows == 0 ? _original : Header + "\n" + string.Join("\n", Enumerable.Range(0, rows).Select(i => FormattableString.Invariant($"88-73-84-57-00-{i >> 16:X2}-{(i >> 8) & 0xFF:X2}-{i & 0xFF:X2},ESME,Commissioned,2015-01-01,"))) + "\n");
        var decisions = _cli.Write("decisions.csv", "yesterday's decisions");
        using var interrupt = new CancellationTokenSource();
        using var input = new InterruptingStream(content, content.LongLength * percent / 100, interrupt);

        var (exit, output, error) = _cli.RunWith(input, null, interrupt.Token, "run", "--policy", "secmp0060", "--inventory", "-", "--as-of", "2019-11-07", "--out", decisions, "--rejects", _cli.PathOf("rejects.csv"));

        Assert.Equal(130, exit);
        Assert.Empty(output);
        Assert.Equal("Interrupted: the run was stopped before it finished. No output was written, and no temporary file is left behind.\n", error);
        Assert.Equal("yesterday's decisions", File.ReadAllText(decisions));
        Assert.False(File.Exists(_cli.PathOf("rejects.csv")));
        Assert.Empty(_cli.Leftovers());
    }

    [Fact]
    public void Generate_OutIsADirectory_RefusedAndNothingCreated()
    {
        var (exit, _, error) = _cli.Run("generate", "--devices", "10", "--as-of", "2019-11-07", "--out", _cli.Folder);
        Assert.Equal(2, exit);
        Assert.StartsWith($"--out {_cli.Folder} is a directory", error, StringComparison.Ordinal);
        Assert.Empty(_cli.Leftovers());
    }

    [Fact]
    public void Diff_HtmlIsTheInventory_RefusedAndTheInventoryIntact()
    {
        var (exit, _, error) = _cli.Run("diff", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--inventory", _inventory, "--as-of", "2019-11-07", "--html", _cli.PathOf("./inventory.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("is the same file as --inventory", error, StringComparison.Ordinal);
        AssertInventoryIntact();
    }

    [Fact]
    public void Forecast_OutToStandardOutput_TableOnStandardOutput()
    {
        using var stdout = new MemoryStream();
        var (exit, output, error) = _cli.RunWith(null, stdout, default, "forecast", "--policy", "secmp0060", "--inventory", Path.Combine(Repository.Root(), "samples", "inventory.csv"), "--from", "2019-11-07", "--months", "3", "--out", "-");
        Assert.Equal(0, exit);
        Assert.Empty(output);
        Assert.Contains("Forecast   secmp0060", error, StringComparison.Ordinal);
        Assert.StartsWith("month_start,ESME,GSME,CHF,GPF,PPMID,HCALCS,IHD,CAD,total,cost_low,cost_high\n", Encoding.UTF8.GetString(stdout.ToArray()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("diff")]
    [InlineData("forecast")]
    public void Output_FileATimelineRefersTo_RefusedAndTheFileIntact(string command)
    {
        Directory.CreateDirectory(_cli.PathOf("policies"));
        var version = _cli.Write("policies/v.json", PolicyCatalog.BuiltInText("secmp0060"));
        var timeline = _cli.Write("policies/tl.json", """{ "TimelineName": "t", "Versions": [ { "Policy": "sec-ac72-v6.3" }, { "Policy": "v.json", "EffectiveFrom": "2020-01-01" } ] }""");
        string[] args = command switch
        {
            "run" => ["run", "--policy", timeline, "--inventory", _inventory, "--as-of", "2019-11-07", "--out", version],
            "diff" => ["diff", "--policy", "secmp0060", "--against", timeline, "--inventory", _inventory, "--as-of", "2019-11-07", "--html", version],
            _ => ["forecast", "--policy", timeline, "--inventory", _inventory, "--from", "2019-11-07", "--out", version],
        };

        var (exit, _, error) = _cli.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains("is the same file as --", error, StringComparison.Ordinal);
        Assert.Equal(PolicyCatalog.BuiltInText("secmp0060"), File.ReadAllText(version));
        Assert.Empty(_cli.Leftovers());
    }

    [Theory]
    [InlineData("--out", "--out is empty; give the path of a file to write (or - for standard output).")]
    [InlineData("--inventory", "--inventory is empty; give the inventory CSV file, or - for standard input.")]
    [InlineData("--policy", "--policy is empty; give a built-in policy name (see 'policies') or the path of a policy JSON file.")]
    public void Run_EmptyPath_ExitTwoSayingWhich(string option, string message)
    {
        var args = new Dictionary<string, string> { ["--policy"] = "secmp0060", ["--inventory"] = _inventory, ["--as-of"] = "2019-11-07", ["--out"] = _cli.PathOf("d.csv"), [option] = "" };
        var (exit, _, error) = _cli.Run(["run", .. args.SelectMany(a => new[] { a.Key, a.Value })]);
        Assert.Equal(2, exit);
        Assert.Equal(message + "\n", error);
    }

    /// <summary>Runs the real tool through the shell, so that its standard streams can be files and pipes.</summary>
    private (int Exit, string Error) Shell(string command)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "smi-retention.dll");
        var start = new ProcessStartInfo("/bin/bash", ["-o", "pipefail", "-c", command.Replace("TOOL", $"dotnet '{tool}'", StringComparison.Ordinal)])
        {
            WorkingDirectory = _cli.Folder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }

    /// <summary>
    /// Runs the tool with standard output (and standard error too, when <paramref name="standardErrorBlocked"/>;
    /// else to err.txt) on a full pipe nobody reads, and sends SIGTERM <paramref name="signals"/> times,
    /// a second apart, once d.csv holds the decisions (and <paramref name="last"/>, the last output
    /// committed, is there: on a busy machine a second can pass between two commits). Its exit code,
    /// then err.txt, on the result's error.
    /// </summary>
    private (int Exit, string Error) SignalledAfterTheCommit(string outputs, bool standardErrorBlocked, int signals, string last = "d.csv") => Shell($$"""
        { head -c 65536 /dev/zero; TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 {{outputs}} {{(standardErrorBlocked ? "" : "2>err.txt")}} & echo $! > pid; wait $!; echo $? > rc; } {{(standardErrorBlocked ? "2>&1" : "")}} | (sleep 40; cat > /dev/null) > /dev/null 2>&1 &
        reader=$!
        for i in $(seq 400); do head -c 9 d.csv 2>/dev/null | grep -q device_id && [ -e {{last}} ] && break; sleep 0.1; done
        for s in $(seq {{signals}}); do sleep 1; kill -TERM $(cat pid); done
        for i in $(seq 300); do [ -s rc ] && break; sleep 0.1; done
        cat rc >&2; [ -f err.txt ] && cat err.txt >&2
        pkill -P $reader; kill $reader 2>/dev/null || true
        """);

    // The review's case: every output committed, the summary blocked on a full standard output, and
    // a signal. The watchdog's account waited behind the blocked write (the console's writer on Unix
    // locks standard output for every write, standard error's too), so the process ended with exit
    // 130 and no word, which says nothing was written.
    [Fact]
    public void RealProcess_SignalWhileTheSummaryIsBlocked_TheAccountSaysWhatWasWritten()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        File.WriteAllText(_cli.PathOf("d.csv"), "OLD\n");
        var (exit, error) = SignalledAfterTheCommit("--out d.csv --rejects r.csv", standardErrorBlocked: false, signals: 1, last: "r.csv");

        Assert.True(exit == 0, error);
        Assert.StartsWith("130\n", error, StringComparison.Ordinal);
        Assert.Contains("--out d.csv and --rejects r.csv were written in full; no other output was.", error, StringComparison.Ordinal);
        Assert.StartsWith("device_id,", File.ReadAllText(_cli.PathOf("d.csv")), StringComparison.Ordinal);
    }

    // The third review's case: a second signal ends the run at once, by the signal's default action
    // (130, which says nothing was written) even when every output was committed. Now 74 then.
    [Fact]
    public void RealProcess_SecondSignalAfterTheCommit_ExitSeventyFour()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        File.WriteAllText(_cli.PathOf("d.csv"), "OLD\n");
        var (exit, error) = SignalledAfterTheCommit("--out d.csv", standardErrorBlocked: false, signals: 2);

        Assert.True(exit == 0, error);
        Assert.Equal("74\n", error);
        Assert.StartsWith("device_id,", File.ReadAllText(_cli.PathOf("d.csv")), StringComparison.Ordinal);
    }

    // The second review's case: standard output and error both on a full pipe nobody reads, every
    // output committed, and a signal. No account can get out, and 130 ("nothing written unless the
    // message names an output") would be false: the exit is 74, an output's state unknown.
    [Fact]
    public void RealProcess_SignalWithBothStreamsBlockedAfterTheCommit_ExitSeventyFour()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        File.WriteAllText(_cli.PathOf("d.csv"), "OLD\n");
        var (exit, error) = SignalledAfterTheCommit("--out d.csv", standardErrorBlocked: true, signals: 1);

        Assert.True(exit == 0, error);
        Assert.Equal("74\n", error);
        Assert.StartsWith("device_id,", File.ReadAllText(_cli.PathOf("d.csv")), StringComparison.Ordinal);
    }

    // Started with standard input closed, the process's descriptor 0 was the runtime's own pipe,
    // which only the process could end: the tool waited for ever (a cron job with `<&-`). Now
    // standard input is said to be closed, by '-' or by a name of descriptor 0, which is never read.
    [Theory]
    [InlineData("-", "--inventory - reads standard input, which is closed (the tool was started without it, as <&- does); give the inventory as a file, or as a pipe that another process writes and closes.")]
    [InlineData("/dev/stdin", "--inventory /dev/stdin is standard input, which is closed (the tool was started without it, as <&- does); give the inventory as a file, or as a pipe that another process writes and closes.")]
    [InlineData("/proc/self/fd/0", "--inventory /proc/self/fd/0 is standard input, which is closed")]
    public void RealProcess_StandardInputClosed_RefusedNotWaitedOn(string inventory, string said)
    {
        var (exit, error) = Shell($"timeout 60 TOOL run --policy secmp0060 --inventory {inventory} --as-of 2019-11-07 --out d.csv <&-");

        Assert.Equal(2, exit);
        Assert.Contains(said, error, StringComparison.Ordinal);
        Assert.Contains("as a file, or as a pipe that another process writes and closes.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Waiting for the pipe", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("d.csv")));
        Assert.Empty(_cli.Leftovers());
    }

    // The review's cases: a named pipe the tool was given open for writing too never ends (it was
    // waited on for ever); a pipe whose writer has written is read at once, and the tool said it
    // waited for a writer all the same.
    [Fact]
    public void RealProcess_NamedPipeHeldForWriting_Refused_PipeWithAWriter_NotSaidToBeWaitedOn()
    {
        var (exit, error) = Shell("mkfifo held.csv && timeout 60 TOOL run --policy secmp0060 --inventory held.csv --as-of 2019-11-07 --out d.csv 3<>held.csv");
        Assert.Equal(2, exit);
        Assert.Contains("held.csv can never end: it is a pipe whose writing end this process holds too", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("d.csv")));

        var (piped, pipedError) = Shell("cat inventory.csv | timeout 60 TOOL run --policy secmp0060 --inventory /dev/stdin --as-of 2019-11-07 --out d.csv");
        Assert.True(piped == 0, pipedError);
        Assert.DoesNotContain("Waiting for the pipe", pipedError, StringComparison.Ordinal);
        AssertInventoryIntact();
    }

    // A file named as a built-in in the working folder: the built-in was loaded and the file, the
    // one being edited, ignored. Refused; its path (./name) reads the file.
    [Fact]
    public void RealProcess_BuiltInNameThatAFileHereHasToo_Refused_ItsPathReadsTheFile()
    {
        File.WriteAllText(_cli.PathOf("secmp0060"), PolicyCatalog.BuiltInText("dcc-cr1022"));

        var (exit, error) = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out d.csv");
        Assert.Equal(2, exit);
        Assert.Equal("'secmp0060' names both a built-in policy and the file secmp0060: which is meant cannot be told, and the built-in would decide while the file is the one edited. Rename the file (a policy file's name ends in .json), or give its path as ./secmp0060.\n", error);
        Assert.False(File.Exists(_cli.PathOf("d.csv")));

        var (byPath, byPathError) = Shell("TOOL validate --policy ./secmp0060");
        Assert.True(byPath == 0, byPathError);
    }

    [Fact]
    public void RealProcess_InventoryOnStandardInput_CannotBeOverwritten()
    {
        var (exit, error) = Shell("TOOL run --policy secmp0060 --inventory - --as-of 2019-11-07 --out inventory.csv < inventory.csv");
        Assert.Equal(2, exit);
        Assert.Equal("--out inventory.csv is the same file as --inventory -; writing it would destroy that file. Give --out a path of its own.\n", error);
        AssertInventoryIntact();

        var appended = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out - >> inventory.csv");
        Assert.Equal(2, appended.Exit);
        Assert.Contains("is the same file as --inventory inventory.csv", appended.Error, StringComparison.Ordinal);
        AssertInventoryIntact();
    }

    [Fact]
    public void RealProcess_OutToDevStdoutThroughAPipe_TheCsvHoldsOnlyRows()
    {
        var (exit, error) = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out /dev/stdout | cat > piped.csv");
        Assert.True(exit == 0, error);
        Assert.Contains("Rows       200 read = 200 decided + 0 rejected", error, StringComparison.Ordinal); // the summary went to standard error
        var lines = File.ReadAllLines(_cli.PathOf("piped.csv"));
        Assert.Equal("device_id,action,rule,due_date,alert", lines[0]);
        Assert.Equal(201, lines.Length);

        var toFile = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out /dev/stdout > redirected.csv");
        Assert.True(toFile.Exit == 0, toFile.Error);
        Assert.Equal(201, File.ReadAllLines(_cli.PathOf("redirected.csv")).Length);
    }

    // Standard output as a file shared with standard error (2>&1) or with the next command: the
    // output is written at the shared offset, never over what the shell or another writer put there.
    [Fact]
    public void RealProcess_OutToStandardOutputRedirectedToAFile_NothingWrittenOver()
    {
        var (exit, error) = Shell("{ TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out - --alerts alerts.csv ; echo trailer ; } > both.txt 2>&1");
        Assert.True(exit == 0, error);
        var lines = File.ReadAllLines(_cli.PathOf("both.txt"));
        Assert.Equal("device_id,action,rule,due_date,alert", lines[0]);
        Assert.Equal(200, lines.Count(l => l.StartsWith("88-73-84-57-", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("Rows       200 read = 200 decided + 0 rejected", StringComparison.Ordinal));
        Assert.Equal("trailer", lines[^1]);

        var generated = Shell("{ TOOL generate --devices 3 --seed 1 --as-of 2021-06-30 --out - ; echo trailer ; } > generated.txt");
        Assert.True(generated.Exit == 0, generated.Error);
        Assert.Equal(["device_id,device_type,status,status_since,prior_statuses,smets_generation,device_model,notifying_party", "trailer"], File.ReadAllLines(_cli.PathOf("generated.txt")).Where(l => !l.Contains(',', StringComparison.Ordinal) || l.StartsWith("device_id", StringComparison.Ordinal)));
        Assert.Equal(5, File.ReadAllLines(_cli.PathOf("generated.txt")).Length);
    }

    [Fact]
    public void RealProcess_OutToStandardError_Refused()
    {
        var (exit, error) = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out /dev/stderr");
        Assert.Equal(2, exit);
        Assert.Equal("--out /dev/stderr is standard error, where the tool writes its messages; give a file, or - for standard output.\n", error);
    }

    // A commit that does not stop on the signal (here a write into a pipe whose reader took 72 KiB
    // and then nothing, blocked in the kernel) is ended by the watchdog after five seconds; it says
    // so, and what was written: the decisions in full, the evidence in part, with a count of bytes
    // that is an upper bound (a blocked write may have passed part of itself on), in the text and
    // in the JSON document's list. It used to end silently.
    [Fact]
    public void RealProcess_SignalDuringACommitThatDoesNotStop_TheWatchdogSaysWhatWasWritten()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // mkfifo and a reader that stops reading
        }

        _cli.Write("pending.csv", string.Join("\n", [Header, .. Enumerable.Range(0, 4000).Select(i => FormattableString.Invariant($"88-73-84-57-00-00-{i >> 8:X2}-{i & 0xFF:X2},ESME,Pending,2015-01-01,"))]) + "\n");
        var (exit, error) = Shell(
            "mkfifo evidence.fifo; (exec 3<evidence.fifo; sleep 1; dd bs=4096 count=18 iflag=fullblock <&3 of=got.bin 2>/dev/null; sleep 9; cat <&3 >> got.bin) & reader=$!; "
            + "TOOL run --policy secmp0060 --inventory pending.csv --as-of 2019-11-07 --out decisions.csv --evidence evidence.fifo --max-removal-percent 100 --format json > document.json & tool=$!; "
            + "while [ ! -e decisions.csv ]; do sleep 0.1; done; sleep 2; kill -TERM $tool; wait $tool; code=$?; wait $reader; exit $code");

        Assert.Equal(130, exit);
        var said = Assert.Single(System.Text.RegularExpressions.Regex.Matches(
            error,
            "^Interrupted: the command did not stop within 5 seconds of the signal, so it was ended while it wrote --evidence evidence.fifo. --out decisions.csv was written in full; no other output was; --evidence evidence.fifo was written in part \\(at most its first ([0-9,]+) bytes reached it\\), so whatever read it has an incomplete copy.\n$"));
        var reached = long.Parse(said.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(new FileInfo(_cli.PathOf("got.bin")).Length, 18 * 4096, reached);
        Assert.Equal(4001, File.ReadAllLines(_cli.PathOf("decisions.csv")).Length);

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(_cli.PathOf("document.json")));
        Assert.Equal("SMI1301", document.RootElement.GetProperty("code").GetString());
        Assert.Equal(
            ["--out d:True", "--evidence e:False"],
            document.RootElement.GetProperty("written").EnumerateArray().Select(w => $"{w.GetProperty("option").GetString()} {w.GetProperty("path").GetString()![0]}:{w.GetProperty("complete").GetBoolean()}"));
        Assert.Empty(_cli.Leftovers());
    }

    // The watchdog's words may not get out (standard error a pipe that is full and not read): the
    // process ends all the same, long before the pipe is read again.
    [Fact]
    public void RealProcess_SignalWithStandardErrorBlocked_TheWatchdogStillEndsTheProcess()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // named pipes
        }

        var (exit, error) = Shell(
            "mkfifo errors.fifo inventory.fifo; (exec 3<errors.fifo; exec sleep 60) > /dev/null 2>&1 & reader=$!; "
            + "exec 4>errors.fifo; head -c 65536 /dev/zero >&4; "
            + "TOOL run --policy secmp0060 --inventory inventory.fifo --as-of 2019-11-07 --out decisions.csv 2>&4 & tool=$!; exec 4>&-; "
            + "sleep 1; kill -TERM $tool; wait $tool; code=$?; "
            + "if kill -0 $reader 2>/dev/null; then echo 'ended while standard error was still unread' >&2; kill $reader; fi; exit $code");

        Assert.Equal(130, exit);
        Assert.Equal("ended while standard error was still unread\n", error);
        Assert.False(File.Exists(_cli.PathOf("decisions.csv")));
        Assert.Empty(_cli.Leftovers());
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("HUP")]
    [InlineData("QUIT")]
    [InlineData("USR1")]
    [InlineData("INT")]
    public async Task RealProcess_StoppingSignal_ExitsWithNothingWrittenAndNothingLeft(string signal)
    {
        var (process, decisions) = await RunWaitingForInput();
        using var _ = process;

        // Stop it as a service manager, a closed terminal or a user would.
        await Signal(process, signal);

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var error = await process.StandardError.ReadToEndAsync();
        Assert.Equal(130, process.ExitCode);
        Assert.Contains("Interrupted: the run was stopped before it finished.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal("yesterday's decisions", File.ReadAllText(decisions));
        Assert.False(File.Exists(_cli.PathOf("r.csv")));
        Assert.Empty(_cli.Leftovers());
    }

    // SIGXFSZ comes with a write past the file-size limit, whose failure the run reports (exit 74):
    // it is not a request to stop. Sent by hand mid-run, it neither ends the process (its default)
    // nor interrupts the run, which completes and writes every output.
    [Fact]
    public async Task RealProcess_FileSizeSignalByHand_RunCompletes()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // SIGXFSZ's handling is Linux's
        }

        var (process, decisions) = await RunWaitingForInput();
        using var _ = process;
        await Signal(process, "XFSZ");

        await Task.Delay(500); // the signal handled while the tool waits for its input
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var error = await process.StandardError.ReadToEndAsync();
        Assert.True(process.ExitCode == 0, error);
        Assert.Equal(1001, File.ReadAllLines(decisions).Length);
        Assert.True(File.Exists(_cli.PathOf("r.csv")));
        Assert.Empty(_cli.Leftovers());
    }

    /// <summary>
    /// A run reading its inventory from standard input, given the header and 1,000 rows and left
    /// waiting for more: its two temporary files open, yesterday's decisions in place.
    /// </summary>
    private async Task<(Process Process, string Decisions)> RunWaitingForInput()
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "smi-retention.dll");
        var decisions = _cli.Write("decisions.csv", "yesterday's decisions");
        var start = new ProcessStartInfo("dotnet", [tool, "run", "--policy", "secmp0060", "--inventory", "-", "--as-of", "2019-11-07", "--out", decisions, "--rejects", _cli.PathOf("r.csv")])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(Header);
        for (var i = 0; i < 1000; i++)
        {
            await process.StandardInput.WriteLineAsync(FormattableString.Invariant($"88-73-84-57-00-00-{i >> 8:X2}-{i & 0xFF:X2},ESME,Commissioned,2015-01-01,"));
        }

        await process.StandardInput.FlushAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Directory.GetFiles(_cli.Folder, "*.partial").Length < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(2, Directory.GetFiles(_cli.Folder, "*.partial").Length);
        return (process, decisions);
    }

    /// <summary>Sends <paramref name="signal"/> (a name kill takes, e.g. TERM) to the process.</summary>
    private static async Task Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    [Fact]
    public void RealProcess_SummaryAppendedToTheInventory_Refused()
    {
        var (exit, error) = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out d.csv >> inventory.csv");
        Assert.Equal(2, exit);
        Assert.Equal($"Standard output is the same file as --inventory inventory.csv: what the tool prints would be written into it. Redirect standard output elsewhere.\n", error);
        AssertInventoryIntact();
        Assert.False(File.Exists(_cli.PathOf("d.csv")));
    }

    [Fact]
    public void RealProcess_StandardErrorIsTheInventory_RefusedWithoutWritingIntoIt()
    {
        var (exit, _) = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out d.csv 2>> inventory.csv");
        Assert.Equal(2, exit);
        AssertInventoryIntact(); // the refusal is not appended to the file it protects

        var both = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out - >> inventory.csv 2>&1");
        Assert.Equal(2, both.Exit);
        AssertInventoryIntact();
        Assert.False(File.Exists(_cli.PathOf("d.csv")));
    }

    [Theory]
    [InlineData("TOOL validate --policy policy.json >> policy.json")]
    [InlineData("TOOL validate --policy policy.json --format json >> policy.json")]
    [InlineData("TOOL subset --policy policy.json --of secmp0060 >> policy.json")]
    [InlineData("TOOL explain --policy policy.json --inventory inventory.csv --device-id 88-73-84-57-00-00-00-01 --as-of 2019-11-07 >> inventory.csv")]
    [InlineData("TOOL validate --policy policy.json 2>> policy.json")]
    public void RealProcess_CommandWithoutOutputsPrintingIntoItsInput_RefusedWithoutWritingIntoIt(string command)
    {
        var policy = _cli.Write("policy.json", PolicyCatalog.BuiltInText("secmp0060"));
        var before = File.ReadAllText(policy);

        var (exit, _) = Shell(command);

        Assert.Equal(2, exit);
        Assert.Equal(before, File.ReadAllText(policy));
        AssertInventoryIntact();
    }

    [Theory]
    [InlineData("TOOL bogus 2>&-")]
    [InlineData("TOOL run --policy no-such-policy --inventory inventory.csv --as-of 2019-11-07 2>&-")]
    [InlineData("TOOL run --policy no-such-policy --inventory inventory.csv --as-of 2019-11-07 2>/dev/full")]
    public void RealProcess_UsageErrorWithStandardErrorClosedOrFull_StillExitTwo(string command)
    {
        var (exit, _) = Shell(command);
        Assert.Equal(2, exit);
    }

    // Standard output or standard error appended to a file already at the file-size limit: the
    // summary or document that cannot be printed is an output failure (74) in the tool's words,
    // not a bug (70); standard error is lost, and the process never aborts (134).
    [Theory]
    [InlineData("TOOL policies >> full.txt", 74, "")]
    [InlineData("TOOL forecast --policy secmp0060 --inventory inventory.csv --from 2019-11-07 --format json >> full.txt", 74, "")]
    [InlineData("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out d.csv >> full.txt", 74, "--out d.csv was written in full")]
    [InlineData("TOOL forecast --policy secmp0060 --inventory inventory.csv --from 2019-11-07 --months 0 2>> full.txt", 2, null)]
    [InlineData("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out - > /dev/null 2>> full.txt", 0, null)]
    public void RealProcess_StandardStreamAtTheFileSizeLimit_SaidOrLostNeverABug(string command, int expected, string? written)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // ulimit -f, truncate
        }

        var (exit, error) = Shell("truncate -s 67108864 full.txt; ulimit -f 65536; " + command);

        Assert.Equal(expected, exit);
        Assert.Equal(1L << 26, new FileInfo(_cli.PathOf("full.txt")).Length);
        if (written is not null)
        {
            Assert.StartsWith("Standard output could not be written (the file is larger than this process may write (a file-size limit: see ulimit -f)): ", error, StringComparison.Ordinal);
            Assert.Contains(written, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RealProcess_StandardOutputClosed_SaysSoInPlainWords()
    {
        var (exit, error) = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out - >&-");
        Assert.Equal(74, exit);
        Assert.Contains("--out - could not be written: standard output is closed. No output was written", error, StringComparison.Ordinal);
        Assert.DoesNotContain("..", error, StringComparison.Ordinal);

        var version = Shell("TOOL --version > /dev/full");
        Assert.Equal(74, version.Exit);
        Assert.StartsWith("Standard output could not be written (No space left on device): ", version.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void RealProcess_StandardOutputFullOrClosed_ExitSeventyFourNotABug()
    {
        var full = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out - > /dev/full");
        Assert.Equal(74, full.Exit);
        Assert.StartsWith("--out - could not be written: No space left on device", full.Error, StringComparison.Ordinal);
        Assert.Contains("No output was written, and no temporary file is left behind.", full.Error, StringComparison.Ordinal);

        var summary = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out d.csv > /dev/full");
        Assert.Equal(74, summary.Exit);
        Assert.StartsWith("Standard output could not be written (No space left on device)", summary.Error, StringComparison.Ordinal);
        Assert.Contains("--out d.csv was written in full", summary.Error, StringComparison.Ordinal); // the truth: it was committed
        Assert.Equal(201, File.ReadAllLines(_cli.PathOf("d.csv")).Length); // committed before the summary failed

        // A reader that leaves early: the decisions did not all arrive, and the exit code says so.
        File.WriteAllText(_cli.PathOf("big.csv"), Header + "\n" + string.Join("\n", Enumerable.Range(0, 200_000).Select(i => FormattableString.Invariant($"88-73-84-57-00-{i >> 16:X2}-{(i >> 8) & 0xFF:X2}-{i & 0xFF:X2},ESME,Commissioned,2015-01-01,"))) + "\n");
        var status = Shell("TOOL run --policy secmp0060 --inventory big.csv --as-of 2019-11-07 --out - | head -c 100 > /dev/null");
        Assert.Equal(74, status.Exit);
        Assert.Contains("Broken pipe", status.Error, StringComparison.Ordinal);
        Assert.Contains("--out - was written in part", status.Error, StringComparison.Ordinal); // rows did reach the reader: not "no output was written"
        Assert.DoesNotContain("No output was written, and", status.Error, StringComparison.Ordinal);
        Assert.Empty(_cli.Leftovers());

        // Standard output closed after the decisions were committed: 74, saying they were.
        var closed = Shell("TOOL run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out d2.csv >&-");
        Assert.Equal(74, closed.Exit);
        Assert.Contains("Standard output could not be written (it is closed)", closed.Error, StringComparison.Ordinal);
        Assert.Contains("--out d2.csv was written in full", closed.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(_cli.PathOf("d2.csv")));
    }
}

using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace Smi.Retention.Tests.Inventory;

/// <summary>
/// The tool reads an inventory in blocks of whole lines, parsed on several threads, and parses a
/// plain line straight from its bytes. Each shortcut is held to the line-by-line reader it
/// replaces: the same rows, line numbers and messages, whatever the bytes.
/// </summary>
public sealed class ParallelReadingTests
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";
    private const int MaxLine = 1 << 20; // LineReader.MaxLineBytes

    private static readonly string[] Types = ["ESME", "GSME", "CHF", "GPF", "PPMID", "HCALCS", "IHD", "CAD"];
    private static readonly string[] Statuses = ["Pending", "Whitelisted", "InstalledNotCommissioned", "Commissioned", "Decommissioned", "Withdrawn", "Suspended", "Recovery", "Recovered", "NotApplicable"];

    // ---- Blocks: the same rows as the line reader

    /// <summary>One line of a generated file: a row, a mutated row, an empty line, or a long run of bytes.</summary>
    public static Arbitrary<byte[]> Files() => Arb.From(
        from lines in Gen.ListOf(Gen.Frequency(
            (60, Row().Select(r => Encoding.UTF8.GetBytes(r))),
            (10, Row().SelectMany(r => Mutated(r))),
            (3, Gen.Constant(Array.Empty<byte>())),
            (2, Gen.Elements(MaxLine - 1, MaxLine, MaxLine + 1, (3 * MaxLine) / 2, 2 * MaxLine, 3 * MaxLine).Select(n => Enumerable.Repeat((byte)'x', n).ToArray()))))
        from endings in Gen.ListOf(Gen.Frequency((8, Gen.Constant("\n")), (1, Gen.Constant("\r\n"))), lines.Count)
        from lastEnds in Gen.Elements(true, false)
        select Join(lines, endings, lastEnds));

    [Property(Arbitrary = [typeof(ParallelReadingTests)], MaxTest = 60, QuietOnSuccess = true)]
    public void Blocks_AnyFile_SameRowsAsTheLineReader(byte[] file)
    {
        var expected = Readings.LineByLine(file);
        var actual = Readings.InBlocks(file);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void Blocks_LinesAcrossEveryBlockBoundaryOfAManyBlockFile_SameRowsAsTheLineReader()
    {
        // 120,000 rows (about 7 MB): several blocks, with lines of every length across their ends.
        var random = new Random(5);
        var text = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < 120_000; i++)
        {
            text.Append(RowText(random)).Append(i % 97 == 0 ? "\r\n" : "\n");
            if (i % 10_007 == 0)
            {
                text.Append(new string('y', random.Next(1, 100))).Append('\n');
            }
        }

        var file = Encoding.UTF8.GetBytes(text.ToString());
        var expected = Readings.LineByLine(file);
        Assert.True(expected.Count > 120_000);
        Assert.Equal(expected, Readings.InBlocks(file));
    }

    [Fact]
    public void Blocks_MillionsOfShortLines_AtMostMaxLinesABlock_SameRowsAsTheLineReader()
    {
        // Empty lines, one-byte lines and rows: a 2 MB block of them would otherwise be a million rows.
        var text = new StringBuilder(Header).Append('\n');
        text.Append('\n', 150_000).Append(string.Concat(Enumerable.Repeat("x\n", 150_000))).Append(RowText(new Random(4))).Append('\n').Append(string.Concat(Enumerable.Repeat("\r\n", 100_000))).Append(",,,,\n");
        var file = Encoding.UTF8.GetBytes(text.ToString());
        using var reader = InventoryReader.FromStream(new MemoryStream(file), "file");
        var blocks = reader.Blocks();
        var block = new LineBlock();
        var parsed = new InventoryRow[16];
        var parser = reader.NewParser();
        var rows = new List<InventoryRow>();
        while (blocks.Next(block))
        {
            Assert.InRange(block.Lines, 1, BlockReader.MaxLines);
            var count = block.Parse(parser, ref parsed);
            rows.AddRange(parsed.Take(count));
        }

        Assert.Equal(400_002, rows.Count);
        Assert.Equal(Readings.LineByLine(file), rows);
    }

    // Blocks end at MaxLines lines, or earlier: files of about that many lines, the last with or
    // without its line end, read from a stream that gives short reads of any size.
    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, true)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(16_384, false)]
    [InlineData(16_385, true)]
    public void Blocks_AboutMaxLinesLines_ShortReads_SameRowsAsTheLineReader(int extra, bool lastEnds)
    {
        var random = new Random(extra + 20);
        var text = new StringBuilder(Header).Append('\n');
        var lines = BlockReader.MaxLines + extra;
        for (var i = 0; i < lines; i++)
        {
            text.Append(i % 3 == 0 || i == lines - 1 ? RowText(random) : i % 3 == 1 ? "" : "x").Append(i < lines - 1 || lastEnds ? "\n" : "");
        }

        var file = Encoding.UTF8.GetBytes(text.ToString());
        var expected = Readings.LineByLine(file);
        Assert.Equal(lines, expected.Count);
        Assert.Equal(expected, Readings.InBlocks(file));
        Assert.Equal(expected, Readings.InBlocks(file, new ShortReads(file, new Random(extra))));
    }

    /// <summary>A stream that returns at most a random few bytes a read, as a pipe may.</summary>
    private sealed class ShortReads(byte[] bytes, Random random) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, random.Next(1, 5000)));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, random.Next(1, 5000))]);
    }

    [Fact]
    public void Blocks_OverlongLinesAtStartMiddleAndEnd_OneRejectEachWithItsLength()
    {
        var file = Join(
            [Enumerable.Repeat((byte)'a', 3 * MaxLine).ToArray(), Encoding.UTF8.GetBytes(RowText(new Random(1))), Enumerable.Repeat((byte)'b', MaxLine + 1).ToArray(), Enumerable.Repeat((byte)'c', 5 * MaxLine / 2).ToArray()],
            ["\n", "\n", "\r\n", "\n"],
            lastEnds: false);
        var rows = Readings.InBlocks(file);
        Assert.Equal(Readings.LineByLine(file), rows);
        Assert.Equal([2, 3, 4, 5], rows.Select(r => r.Line));
        Assert.Contains("3,145,728", rows[0].Error, StringComparison.Ordinal);
        Assert.True(rows[1].IsAccepted);
        Assert.Contains("1,048,578", rows[2].Error, StringComparison.Ordinal); // the '\r' counts, as the line reader counts it
        Assert.Contains("2,621,440", rows[3].Error, StringComparison.Ordinal);
    }

    // ---- The plain-line fast path: a subset of the general path, with the same rows

    public static Arbitrary<string> Lines() => Arb.From(Gen.Frequency(
        (4, Row()),
        (6, Row().SelectMany(r => Mutated(r)).Select(b => Encoding.UTF8.GetString(b))),
        (3, Row().SelectMany(r => Gen.Elements(
            r.ToLowerInvariant(), r.ToUpperInvariant(), r.Replace(",", " ,", StringComparison.Ordinal), r + ",", r + ",,", r.Replace("Pending", "Pending;;Commissioned;", StringComparison.Ordinal),
            r.Replace("-", "", StringComparison.Ordinal), r + ";Recovered", "\"" + r.Replace(",", "\",\"", StringComparison.Ordinal) + "\"", r.Replace("20", "2\u0660", StringComparison.Ordinal),
            r.Replace(",", "\t,", StringComparison.Ordinal), r.Replace("ESME", "ESME ", StringComparison.Ordinal), r.Replace("-01", "-32", StringComparison.Ordinal), r.Replace("2019", "0000", StringComparison.Ordinal))))));

    [Property(Arbitrary = [typeof(ParallelReadingTests)], MaxTest = 3000, QuietOnSuccess = true)]
    public void PlainPath_AnyLine_AcceptsOnlyWhatTheGeneralPathAccepts_WithTheSameRecord(string line)
    {
        foreach (var (header, asOf) in Headers)
        {
            var parser = InventoryReader.FromText(header + "\n", asOf).NewParser();
            var bytes = Encoding.UTF8.GetBytes(header.StartsWith("device_id", StringComparison.Ordinal) ? line : Reorder(line));
            var general = parser.ParseAny(7, bytes);
            if (parser.TryPlain(7, bytes, out var plain))
            {
                Assert.Equal(general, plain);
                Assert.Equal(general.Record.NotifyingParty, plain.Record.NotifyingParty);
                Assert.Equal((general.Record.Generation, general.Record.Model), (plain.Record.Generation, plain.Record.Model));
            }
            else
            {
                parser.Parse(7, bytes, out var parsed);
                Assert.Equal(general, parsed);
            }
        }
    }

    // One parser reads every line of a file and keeps the facts of the rows it met by their bytes:
    // each line, read again after the others (a hit), reads as the general path reads it alone.
    [Property(Arbitrary = [typeof(ParallelReadingTests)], MaxTest = 300, QuietOnSuccess = true)]
    public void PlainPath_OneParserForManyLines_EachLineAsTheGeneralPathReadsItAlone(string[] lines)
    {
        foreach (var (header, asOf) in Headers)
        {
            var reader = InventoryReader.FromText(header + "\n", asOf);
            var parser = reader.NewParser();
            var all = lines.Select(l => Encoding.UTF8.GetBytes(header.StartsWith("device_id", StringComparison.Ordinal) ? l : Reorder(l))).ToArray();
            foreach (var bytes in all.Concat(all.Reverse()).Concat(all))
            {
                var general = reader.NewParser().ParseAny(7, bytes);
                parser.Parse(7, bytes, out var parsed);
                Assert.Equal(general, parsed);
                Assert.Equal(general.Record.NotifyingParty, parsed.Record.NotifyingParty);
                Assert.Equal((general.Record.Generation, general.Record.Model), (parsed.Record.Generation, parsed.Record.Model));
            }
        }
    }

    // The fast path reads a row's facts in place, past the line's end when the caller's buffer goes
    // on (the next lines of a block): whatever follows a line, it reads as the line alone, met
    // first or again.
    [Property(Arbitrary = [typeof(ParallelReadingTests)], MaxTest = 300, QuietOnSuccess = true)]
    public void PlainPath_WhateverFollowsTheLine_EachLineAsTheGeneralPathReadsItAlone(string[] lines, byte[] after)
    {
        foreach (var (header, asOf) in Headers)
        {
            var reader = InventoryReader.FromText(header + "\n", asOf);
            var parser = reader.NewParser();
            var all = lines.Select(l => Encoding.UTF8.GetBytes(header.StartsWith("device_id", StringComparison.Ordinal) ? l : Reorder(l))).ToArray();
            foreach (var bytes in all.Concat(all))
            {
                var general = reader.NewParser().ParseAny(7, bytes);
                foreach (var following in new[] { after, "\n"u8.ToArray().Concat(bytes).ToArray(), new byte[128] })
                {
                    parser.Parse(7, bytes, [.. bytes, .. following], out var parsed);
                    Assert.Equal(general, parsed);
                    Assert.Equal(general.Record.NotifyingParty, parsed.Record.NotifyingParty);
                    Assert.Equal((general.Record.Generation, general.Record.Model), (parsed.Record.Generation, parsed.Record.Model));
                }
            }
        }
    }

    /// <summary>A row, and copies of it with a few bytes changed, inserted or removed anywhere.</summary>
    public sealed record MetRow(string Row, byte[][] Edited, byte[] After)
    {
        public override string ToString() => Row + " then " + string.Join(" | ", Edited.Select(Convert.ToHexString)) + " followed by " + Convert.ToHexString(After);
    }

    public static Arbitrary<MetRow> MetRows() => Arb.From(
        from row in Row()
        from edited in Gen.NonEmptyListOf(Mutated(row))
        from after in Gen.Elements<byte[]>([], new byte[128], Encoding.UTF8.GetBytes("\n" + row + "\n" + row), Enumerable.Repeat((byte)',', 100).ToArray())
        select new MetRow(row, [.. edited], after));

    // A row met before is found by its key with only its id and date read, its other bytes not
    // scanned (RowParser.TryMet): the same row with bytes changed anywhere (a quote, a comma, a zero,
    // a byte that is not ASCII, its date moved), read after it by the same parser, whatever follows
    // it in the buffer, reads as the general path reads it alone.
    [Property(Arbitrary = [typeof(ParallelReadingTests)], MaxTest = 2000, QuietOnSuccess = true)]
    public void PlainPath_ARowMetBeforeThenEdited_ReadsAsTheGeneralPathReadsItAlone(MetRow met)
    {
        foreach (var (header, asOf) in Headers.Where(h => h.Header.StartsWith("device_id", StringComparison.Ordinal)))
        {
            var reader = InventoryReader.FromText(header + "\n", asOf);
            var parser = reader.NewParser();
            foreach (var bytes in met.Edited.Prepend(Encoding.UTF8.GetBytes(met.Row)).Append(Encoding.UTF8.GetBytes(met.Row)))
            {
                var general = reader.NewParser().ParseAny(7, bytes);
                parser.Parse(7, bytes, [.. bytes, .. met.After], out var parsed);
                Assert.Equal(general, parsed);
                Assert.Equal(general.Record.NotifyingParty, parsed.Record.NotifyingParty);
                Assert.Equal((general.Record.Generation, general.Record.Model), (parsed.Record.Generation, parsed.Record.Model));
            }
        }
    }

    // Rows that differ from a row met before in one fact only, each value a byte away from another
    // (a longer status, a history one entry longer, another generation): never that row's facts.
    [Fact]
    public void PlainPath_FactsAByteApart_EachRowReadsItsOwn()
    {
        var reader = InventoryReader.FromText(InventoryColumns.FullHeader + "\n", new LocalDate(2026, 11, 28));
        var parser = reader.NewParser();
        string[] facts =
        [
            "ESME,Pending,Commissioned,SMETS2,M,P", "ESME,Pending,Commissioned;Pending,SMETS2,M,P", "ESME,Pending,,SMETS2,M,P",
            "ESME,Pending,Commissioned,SMETS1,M,P", "ESME,Pending,Commissioned,,M,P", "ESME,Pending,Commissioned,SMETS2,MP,",
            "ESME,Pending,Commissioned,SMETS2,,MP", "GSME,Pending,Commissioned,SMETS2,M,P", "ESME,Commissioned,Commissioned,SMETS2,M,P",
            "ESME,Pending,Commissioned,SMETS2,M,P ", "ESME,Pending,Commissioned,SMETS3,M,P", "CHF,Pending,Commissioned,SMETS2,M,P",
        ];
        var random = new Random(13);
        for (var i = 0; i < 600; i++)
        {
            var parts = facts[random.Next(facts.Length)].Split(',');
            var id = string.Join("-", Enumerable.Range(0, 8).Select(_ => random.Next(256).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
            var line = Encoding.UTF8.GetBytes($"{id},{parts[0]},{parts[1]},2020-0{1 + random.Next(9)}-1{random.Next(10)},{string.Join(",", parts.Skip(2))}");
            parser.Parse(i, line, out var parsed);
            Assert.Equal(reader.NewParser().ParseAny(i, line), parsed);
            if (parsed.IsAccepted)
            {
                Assert.Equal((parts[4].Length == 0 ? null : parts[4], parts[5].Trim().Length == 0 ? null : parts[5].Trim()), (parsed.Record.Model, parsed.Record.NotifyingParty));
            }
        }
    }

    [Fact]
    public void PlainPath_TheRowsTheGeneratorWrites_AreAllTakenByTheFastPath()
    {
        // The fast path must carry the common row, or it is only a slower detour.
        var random = new Random(3);
        var parser = InventoryReader.FromText(Header + ",notifying_party\n", new LocalDate(2026, 11, 28)).NewParser();
        for (var i = 0; i < 2000; i++)
        {
            var line = RowText(random) + (i % 2 == 0 ? ",Supplier " + i : ",");
            Assert.True(parser.TryPlain(i, Encoding.UTF8.GetBytes(line), out var row), line);
            Assert.True(row.IsAccepted);
        }

        // And with every column generate writes, recorded or not.
        var full = InventoryReader.FromText(InventoryColumns.FullHeader + "\n", new LocalDate(2026, 11, 28)).NewParser();
        string[] details = [",SMETS2,Brack E2-410,Supplier A", ",smets1,Aldor E1-100,", ",,Hub North 1,Supplier B", ",,,"];
        for (var i = 0; i < 2000; i++)
        {
            var line = RowText(random) + details[i % details.Length];
            Assert.True(full.TryPlain(i, Encoding.UTF8.GetBytes(line), out var row), line);
            Assert.True(row.IsAccepted);
        }
    }

    // The fast path keeps the values it met lately by their bytes: many values sharing its slots still read as themselves.
    [Fact]
    public void PlainPath_ManyModelsAndParties_EachRowKeepsItsOwn()
    {
        var parser = InventoryReader.FromText(Smi.Retention.Inventory.InventoryColumns.FullHeader + "\n", new LocalDate(2026, 11, 28)).NewParser();
        var random = new Random(5);
        for (var i = 0; i < 20_000; i++)
        {
            var model = "Model " + random.Next(700).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var party = "Supplier " + (char)('A' + random.Next(26)) + random.Next(40).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var line = RowText(random) + ",SMETS2," + model + "," + party;
            Assert.True(parser.TryPlain(i, Encoding.UTF8.GetBytes(line), out var row), line);
            Assert.Equal((model, party), (row.Record.Model, row.Record.NotifyingParty));
        }
    }

    // Facts too long to keep by their bytes (past DetailsTable.MaxKeptBytes, or LineKey.MaxLength in
    // the common layout) are read for each row: never another long row's, in either layout.
    [Theory]
    [InlineData("")]
    [InlineData(",extra")]
    public void PlainPath_FactsTooLongToKeep_EachRowReadsItsOwn(string extraColumn)
    {
        var parser = InventoryReader.FromText(InventoryColumns.FullHeader + extraColumn + "\n", new LocalDate(2026, 11, 28)).NewParser();
        var random = new Random(21);
        for (var i = 0; i < 200; i++)
        {
            var party = "Supplier " + new string((char)('A' + (i % 26)), 100 + (i % 7) * 30);
            var line = RowText(random) + ",SMETS2," + new string('M', 64) + "," + party + (extraColumn.Length > 0 ? ",x" : "");
            Assert.True(parser.TryPlain(i, Encoding.UTF8.GetBytes(line), out var row), line);
            Assert.Equal(party, row.Record.NotifyingParty);
        }
    }

    // The pair is kept by both values' bytes: a party and a model that join into the same bytes, or
    // a row with only one of them, are never taken for another row's pair.
    [Fact]
    public void PlainPath_PairsWhoseBytesJoinAlike_EachRowKeepsItsOwn()
    {
        var parser = InventoryReader.FromText(Smi.Retention.Inventory.InventoryColumns.FullHeader + "\n", new LocalDate(2026, 11, 28)).NewParser();
        (string? Model, string? Party)[] pairs = [("AB", "C"), ("A", "BC"), ("ABC", null), (null, "ABC"), ("AB", "C"), (null, null), ("A", "BC")];
        var random = new Random(9);
        for (var i = 0; i < 200; i++)
        {
            var (model, party) = pairs[i % pairs.Length];
            var line = RowText(random) + ",SMETS1," + model + "," + party;
            Assert.True(parser.TryPlain(i, Encoding.UTF8.GetBytes(line), out var row), line);
            Assert.Equal((model, party), (row.Record.Model, row.Record.NotifyingParty));
        }
    }

    [Theory]
    [InlineData("0123456789ABCDEFabcdef")]
    [InlineData("GgZz-_ \u00e9")]
    public void DeviceIds_FromBytesAndFromText_SameIdOrBothRefused(string alphabet)
    {
        var random = new Random(11);
        for (var i = 0; i < 20_000; i++)
        {
            var text = string.Join("-", Enumerable.Range(0, 8).Select(_ => new string([alphabet[random.Next(alphabet.Length)], alphabet[random.Next(alphabet.Length)]])));
            if (random.Next(10) == 0)
            {
                text = text.Remove(random.Next(text.Length), 1).Insert(random.Next(text.Length - 1), alphabet[random.Next(alphabet.Length)].ToString());
            }

            var fromText = DeviceId.TryParse(text, out var a);
            var fromBytes = DeviceId.TryParseUtf8(Encoding.UTF8.GetBytes(text), out var b);
            Assert.Equal(fromText, fromBytes);
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void Names_FromBytes_EveryNameInAnyCaseAndNothingElse()
    {
        var random = new Random(2);
        foreach (var name in Types.Concat(Statuses))
        {
            for (var i = 0; i < 50; i++)
            {
                var cased = new string(name.Select(c => random.Next(2) == 0 ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)).ToArray());
                Assert.Equal(DeviceTypes.TryParse(cased, out var type), EnumNames<DeviceType>.TryParseAscii(Encoding.ASCII.GetBytes(cased), out var type2));
                Assert.Equal(type, type2);
                Assert.Equal(SmiStatuses.TryParse(cased, out var status), EnumNames<SmiStatus>.TryParseAscii(Encoding.ASCII.GetBytes(cased), out var status2));
                Assert.Equal(status, status2);
            }
        }

        // Every byte of every name changed to every other byte: read as the text path reads it (the
        // names are compared a word at a time, so each position of a word must count).
        foreach (var name in Types.Concat(Statuses))
        {
            for (var at = 0; at < name.Length; at++)
            {
                for (var b = 0; b < 256; b++)
                {
                    var bytes = Encoding.ASCII.GetBytes(name);
                    bytes[at] = (byte)b;
                    var text = Encoding.Latin1.GetString(bytes);
                    Assert.Equal(DeviceTypes.TryParse(text, out var type) && !text.Contains(' ', StringComparison.Ordinal), EnumNames<DeviceType>.TryParseAscii(bytes, out var type2));
                    Assert.Equal(type, type2);
                    Assert.Equal(SmiStatuses.TryParse(text, out var status) && !text.Contains(' ', StringComparison.Ordinal), EnumNames<SmiStatus>.TryParseAscii(bytes, out var status2));
                    Assert.Equal(status, status2);
                }
            }
        }

        foreach (var text in new[] { "", "E", "ESM", "ESMEE", "CHD", "CAF", "Pendin", "Pendingg", "Recoverx", "IHD ", " IHD", "1", "@SME", "[SME", "\u00c9SME" })
        {
            Assert.False(EnumNames<DeviceType>.TryParseAscii(Encoding.UTF8.GetBytes(text), out _), text);
            Assert.False(EnumNames<SmiStatus>.TryParseAscii(Encoding.UTF8.GetBytes(text), out _), text);
        }
    }

    [Fact]
    public void Commas_LinesOfEveryLength_FoundInOrderAndCountedPastTheRoom()
    {
        var random = new Random(9);
        for (var length = 0; length < 140; length++)
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var line = Enumerable.Range(0, length).Select(_ => random.Next(6) == 0 ? (byte)',' : (byte)'a').ToArray();
                var expected = Enumerable.Range(0, length).Where(i => line[i] == ',').ToArray();
                var room = new int[4];
                var count = PlainCsv.Commas(line, room);
                Assert.Equal(Math.Min(expected.Length, room.Length + 1), count);
                Assert.Equal(expected.Take(room.Length), room.Take(Math.Min(count, room.Length)));
            }
        }
    }

    [Fact]
    public void Commas_AnOddByteAnywhere_TheLineIsNotPlain()
    {
        byte[] odd = [0, 9, (byte)'\r', 0x1F, (byte)'"', 0x7F, 0x80, 0xC3, 0xFF];
        for (var length = 1; length < 100; length++)
        {
            for (var at = 0; at < length; at++)
            {
                foreach (var b in odd)
                {
                    var line = Enumerable.Repeat((byte)'a', length).ToArray();
                    line[at] = b;
                    Assert.Equal(-1, PlainCsv.Commas(line, new int[length]));
                }

                var plain = Enumerable.Repeat((byte)'a', length).ToArray();
                plain[at] = (byte)'~';
                Assert.Equal(0, PlainCsv.Commas(plain, new int[2]));
            }
        }
    }

    // ---- Repeated ids: found after the pass, partitioned, spilled beyond the budget

    public static Arbitrary<ulong[]> Ids() => Arb.From(
        from count in Gen.Choose(0, 30_000)
        from range in Gen.Elements(10UL, 1_000UL, 40_000UL, ulong.MaxValue)
        from ids in Gen.ArrayOf(Gen.Choose(0, int.MaxValue).Select(n => range == ulong.MaxValue ? (ulong)n * 0x9E3779B97F4A7C15UL : (ulong)n % range), count)
        select ids);

    /// <summary>
    /// The ids a run's rejects name are looked up among its valid rows' ids: repeated are the ids
    /// added twice here, and those of the other collection added here too, however often either
    /// occurs there; an id only in the other collection, once or many times, is not. In memory and
    /// spilled, however the collections were sized (the other made alongside after ids were added).
    /// </summary>
    [Property(Arbitrary = [typeof(ParallelReadingTests)], MaxTest = 40, QuietOnSuccess = true)]
    public void SeenIds_AlsoFound_RepeatedAreThoseAddedTwiceOrAlsoHere(ulong[] ids, ulong[] named)
    {
        var here = ids.ToHashSet();
        var expected = ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).Concat(named.Where(here.Contains)).Select(id => new DeviceId(id)).ToHashSet();
        foreach (var (budget, expectedSize) in new[] { (Smi.Retention.Inventory.SeenDeviceIds.MemoryBudget, 0L), (0L, 0L), (0L, ids.Length), (Smi.Retention.Inventory.SeenDeviceIds.MemoryBudget, 40_000_000L) })
        {
            var folder = Directory.CreateTempSubdirectory("smi-spill-");
            try
            {
                using var seen = new Smi.Retention.Inventory.SeenDeviceIds(expectedSize, budget, folder.FullName);
                foreach (var id in ids.Take(ids.Length / 2))
                {
                    seen.Add(new DeviceId(id));
                }

                using var alsoFound = seen.Alongside(budget);
                foreach (var id in ids.Skip(ids.Length / 2))
                {
                    seen.Add(new DeviceId(id));
                }

                foreach (var id in named)
                {
                    alsoFound.Add(new DeviceId(id));
                }

                var repeated = seen.Repeated(alsoFound, CancellationToken.None);
                Assert.True(expected.SetEquals(repeated.ToArray()));
                Assert.All(named, id => Assert.Equal(expected.Contains(new DeviceId(id)), repeated.Contains(new DeviceId(id))));
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        }
    }

    [Property(Arbitrary = [typeof(ParallelReadingTests)], MaxTest = 40, QuietOnSuccess = true)]
    public void SeenIds_InMemoryOrSpilled_OneByOneOrInBatches_RepeatedAreExactlyThoseAddedTwice(ulong[] ids)
    {
        var expected = ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => new DeviceId(g.Key)).ToHashSet();
        // One by one, and as records in batches of every size from 1 (the run's pass adds a chunk's records at once).
        var records = ids.Select(id => new DeviceRecord(new DeviceId(id), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2020, 1, 1))).ToArray();
        foreach (var (budget, batch) in new[] { (Smi.Retention.Inventory.SeenDeviceIds.MemoryBudget, 0), (0, 0), (Smi.Retention.Inventory.SeenDeviceIds.MemoryBudget, 1), (0, 7), (0, 1000) })
        {
            var folder = Directory.CreateTempSubdirectory("smi-spill-");
            try
            {
                using (var seen = new Smi.Retention.Inventory.SeenDeviceIds(ids.Length / 2, budget, folder.FullName))
                {
                    if (batch == 0)
                    {
                        foreach (var id in ids)
                        {
                            seen.Add(new DeviceId(id));
                        }
                    }
                    else
                    {
                        foreach (var chunk in records.Chunk(batch))
                        {
                            seen.Add(chunk);
                        }
                    }

                    Assert.Equal(ids.Length, seen.Count);
                    Assert.True(budget == 0 || seen.Spilled == 0);
                    var repeated = seen.Repeated(CancellationToken.None);
                    Assert.True(expected.SetEquals(repeated.ToArray()));
                    Assert.Equal(expected.Count, repeated.Count);
                    Assert.All(ids, id => Assert.Equal(expected.Contains(new DeviceId(id)), repeated.Contains(new DeviceId(id))));
                    Assert.Empty(folder.GetFiles()); // the spill file has no name once opened
                }

                Assert.Empty(folder.GetFiles());
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        }
    }

    [Theory]
    [InlineData(Smi.Retention.Inventory.SeenDeviceIds.MemoryBudget)]
    [InlineData(0L)]
    public void SeenIds_RecordsInBatchesFillingManySegments_CountedAndRepeatedExactly(long budget)
    {
        // Enough ids that every partition fills segments (1,024 ids each) many times over, in
        // batches as the pass adds them: the count is kept across each segment's retirement.
        var ids = Enumerable.Range(0, 300_000).Select(i => (ulong)i * 7919).Concat<ulong>([7919UL * 5, 7919UL * 299_999, 0, 0]).ToArray();
        var records = ids.Select(id => new DeviceRecord(new DeviceId(id), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2020, 1, 1))).ToArray();
        var folder = Directory.CreateTempSubdirectory("smi-spill-");
        try
        {
            using var seen = new Smi.Retention.Inventory.SeenDeviceIds(ids.Length, budget, folder.FullName);
            foreach (var chunk in records.Chunk(16_384))
            {
                seen.Add(chunk);
            }

            Assert.Equal(ids.Length, seen.Count);
            Assert.Equal(budget == 0, seen.Spilled > 0);
            var repeated = seen.Repeated(CancellationToken.None);
            Assert.Equal([new DeviceId(0), new DeviceId(7919 * 5), new DeviceId(7919UL * 299_999)], repeated.ToArray().Order());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void SeenIds_OverBudget_SpilledToAFileThatHasNoName_AndStillExact()
    {
        var folder = Directory.CreateTempSubdirectory("smi-spill-");
        try
        {
            using var seen = new Smi.Retention.Inventory.SeenDeviceIds(300_000, memoryBudget: 64L << 10, folder.FullName);
            for (var i = 0UL; i < 300_000; i++)
            {
                seen.Add(new DeviceId(i * 7919));
            }

            seen.Add(new DeviceId(0));
            seen.Add(new DeviceId(7919 * 123_456));
            seen.Add(new DeviceId(0));
            Assert.True(seen.Spilled > 2_000_000, $"{seen.Spilled} bytes spilled");
            Assert.Empty(folder.GetFiles());
            Assert.Equal([new DeviceId(0), new DeviceId(7919 * 123_456)], seen.Repeated(CancellationToken.None).ToArray().Order());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void SeenIds_OneIdOnEveryRow_OneRepeatedDevice_AndACancelledCheckStops()
    {
        using var seen = new Smi.Retention.Inventory.SeenDeviceIds(1_000_000);
        for (var i = 0; i < 1_000_000; i++)
        {
            seen.Add(new DeviceId(42));
        }

        seen.Add(new DeviceId(43));
        Assert.Equal([new DeviceId(42)], seen.Repeated(CancellationToken.None).ToArray());
        Assert.ThrowsAny<OperationCanceledException>(() => seen.Repeated(new CancellationToken(canceled: true)));
    }

    [Fact]
    public void SeenIds_IdsMadeToCollideUnderAnUnkeyedHash_SpreadOverPartitionsAndSlots()
    {
        // Ids whose unkeyed hash is k << 24: without a key they share one partition and one slot,
        // and checking them would be quadratic (a file can be written so: the hash is invertible).
        var crafted = Enumerable.Range(1, 20_000).Select(k => Unmix((ulong)k << 24)).ToArray();
        Assert.All(crafted.Take(100), (id, k) => Assert.Equal((ulong)(k + 1) << 24, Smi.Retention.Inventory.SeenDeviceIds.Mix(id)));

        using var seen = new Smi.Retention.Inventory.SeenDeviceIds(crafted.Length);
        var largest = crafted.GroupBy(seen.PartitionOf).Max(g => g.Count());
        Assert.True(largest < crafted.Length / 10, $"{largest} of {crafted.Length} ids in one partition");

        var repeated = new Smi.Retention.Inventory.RepeatedIds();
        foreach (var id in crafted)
        {
            repeated.Add(id);
        }

        var homes = crafted.Select(repeated.Home).Distinct().Count();
        Assert.True(homes > crafted.Length / 4, $"{homes} distinct home slots for {crafted.Length} ids");
    }

    [Fact]
    public void SeenIds_SpillFolderMissing_RefusedAsAnInputOutputFailureNamingTheFolder()
    {
        var missing = Path.Combine(Path.GetTempPath(), "smi-no-such-folder-" + Guid.NewGuid().ToString("N"));
        using var seen = new Smi.Retention.Inventory.SeenDeviceIds(0, memoryBudget: 0, missing);
        var e = Assert.Throws<Smi.Retention.Inventory.SpillFailedException>(() =>
        {
            for (var i = 0UL; i < 100_000; i++)
            {
                seen.Add(new DeviceId(i));
            }
        });
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("TMPDIR", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("The device ids checked for repeats could not be kept in the temporary file ", e.Message, StringComparison.Ordinal); // a library's message: a host runs no tool
        Assert.DoesNotContain("Nothing was written", e.Message, StringComparison.Ordinal); // and writes no file
    }

    // ---- helpers

    /// <summary>The inverse of <c>SeenDeviceIds.Mix</c> (murmur's fmix64).</summary>
    private static ulong Unmix(ulong z)
    {
        z ^= z >> 33;
        z *= Inverse(0xC4CEB9FE1A85EC53UL);
        z ^= z >> 33;
        z *= Inverse(0xFF51AFD7ED558CCDUL);
        return z ^ (z >> 33);
    }

    /// <summary>The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration).</summary>
    private static ulong Inverse(ulong a)
    {
        var x = a;
        for (var i = 0; i < 6; i++)
        {
            x *= 2 - (a * x);
        }

        return x;
    }

    private static readonly (string Header, LocalDate? AsOf)[] Headers =
    [
        (Header, null),
        (Header + ",notifying_party", new LocalDate(2019, 11, 7)),
        (Header + ",smets_generation,device_model,notifying_party", new LocalDate(2026, 11, 28)),
        ("prior_statuses,status_since,status,device_type,device_id,extra", new LocalDate(2030, 1, 1)),
    ];

    /// <summary>The line with its five values in the reversed order of the third header (and an empty extra column).</summary>
    private static string Reorder(string line)
    {
        var values = line.Split(',');
        return values.Length < 5 ? line : string.Join(",", values.Take(5).Reverse()) + "," + string.Join(",", values.Skip(5));
    }

    private static Gen<string> Row() =>
        from id in Gen.ArrayOf(Gen.Choose(0, 255), 8)
        from type in Gen.Elements(Types)
        from status in Gen.Elements(Statuses)
        from year in Gen.Choose(2012, 2031)
        from month in Gen.Choose(1, 12)
        from day in Gen.Choose(1, 31)
        from prior in Gen.Elements("", "Pending", "Commissioned;Decommissioned", "Pending;Installed", "Whitelisted;")
        from party in Gen.Elements(
            "", ",", ",S1", ", spaced ,", ",\u00e9t\u00e9", ",a,b",
            ",SMETS2,Brack E2-410,Supplier A", ",smets1,,", ",,Aldor E1-100,", ", SMETS2 , Hub North 1 ,S", ",SMETS3,M,P", ",SMETS 2,M,P", ",2,M,P", ",Unknown,M,P",
            ",SMETS1," + new string('m', 64) + ",P", ",SMETS1," + new string('m', 65) + ",P", ",SMETS2,Mod\u00e8le,P", ",SMETS2,a\u200Bb,P", ",SMETS2,a\u0301,P", ",SMETS2,\"Hub, North\",P",
            ",SMETS2," + string.Concat(Enumerable.Repeat("\U0001D7CE", 64)) + ",P", ",SMETS2," + string.Concat(Enumerable.Repeat("\U0001D7CE", 65)) + ",P")
        select string.Join("-", id.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))) + "," + type + "," + status + ","
            + FormattableString.Invariant($"{year:D4}-{month:D2}-{day:D2}") + "," + prior + party;

    private static string RowText(Random random)
    {
        var status = Statuses[random.Next(9)];
        return string.Join("-", Enumerable.Range(0, 8).Select(_ => random.Next(256).ToString("X2", System.Globalization.CultureInfo.InvariantCulture))) + ","
            + Types[random.Next(6)] + "," + status + "," + FormattableString.Invariant($"{random.Next(2012, 2026)}-{random.Next(1, 13):D2}-{random.Next(1, 29):D2}")
            + (status == "Pending" ? ",Commissioned;Pending" : ",Pending"); // a history of the current status alone cannot be
    }

    private static Gen<byte[]> Mutated(string row) =>
        from count in Gen.Choose(1, 3)
        from edits in Gen.ListOf(Gen.Choose(0, 1000).SelectMany(at => Gen.Elements<byte>((byte)'"', (byte)',', (byte)';', (byte)' ', (byte)'-', (byte)'\r', 0, 0x1B, 0x7F, 0xC3, 0xFF, (byte)'z').Select(b => (at, b))), count)
        select Edit(Encoding.UTF8.GetBytes(row), edits);

    private static byte[] Edit(byte[] bytes, IEnumerable<(int At, byte Value)> edits)
    {
        var list = bytes.ToList();
        foreach (var (at, value) in edits)
        {
            if (list.Count == 0 || at % 3 == 0)
            {
                list.Insert(list.Count == 0 ? 0 : at % list.Count, value);
            }
            else
            {
                list[at % list.Count] = value;
            }
        }

        return [.. list];
    }

    private static byte[] Join(List<byte[]> lines, List<string> endings, bool lastEnds)
    {
        using var file = new MemoryStream();
        file.Write(Encoding.UTF8.GetBytes(Header + "\n"));
        for (var i = 0; i < lines.Count; i++)
        {
            file.Write(lines[i]);
            if (i < lines.Count - 1 || lastEnds)
            {
                file.Write(Encoding.UTF8.GetBytes(endings[i]));
            }
        }

        return file.ToArray();
    }
}

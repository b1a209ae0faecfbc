using System.Buffers.Binary;
using System.IO.Compression;

using ScratchNet.Serialization;

namespace ScratchNet;

/// <summary>
/// The decompressed contents of a file holding exactly one gzip member (RFC 1952), checked end to end:
/// <code>
/// header     1F 8B, method 8 (deflate), flags, mtime, xfl, os, then the optional extra field, name,
///            comment and header CRC the flags announce
/// deflate    the compressed data, which must end exactly where the trailer begins
/// trailer    CRC-32 of the decompressed bytes, then their length mod 2^32 (ISIZE), both little-endian:
///            the file's last 8 bytes
/// </code>
/// <see cref="GZipStream"/> is not used because it is too forgiving for a loader: it returns end of
/// stream when the data or the trailer is cut off, skips bytes after a member that do not start with the
/// gzip magic, and decodes a second member as more data. Here the deflate data alone goes to a
/// <see cref="DeflateStream"/>, the trailer is taken from the end of the file, and the CRC-32 and length
/// are checked with <see cref="Crc32"/> as the data streams through.
/// </summary>
/// <remarks>
/// Where the deflate data really ends is found without decoding it twice: zlib consumes input only up to
/// the last bit of the final block, and <see cref="DeflateStream"/> asks for more input only once it has
/// consumed all it was given. So <see cref="DeflateRange"/> hands over the last byte before the trailer
/// on its own: that byte is asked for only if everything before it belongs to the deflate data, and
/// nothing is asked for after it unless the deflate data would go on into the trailer.
/// <para>
/// Read errors are <see cref="InvalidDataException"/>s naming the file. A file whose deflate data is cut
/// short reads as a short stream, so that a reader that knows how much to expect can say how much was
/// missing; such a reader calls <see cref="EnsureComplete"/> once it has read to the end, and every
/// other reader does too.
/// </para>
/// </remarks>
internal sealed class GzipMemberStream : Stream
{
    /// <summary>RFC 1952's smallest member: a 10-byte header, a 2-byte empty final block, an 8-byte trailer.</summary>
    private const int TrailerLength = 8;

    private const byte FlagHeaderCrc = 0x02, FlagExtra = 0x04, FlagName = 0x08, FlagComment = 0x10, FlagsReserved = 0xE0;

    private readonly string _path;
    private readonly FileStream _file;
    private readonly DeflateRange _range;
    private readonly DeflateStream _deflate;
    private readonly uint _trailerCrc;
    private readonly uint _trailerLength;
    private uint _crc;
    private long _decompressed;
    private bool _ended;

    private GzipMemberStream(FileStream file, string path, long headerLength, uint trailerCrc, uint trailerLength)
    {
        _path = path;
        _file = file;
        _trailerCrc = trailerCrc;
        _trailerLength = trailerLength;
        _range = new DeflateRange(file, headerLength, file.Length - TrailerLength);
        _deflate = new DeflateStream(_range, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>The size of the file, in bytes.</summary>
    public long FileLength => _file.Length;

    /// <summary>The number of bytes of deflate data between the gzip header and the trailer.</summary>
    public long DeflateLength => _range.End - _range.Start;

    /// <summary>Whether the deflate data ran out before its final block ended: the file is cut short.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The number of bytes decompressed so far.</summary>
    public long Decompressed => _decompressed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Reads and checks the gzip header of <paramref name="file"/>, positioned at its start, and the trailer at its end.</summary>
    /// <exception cref="InvalidDataException">The header is damaged or the file is too short to hold the trailer.</exception>
    public static GzipMemberStream Open(FileStream file, string path)
    {
        long headerLength = ReadHeader(file, path);
        long fileLength = file.Length;
        if (fileLength - headerLength < TrailerLength)
        {
            throw IdxFile.CorruptGzip(
                path,
                $"the file is truncated: it ends {fileLength - headerLength} bytes after the {headerLength}-byte gzip header, " +
                $"leaving no room for the compressed data and the {TrailerLength}-byte trailer (CRC-32 and length)");
        }

        Span<byte> trailer = stackalloc byte[TrailerLength];
        file.Position = fileLength - TrailerLength;
        file.ReadExactly(trailer);
        file.Position = headerLength;
        return new GzipMemberStream(
            file,
            path,
            headerLength,
            BinaryPrimitives.ReadUInt32LittleEndian(trailer),
            BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_ended || buffer.IsEmpty)
        {
            return 0;
        }

        int read;
        try
        {
            read = _deflate.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw IdxFile.CorruptGzip(_path, $"its deflate data is damaged after {_decompressed} decompressed bytes", e);
        }

        if (read > 0)
        {
            _crc = Crc32.Append(_crc, buffer[..read]);
            _decompressed += read;
            return read;
        }

        _ended = true;
        CheckEnd();
        return 0;
    }

    /// <summary>Throws if the deflate data was cut short; call after reading to the end.</summary>
    /// <exception cref="InvalidDataException">The file is truncated.</exception>
    public void EnsureComplete()
    {
        if (Truncated)
        {
            throw IdxFile.CorruptGzip(
                _path,
                $"the file is truncated: its deflate data, {DeflateLength} bytes up to the last {TrailerLength} " +
                $"(which must be the trailer), stops before its final block ends, after {_decompressed} decompressed bytes");
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _deflate.Dispose();
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Parses the header (RFC 1952, section 2.3) and returns its length.</summary>
    private static long ReadHeader(FileStream file, string path)
    {
        Span<byte> fixedPart = stackalloc byte[10];
        if (file.ReadAtLeast(fixedPart, fixedPart.Length, throwOnEndOfStream: false) < fixedPart.Length)
        {
            throw IdxFile.CorruptGzip(path, $"the file has {file.Length} bytes, fewer than the 10 of a gzip header");
        }

        // The magic bytes were checked by the caller.
        if (fixedPart[2] != 8)
        {
            throw IdxFile.CorruptGzip(path, $"its compression method is {fixedPart[2]}, but gzip's only method is 8 (deflate)");
        }

        byte flags = fixedPart[3];
        if ((flags & FlagsReserved) != 0)
        {
            throw IdxFile.CorruptGzip(path, $"its header flags 0x{flags:X2} set reserved bits (0x{flags & FlagsReserved:X2})");
        }

        uint crc = Crc32.Compute(fixedPart);
        if ((flags & FlagExtra) != 0)
        {
            Span<byte> extraLength = stackalloc byte[2];
            HeaderBytes(file, path, extraLength, ref crc);
            int remaining = BinaryPrimitives.ReadUInt16LittleEndian(extraLength);
            Span<byte> extra = stackalloc byte[256];
            while (remaining > 0)
            {
                Span<byte> part = extra[..Math.Min(remaining, extra.Length)];
                HeaderBytes(file, path, part, ref crc);
                remaining -= part.Length;
            }
        }

        if ((flags & FlagName) != 0)
        {
            SkipZeroTerminated(file, path, "file name", ref crc);
        }

        if ((flags & FlagComment) != 0)
        {
            SkipZeroTerminated(file, path, "comment", ref crc);
        }

        if ((flags & FlagHeaderCrc) != 0)
        {
            uint expected = crc & 0xFFFF;
            Span<byte> headerCrc = stackalloc byte[2];
            HeaderBytes(file, path, headerCrc, ref crc);
            uint found = BinaryPrimitives.ReadUInt16LittleEndian(headerCrc);
            if (found != expected)
            {
                throw IdxFile.CorruptGzip(path, $"its header CRC-16 is 0x{found:X4}, but the header's is 0x{expected:X4}");
            }
        }

        return file.Position;
    }

    private static void HeaderBytes(FileStream file, string path, Span<byte> buffer, ref uint crc)
    {
        if (file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
        {
            throw IdxFile.CorruptGzip(path, $"the file ends inside the gzip header, after {file.Length} bytes");
        }

        crc = Crc32.Append(crc, buffer);
    }

    private static void SkipZeroTerminated(FileStream file, string path, string field, ref uint crc)
    {
        int b;
        while ((b = file.ReadByte()) > 0)
        {
            crc = Crc32.Append(crc, [(byte)b]);
        }

        if (b < 0)
        {
            throw IdxFile.CorruptGzip(path, $"the file ends inside the gzip header's {field}, after {file.Length} bytes");
        }

        crc = Crc32.Append(crc, [0]);
    }

    /// <summary>Called when the deflate stream has ended: the data must end right before the trailer, which must match it.</summary>
    private void CheckEnd()
    {
        if (_range.AskedPastEnd)
        {
            // The deflate data wanted more than the file holds before its last 8 bytes.
            Truncated = true;
            return;
        }

        if (_range.Position < _range.End)
        {
            throw IdxFile.CorruptGzip(_path, DescribeBytesAfterMember());
        }

        uint length = unchecked((uint)_decompressed);
        if (_crc != _trailerCrc || length != _trailerLength)
        {
            var problems = new List<string>(2);
            if (_crc != _trailerCrc)
            {
                problems.Add($"the gzip trailer's CRC-32 is 0x{_trailerCrc:X8}, but the decompressed data's is 0x{_crc:X8}");
            }

            if (length != _trailerLength)
            {
                problems.Add($"the gzip trailer's length (ISIZE) is {_trailerLength} bytes, but the data decompresses to {_decompressed} bytes");
            }

            throw IdxFile.CorruptGzip(_path, string.Join("; ", problems));
        }
    }

    /// <summary>
    /// The deflate data ended before the trailer. Its end lies in the last block of input handed over;
    /// the 8 bytes that should follow it (its CRC-32 and length, both known now) are looked for there so
    /// that the message can say where the member ends and what follows.
    /// </summary>
    private string DescribeBytesAfterMember()
    {
        long fileLength = _file.Length;
        Span<byte> expected = stackalloc byte[TrailerLength];
        BinaryPrimitives.WriteUInt32LittleEndian(expected, _crc);
        BinaryPrimitives.WriteUInt32LittleEndian(expected[4..], unchecked((uint)_decompressed));

        long searchStart = _range.LastReadStart;
        int searchLength = (int)Math.Min(_range.Position - searchStart + TrailerLength, fileLength - searchStart);
        byte[] window = new byte[searchLength];
        _file.Position = searchStart;
        _file.ReadExactly(window);
        // The deflate data takes at least one byte of that last read, so its trailer starts after the first.
        int at = window.AsSpan(1).IndexOf(expected);
        if (at < 0)
        {
            return $"its deflate data ends {_range.End - _range.Position} or more bytes before the file's last {TrailerLength} bytes, " +
                $"and the bytes after it are not a gzip trailer matching the data (CRC-32 0x{_crc:X8}, length {_decompressed})";
        }

        long memberEnd = searchStart + 1 + at + TrailerLength;
        return StartsWithGzipMagic(memberEnd)
            ? $"a second gzip member starts at byte {memberEnd} of {fileLength} (concatenated gzip files); an IDX file is read from a single member"
            : $"{fileLength - memberEnd} bytes follow the gzip member, which ends at byte {memberEnd} of {fileLength}";
    }

    private bool StartsWithGzipMagic(long offset)
    {
        if (_file.Length - offset < 2)
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[2];
        _file.Position = offset;
        _file.ReadExactly(magic);
        return magic[0] == 0x1F && magic[1] == 0x8B;
    }

    /// <summary>
    /// Bytes <see cref="Start"/> to <see cref="End"/> of the file for the <see cref="DeflateStream"/>, the
    /// last one handed over on its own, recording how far the inflater asked.
    /// </summary>
    private sealed class DeflateRange(FileStream file, long start, long end) : Stream
    {
        public long Start { get; } = start;

        public long End { get; } = end;

        /// <summary>The next byte to hand over.</summary>
        public override long Position { get; set; } = start;

        /// <summary>Where the last non-empty read began.</summary>
        public long LastReadStart { get; private set; } = start;

        /// <summary>Whether input was asked for after the last byte had been handed over.</summary>
        public bool AskedPastEnd { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => End - Start;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            long remaining = End - Position;
            if (remaining <= 0)
            {
                AskedPastEnd = true;
                return 0;
            }

            int count = (int)Math.Min(buffer.Length, remaining);
            if (count == remaining && count > 1)
            {
                count--;
            }

            int read = file.ReadAtLeast(buffer[..count], count, throwOnEndOfStream: false);
            if (read < count)
            {
                throw new IOException($"The file \"{file.Name}\" shrank while it was being read.");
            }

            LastReadStart = Position;
            Position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

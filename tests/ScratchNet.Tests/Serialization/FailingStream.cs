namespace ScratchNet.Tests.Serialization;

/// <summary>A stream that passes writes through until a number of bytes, then fails as a full or vanished disk would.</summary>
internal sealed class FailingStream(Stream inner, int failAfterBytes) : Stream
{
    private int _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        int room = failAfterBytes - _written;
        if (buffer.Length > room)
        {
            inner.Write(buffer[..room]);
            _written += room;
            throw new IOException($"The disk went away after {failAfterBytes} bytes (simulated).");
        }

        inner.Write(buffer);
        _written += buffer.Length;
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

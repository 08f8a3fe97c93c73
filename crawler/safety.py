"""Check that a crawl process listens on no TCP port (no telnet console, no remote control)."""

from __future__ import annotations

import os
from pathlib import Path

_LISTEN = "0A"  # TCP_LISTEN in /proc/net/tcp's "st" column


def socket_inodes(pid: int | str = "self") -> set[str]:
    """Inodes of the sockets a process has open (Linux ``/proc``; empty elsewhere)."""
    inodes: set[str] = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        fds = list(fd_dir.iterdir())
    except OSError:
        return inodes
    for fd in fds:
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed while we looked
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def listening_ports(pid: int | str = "self") -> list[str]:
    """``host:port`` (hex, as in /proc) of every TCP socket of ``pid`` in the LISTEN state."""
    inodes = socket_inodes(pid)
    found = []
    for table in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if len(cols) > 9 and cols[3] == _LISTEN and cols[9] in inodes:
                found.append(_address(cols[1]))
    return found


def _address(hex_addr: str) -> str:
    host, port = hex_addr.rsplit(":", 1)
    return f"{host}:{int(port, 16)}"

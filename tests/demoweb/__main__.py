"""``python -m tests.demoweb``: serve the demo sites in the foreground.

Prints one ``name url`` line per site, then serves until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from tests.demoweb.web import DemoWeb


def serve(host: str = "127.0.0.1", base_port: int = 8001, faults: bool = False,
          sites_file: str | None = None, slow_seconds: float = 5.0) -> None:
    """Run the demo web until interrupted."""
    stop = threading.Event()
    try:  # SIGTERM (docker stop, kill) ends the loop like Ctrl-C does
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    except ValueError:  # not the main thread: Ctrl-C handling is the caller's business
        pass
    with DemoWeb(host, base_port, faults, slow_seconds) as web:
        if sites_file:  # written before the URLs are printed, so readers can rely on it
            web.write_sites_yaml(sites_file)
        for name, url in web.urls.items():
            print(name, url, flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m tests.demoweb", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--base-port", type=int, default=8001, help="first port (0: let the OS choose)")
    parser.add_argument("--faults", action="store_true", help="also serve the faultyreprint site")
    parser.add_argument("--sites-file", help="write a sites YAML for these URLs")
    parser.add_argument("--slow-seconds", type=float, default=5.0, help="delay of the slow fault page")
    args = parser.parse_args(argv)
    try:
        serve(args.host, args.base_port, args.faults, args.sites_file, args.slow_seconds)
    except OSError as exc:  # a port in use, or the sites file not writable: one line, no traceback
        print(f"{parser.prog}: error: cannot serve the demo sites on {args.host} from port {args.base_port}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

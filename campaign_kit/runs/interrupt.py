"""Stopping after Ctrl-C with exit code 130, whatever Python was doing when it came.

Kept free of imports so the console script can use it while the package is still loading.
"""

import sys

_requested = False


def watch() -> None:
    """Remember a Ctrl-C as well as raising KeyboardInterrupt.

    Some code turns the KeyboardInterrupt into something else or drops it: Python wraps it
    in a RuntimeError when it lands in a class's __set_name__ (dataclasses, while modules
    import), and a library's bare `except:` swallows it. Whoever stops the program can then
    still tell that the user asked it to stop (`requested`)."""
    import signal

    def on_ctrl_c(signum, frame):
        global _requested
        _requested = True
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_ctrl_c)


def requested() -> bool:
    """True once a Ctrl-C came (under `watch`), even if its KeyboardInterrupt was lost."""
    return _requested


def exit_interrupted() -> None:
    """Exit 130 after a Ctrl-C, and only 130.

    CPython remembers a KeyboardInterrupt that passed through an exec() of source text
    (dataclasses and namedtuple build their methods that way while modules import) and, at
    exit, kills the process with SIGINT even though the program handled it; every exec of
    text clears that memory first, so one harmless exec here does. A later Ctrl-C is ignored:
    we are already stopping."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exec("")  # noqa: S102 - clears CPython's "unhandled KeyboardInterrupt" flag (see above)
    sys.exit(130)

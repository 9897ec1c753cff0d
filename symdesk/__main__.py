"""``symdesk`` with no command (or ``symdesk gui``) opens the window; anything else is the CLI."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen Windows build starts the matching helper process (matching/helper.py) as itself.
    multiprocessing.freeze_support()
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (``symdesk … | head``): stop quietly like other tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _main(argv: Sequence[str] | None) -> int:
    from symdesk import cli

    argv = list(sys.argv[1:] if argv is None else argv)
    cli.start_language(argv)
    try:
        args = cli.parse_args(argv)
    except cli.UsageError as exc:
        print(f"symdesk: {exc}", file=sys.stderr)
        return cli.EXIT_USAGE
    cli.apply_language(args)
    if args.command in (None, "gui"):
        from symdesk.gui.app import run_gui

        return run_gui(db_path=args.db, demo_if_empty=getattr(args, "demo_if_empty", False))
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())

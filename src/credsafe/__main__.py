"""``python -m credsafe``: the same as the ``credsafe`` command."""

from ._cli import main

raise SystemExit(main())

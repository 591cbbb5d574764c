"""Markdown output shared by the table scripts (accuracy_tables, nation_tables)."""


def table(header, rows) -> None:
    """Print a Markdown table: one header row, a rule, then one row per item of ``rows``."""
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")
    print()


def captured(fn, *args) -> str:
    """What ``fn(*args)`` prints, as one string (the cog blocks of the docs take a string)."""
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn(*args)
    return buf.getvalue()

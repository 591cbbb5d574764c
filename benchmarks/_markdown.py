"""Markdown output shared by the table scripts (accuracy_tables, nation_tables)."""


def table(header, rows) -> None:
    """Print a Markdown table: one header row, a rule, then one row per item of ``rows``."""
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")
    print()

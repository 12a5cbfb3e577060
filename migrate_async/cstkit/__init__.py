"""LibCST machinery: the walk, the name index, code generation, positions, names and generic edits.

The only package that may touch LibCST internals (checked by tests/test_layout.py).
"""

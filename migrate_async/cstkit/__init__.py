"""LibCST machinery: the walk, the name index, code generation, positions, names, generic edits
and the scope stack.

The only package that may touch LibCST internals (checked by tests/test_layout.py).
"""

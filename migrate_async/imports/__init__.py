"""Imports: what a module's names refer to (resolve), adding and removing imports (edits), and where new ones go (placement)."""

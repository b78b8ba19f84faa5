"""The terminal UI: one client of the core, and the only part of crisis that imports Textual."""

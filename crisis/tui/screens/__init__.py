"""The TUI's screens: home, the incident workspace, and small dialogs."""

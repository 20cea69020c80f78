"""End-to-end tests: the real bot polling the local Bot API emulator over HTTP."""

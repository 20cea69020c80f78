"""The test suite: unit tests per layer and end-to-end tests through the emulator."""

"""Tests in a real browser: Debian's chromium, headless, driven by Selenium."""

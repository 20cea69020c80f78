"""The Telegram adapter: the application factory, thin handlers, screens and texts."""
